import { describe, expect, it } from 'vitest'
import { formatDate, formatDateRange, formatInstant, formatWeekday, todayInCentre } from './dates'

describe('formatDate', () => {
  it('writes one format per language', () => {
    expect(formatDate('2026-12-07', 'zh-CN')).toBe('2026年12月7日')
    expect(formatDate('2026-12-07', 'en')).toBe('7 December 2026')
  })
  it('keeps the calendar day whatever the zone', () => {
    expect(formatDate('2026-01-01', 'en')).toBe('1 January 2026')
  })
  it('shows what is not a date as it is', () => {
    expect(formatDate('', 'en')).toBe('')
    expect(formatDate('2026-02-30x', 'zh-CN')).toBe('2026-02-30x')
  })
})

describe('formatInstant', () => {
  // 2026-12-06 17:30 UTC is already 7 December, 01:30, in Shanghai.
  const ms = Date.UTC(2026, 11, 6, 17, 30)
  it("is the day and 24-hour time in the centre's zone", () => {
    expect(formatInstant(ms, 'zh-CN')).toBe('2026年12月7日 01:30')
    expect(formatInstant(ms, 'en')).toBe('7 December 2026 01:30')
  })
  it('starts with the same day as formatDate', () => {
    expect(formatInstant(ms, 'en').startsWith(formatDate('2026-12-07', 'en'))).toBe(true)
  })
})

describe('formatWeekday', () => {
  it('names the day of the week', () => {
    expect(formatWeekday('2026-12-07', 'zh-CN')).toBe('周一')
    expect(formatWeekday('2026-12-07', 'en')).toBe('Mon')
  })
})

describe('formatDateRange', () => {
  it('is one date for one day, else both ends', () => {
    expect(formatDateRange('2026-10-01', '2026-10-01', 'en')).toBe('1 October 2026')
    expect(formatDateRange('2026-10-01', '2026-10-08', 'zh-CN')).toBe('2026年10月1日 – 2026年10月8日')
  })
})

describe('todayInCentre', () => {
  it("is the date in the centre's time zone", () => {
    // 2026-11-20 17:30 UTC is already 21 November in Shanghai.
    expect(todayInCentre(new Date(Date.UTC(2026, 10, 20, 17, 30)))).toBe('2026-11-21')
  })
})
