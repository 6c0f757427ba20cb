import { describe, expect, it } from 'vitest'
import { blankDays, daysBetween, daysFieldOf, daysProblems, daysToSend, isWeekend, sortedDays, weekday } from './calendarEdit'

describe('calendar edits', () => {
  it('know weekdays and weekends', () => {
    expect(weekday('2027-02-06')).toBe(6)
    expect(isWeekend('2027-02-07')).toBe(true)
    expect(isWeekend('2027-02-08')).toBe(false)
  })
  it('list the days of a range, across a month end', () => {
    expect(daysBetween('2027-01-30', '2027-02-02')).toEqual(['2027-01-30', '2027-01-31', '2027-02-01', '2027-02-02'])
    expect(daysBetween('2027-02-02', '2027-02-01')).toEqual([])
  })
  it('send one entry per day with the trimmed name; a holiday leaves out its weekend', () => {
    const f = { range: ['2027-10-01', '2027-10-04'] as [string, string], kind: 'holiday' as const, name: ' 国庆节 ' }
    expect(daysToSend(f)).toEqual([
      { date: '2027-10-01', kind: 'holiday', name: '国庆节' },
      { date: '2027-10-04', kind: 'holiday', name: '国庆节' },
    ])
    const makeUp = { range: ['2027-09-25', '2027-09-26'] as [string, string], kind: 'workday' as const, name: '国庆节调休' }
    expect(daysToSend(makeUp).map((d) => d.date)).toEqual(['2027-09-25', '2027-09-26'])
    expect(daysToSend(blankDays())).toEqual([])
  })
  it('check the range, the year, the length, make-up days on weekends, and the name', () => {
    expect(daysProblems(blankDays(), 2027)).toEqual({ range: 'rangeRequired', name: 'nameRequired' })
    const ok = { range: ['2027-10-01', '2027-10-07'] as [string, string], kind: 'holiday' as const, name: '国庆节' }
    expect(daysProblems(ok, 2027)).toEqual({})
    expect(daysProblems(ok, 2026)).toEqual({ range: 'rangeInYear' })
    expect(daysProblems({ ...ok, range: ['2027-01-01', '2027-03-01'] }, 2027)).toEqual({ range: 'rangeTooLong' })
    expect(daysProblems({ ...ok, kind: 'workday', range: ['2027-09-26', '2027-09-26'] }, 2027)).toEqual({})
    expect(daysProblems({ ...ok, kind: 'workday' }, 2027)).toEqual({ range: 'workdayOnWeekend' })
    expect(daysProblems({ ...ok, range: ['2027-10-02', '2027-10-03'] }, 2027)).toEqual({ range: 'holidayOnWeekend' })
  })
  it('put the server field of any day name on the name field', () => {
    expect(daysFieldOf('days[3].name')).toBe('name')
    expect(daysFieldOf('region')).toBe('region')
  })
  it('sort days by date', () => {
    const d = (date: string) => ({ date, kind: 'holiday' as const, name: 'x' })
    expect(sortedDays([d('2027-05-02'), d('2027-01-01')]).map((x) => x.date)).toEqual(['2027-01-01', '2027-05-02'])
  })
})
