// A region's working-day calendar: holidays and make-up working days.
import { api, unwrap, type Ok } from './client'

export type CalendarYear = Ok<'/api/v1/calendar/{region}', 'get'>
export type DayOverride = CalendarYear['days'][number]

export function getCalendar(region: string, year?: number): Promise<CalendarYear> {
  return unwrap(
    api.GET('/api/v1/calendar/{region}', {
      params: { path: { region }, query: year === undefined ? {} : { year } },
    }),
  )
}
