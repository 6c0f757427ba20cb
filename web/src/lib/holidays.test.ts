import { describe, expect, it } from 'vitest'
import { upcomingRanges, type Override } from './holidays'

const days: Override[] = [
  { date: '2026-10-03', kind: 'holiday', name: '国庆节' },
  { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
  { date: '2026-10-02', kind: 'holiday', name: '国庆节' },
  { date: '2026-10-10', kind: 'workday', name: '国庆节调休' },
  { date: '2026-05-01', kind: 'holiday', name: '劳动节' },
  { date: '2026-10-05', kind: 'holiday', name: '国庆节' },
]

describe('upcomingRanges', () => {
  it('joins consecutive days of one name and kind, from today on', () => {
    expect(upcomingRanges(days, '2026-06-01')).toEqual([
      { name: '国庆节', kind: 'holiday', from: '2026-10-01', to: '2026-10-03' },
      { name: '国庆节', kind: 'holiday', from: '2026-10-05', to: '2026-10-05' },
      { name: '国庆节调休', kind: 'workday', from: '2026-10-10', to: '2026-10-10' },
    ])
  })
  it('is empty when nothing is left', () => {
    expect(upcomingRanges(days, '2026-12-01')).toEqual([])
  })
})
