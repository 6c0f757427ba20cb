// The centre admin's calendar editor: a range of days added as holidays or make-up working days
// (调休), checked before sending, and the year's days in date order with their weekday.
import type { Override } from './holidays'

export interface DaysForm {
  /** First and last day (YYYY-MM-DD), inclusive; one day when both are the same. */
  range: [string, string] | null
  kind: Override['kind']
  name: string
}

/** The longest range one edit may add (the Spring Festival holiday is 8 or 9 days). */
export const MAX_RANGE_DAYS = 31

export const blankDays = (): DaysForm => ({ range: null, kind: 'holiday', name: '' })

function addDays(d: string, n: number): string {
  const t = new Date(`${d}T00:00:00Z`)
  t.setUTCDate(t.getUTCDate() + n)
  return t.toISOString().slice(0, 10)
}

/** 0 (Sunday) … 6 (Saturday) of a YYYY-MM-DD date. */
export function weekday(d: string): number {
  return new Date(`${d}T00:00:00Z`).getUTCDay()
}

export const isWeekend = (d: string) => weekday(d) === 0 || weekday(d) === 6

/** Every day from `from` to `to`, inclusive; empty when `to` comes first. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = from; d <= to && out.length <= MAX_RANGE_DAYS; d = addDays(d, 1)) out.push(d)
  return out
}

/** i18n keys (under `calendarAdmin.rules`) of what is wrong, by field; empty when it may be sent. */
export function daysProblems(f: DaysForm, year: number): Record<string, string> {
  const p: Record<string, string> = {}
  if (!f.range) p.range = 'rangeRequired'
  else {
    const [from, to] = f.range
    if (!from.startsWith(`${year}-`) || !to.startsWith(`${year}-`)) p.range = 'rangeInYear'
    else if (daysBetween(from, to).length > MAX_RANGE_DAYS) p.range = 'rangeTooLong'
    // A make-up working day only means something on a weekend (调休 moves a weekend to work),
    // and a holiday only on a weekday: its weekend days are off already and are not sent.
    else if (f.kind === 'workday' && daysBetween(from, to).some((d) => !isWeekend(d))) p.range = 'workdayOnWeekend'
    else if (f.kind === 'holiday' && daysBetween(from, to).every(isWeekend)) p.range = 'holidayOnWeekend'
  }
  if (f.name.trim() === '') p.name = 'nameRequired'
  return p
}

/** The days the form adds, as the calendar API takes them: a holiday's weekdays only. */
export function daysToSend(f: DaysForm): Override[] {
  if (!f.range) return []
  return daysBetween(f.range[0], f.range[1])
    .filter((date) => f.kind === 'workday' || !isWeekend(date))
    .map((date) => ({ date, kind: f.kind, name: f.name.trim() }))
}

/** The server's field errors on `days[i].name` belong to the form's one name field. */
export function daysFieldOf(serverField: string): string {
  return /^days\[\d+\]\.name$/.test(serverField) ? 'name' : serverField
}

/** The year's days in date order. */
export function sortedDays(days: readonly Override[]): Override[] {
  return [...days].sort((a, b) => a.date.localeCompare(b.date))
}
