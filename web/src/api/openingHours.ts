// Each hall's opening hours: read by anyone, set by the centre admin.
import { api, unwrap, type Ok } from './client'
import type { components } from './schema'

export type OpeningHours = components['schemas']['OpeningHours']
export type Session = components['schemas']['Session']
export type Extension = components['schemas']['Extension']
export type DayHours = components['schemas']['DayHours']
export type DayType = components['schemas']['DayType']
export type HallOpening = Ok<'/api/v1/opening-hours/{hall}', 'get'>

/** Days from `from` (default today), `days` of them (default 7). */
export interface DaysAsked {
  from?: string
  days?: number
}

export function listOpeningHours(query: DaysAsked = {}): Promise<HallOpening[]> {
  return unwrap(api.GET('/api/v1/opening-hours', { params: { query } }))
}

export function getOpeningHours(hall: string, query: DaysAsked = {}): Promise<HallOpening> {
  return unwrap(api.GET('/api/v1/opening-hours/{hall}', { params: { path: { hall }, query } }))
}

export function setOpeningHours(hall: string, body: OpeningHours): Promise<HallOpening> {
  return unwrap(api.PUT('/api/v1/opening-hours/{hall}', { params: { path: { hall } }, body }))
}
