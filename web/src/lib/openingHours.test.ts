import { describe, expect, it } from 'vitest'
import { blankHours, copyHours, hallLevel, isOpen, monthDay, sessionsText, weekdayOf } from './openingHours'

describe('opening hours', () => {
  it('joins a day’s sessions and shows none when closed', () => {
    const s = [
      { opens: '08:30', closes: '12:00' },
      { opens: '14:30', closes: '17:30' },
    ]
    expect(sessionsText(s, '，')).toBe('08:30–12:00，14:30–17:30')
    expect(sessionsText([], '，')).toBe('')
  })

  it('reads a date’s weekday as a calendar day, Monday = 1, whatever the time zone', () => {
    expect(weekdayOf('2026-12-07')).toBe(1)
    expect(weekdayOf('2026-12-12')).toBe(6)
    expect(weekdayOf('2026-12-13')).toBe(7)
    expect(weekdayOf('2026-10-01')).toBe(4)
    expect(monthDay('2026-10-01')).toEqual({ month: 10, day: 1 })
  })

  it('tells an open day from a closed one by its sessions', () => {
    expect(isOpen({ date: '2026-10-01', type: 'holiday', name: '国庆节', sessions: [] })).toBe(false)
    expect(isOpen({ date: '2026-12-07', type: 'working', sessions: [{ opens: '09:00', closes: '12:00' }] })).toBe(true)
  })

  it('copies hours so that editing the copy leaves the original', () => {
    const saved = blankHours()
    saved.extended.push({ weekday: 2, session: { opens: '17:30', closes: '20:00' } })
    const copy = copyHours(saved)
    copy.working_day[0]!.opens = '08:00'
    copy.extended[0]!.session.closes = '21:00'
    expect(saved.working_day[0]!.opens).toBe('09:00')
    expect(saved.extended[0]!.session.closes).toBe('20:00')
  })

  it('places a hall at the centre, a street or a community by its site', () => {
    expect(hallLevel({ kind: 'centre', region: '440511' })).toBe('centre')
    expect(hallLevel({ kind: 'sub_centre', region: '440511' })).toBe('centre')
    expect(hallLevel({ kind: 'station', region: '440511001' })).toBe('street')
    expect(hallLevel({ kind: 'station', region: '440511001012' })).toBe('community')
  })
})
