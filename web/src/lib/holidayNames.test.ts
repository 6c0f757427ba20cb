import { describe, expect, it } from 'vitest'
import { holidayName, parseHolidayName } from './holidayNames'
import { en } from '../locales/en'
import { messageAt } from '../locales/lookup'

/** vue-i18n's `t` over the English messages, enough for `{name}` placeholders. */
function t(key: string, params: Record<string, string> = {}): string {
  const msg = messageAt(en, key)
  if (typeof msg !== 'string') throw new Error(`no message ${key}`)
  return msg.replace(/\{(\w+)\}/g, (_, n: string) => params[n] ?? '')
}

describe('parseHolidayName', () => {
  it('reads the names of the national calendar', () => {
    expect(parseHolidayName('春节')).toEqual({ holidays: ['springFestival'], makeUp: false, notes: [] })
    expect(parseHolidayName('国庆节、中秋节调休')).toEqual({ holidays: ['nationalDay', 'midAutumn'], makeUp: true, notes: [] })
    expect(parseHolidayName('春节(正月初一, 暂定)')).toEqual({ holidays: ['springFestival'], makeUp: false, notes: ['firstDay', 'provisional'] })
    expect(parseHolidayName('国庆补班')).toEqual({ holidays: ['nationalDay'], makeUp: true, notes: [] })
    expect(parseHolidayName('调休')).toEqual({ holidays: [], makeUp: true, notes: [] })
  })
  it('gives up on a name with an unknown part', () => {
    expect(parseHolidayName('建区纪念日')).toBeUndefined()
    expect(parseHolidayName('春节(腊月二十八)')).toBeUndefined()
    expect(parseHolidayName('')).toBeUndefined()
  })
})

describe('holidayName', () => {
  it('is the local name in Chinese', () => {
    expect(holidayName('国庆节、中秋节', 'zh-CN', t)).toBe('国庆节、中秋节')
  })
  it('is translated in English', () => {
    expect(holidayName('元旦', 'en', t)).toBe("New Year's Day")
    expect(holidayName('国庆节 中秋节', 'en', t)).toBe('National Day and Mid-Autumn Festival')
    expect(holidayName('劳动节调休', 'en', t)).toBe('Make-up working day for Labour Day')
    expect(holidayName('春节(延长假期)', 'en', t)).toBe('Spring Festival (extended)')
    expect(holidayName('春节(除夕，暂定)', 'en', t)).toBe("Spring Festival (Lunar New Year's Eve, provisional)")
    expect(holidayName('调休', 'en', t)).toBe('Make-up working day')
  })
  it('keeps a name it cannot read', () => {
    expect(holidayName('建区纪念日', 'en', t)).toBe('建区纪念日')
  })
})
