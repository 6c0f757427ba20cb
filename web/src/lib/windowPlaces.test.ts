import { describe, expect, it } from 'vitest'
import { byHall } from './windowPlaces'

const w = (code: string, site: string, hall: string) => ({ code, name: `${code} window`, hall_name: hall, floor: '1F', site_name: site })

describe('the guide’s accepting windows', () => {
  it('come hall by hall, in the order given', () => {
    const halls = byHall([w('A01', 'centre', 'H1'), w('G01', 'centre', 'H2'), w('A02', 'centre', 'H1'), w('SPT-1', 'station', 'H1')])
    expect(halls.map((h) => [h.site, h.hall, h.windows.map((x) => x.code)])).toEqual([
      ['centre', 'H1', ['A01', 'A02']],
      ['centre', 'H2', ['G01']],
      ['station', 'H1', ['SPT-1']],
    ])
    expect(byHall([])).toEqual([])
  })
})
