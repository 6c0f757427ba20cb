// The calendar names its days in Chinese, as the State Council's notices do: "国庆节、中秋节",
// "劳动节调休", "春节(暂定)". Read into the stable keys of `holidays.names` and `holidays.notes`
// (whose zh-CN messages are these local names), a name can be said in another language; a name
// not made of known parts, such as a district's own day, is shown as it is.
import { zhCN } from '../locales/zh-CN'

type HolidayKey = keyof typeof zhCN.holidays.names
type NoteKey = keyof typeof zhCN.holidays.notes

export interface HolidayName {
  holidays: HolidayKey[]
  /** A make-up working day (调休上班, 补班) for those holidays. */
  makeUp: boolean
  /** What the brackets say: provisional, extended, which day of the festival. */
  notes: NoteKey[]
}

/** The key whose local name is `word`; the notices also write 清明 for 清明节, 国庆 for 国庆节. */
function keyOf<K extends string>(names: Record<K, string>, word: string, suffix = ''): K | undefined {
  return (Object.keys(names) as K[]).find((k) => names[k] === word || names[k] === word + suffix)
}

/** The parts of a local name, or undefined when any part is unknown. */
export function parseHolidayName(name: string): HolidayName | undefined {
  const m = /^(.*?)(调休上班|调休|补班)?\s*(?:[(（]([^)）]*)[)）])?$/.exec(name.trim())
  if (!m) return undefined
  const words = (m[1] ?? '').split(/[、，,\s]+/).filter(Boolean)
  const noteWords = (m[3] ?? '').split(/[、，,\s]+/).filter(Boolean)
  const holidays = words.map((w) => keyOf(zhCN.holidays.names, w, '节'))
  const notes = noteWords.map((w) => keyOf(zhCN.holidays.notes, w))
  if (holidays.includes(undefined) || notes.includes(undefined)) return undefined
  if (!holidays.length && !m[2]) return undefined
  return { holidays: holidays as HolidayKey[], makeUp: !!m[2], notes: notes as NoteKey[] }
}

type Translate = (key: string, params?: Record<string, string>) => string

/** Joins words two at a time with a message (`{a} and {b}`). */
function joined(t: Translate, key: string, words: string[]): string {
  return words.reduce((a, b) => t(key, { a, b }))
}

/**
 * A calendar day's name in the reader's language: the local name itself in Chinese, elsewhere its
 * parts translated, or the local name when it cannot be read.
 */
export function holidayName(name: string, locale: string, t: Translate): string {
  if (locale === 'zh-CN') return name
  const p = parseHolidayName(name)
  if (!p) return name
  const festivals = p.holidays.length ? joined(t, 'holidays.and', p.holidays.map((k) => t(`holidays.names.${k}`))) : ''
  const base = !p.makeUp ? festivals : festivals ? t('holidays.makeUp', { name: festivals }) : t('holidays.makeUpDay')
  if (!p.notes.length) return base
  return t('holidays.withNotes', { name: base, notes: joined(t, 'holidays.noteList', p.notes.map((k) => t(`holidays.notes.${k}`))) })
}
