// A region's working-day calendar: holidays and make-up working days.
import { api, unwrap, unwrapEmpty, type Ok } from './client'

export type CalendarYear = Ok<'/api/v1/calendar/{region}', 'get'>
export type DayOverride = CalendarYear['days'][number]

export function getCalendar(region: string, year?: number): Promise<CalendarYear> {
  return unwrap(
    api.GET('/api/v1/calendar/{region}', {
      params: { path: { region }, query: year === undefined ? {} : { year } },
    }),
  )
}

/** Sets holidays and make-up working days of the district (centre admin); a day present is replaced. */
export function updateCalendar(region: string, days: DayOverride[]) {
  return unwrap(api.PUT('/api/v1/calendar/{region}', { params: { path: { region } }, body: { days } }))
}

/** Removes the district's own edit of a day (centre admin): the national calendar holds again. */
export function deleteCalendarDay(region: string, day: string): Promise<void> {
  return unwrapEmpty(api.DELETE('/api/v1/calendar/{region}/days/{day}', { params: { path: { region, day } } }))
}
