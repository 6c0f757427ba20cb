// What the opening-hours pages show: a session as text, a day's weekday, a blank pattern. The
// server decides which sessions a day has; these only format what it sent.
import type { DayHours, OpeningHours, Session } from '../api/openingHours'

/** `09:00–12:00`. */
export function sessionText(s: Session): string {
  return `${s.opens}–${s.closes}`
}

/** A day's sessions joined for one line, e.g. `08:30–12:00，14:30–17:30`; empty when closed. */
export function sessionsText(sessions: Session[], separator: string): string {
  return sessions.map(sessionText).join(separator)
}

/** Year, month and day of an ISO date `YYYY-MM-DD`. */
function ymd(date: string): [number, number, number] {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number)
  return [y, m, d]
}

/** Monday = 1 … Sunday = 7, of an ISO date (read as a calendar day, not an instant). */
export function weekdayOf(date: string): number {
  const [y, m, d] = ymd(date)
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  return day === 0 ? 7 : day
}

/** `12月7日` style parts of an ISO date: its month and day numbers. */
export function monthDay(date: string): { month: number; day: number } {
  const [, month, day] = ymd(date)
  return { month, day }
}

export function isOpen(day: DayHours): boolean {
  return day.sessions.length > 0
}

/** A new hall's hours as the form starts them: a working day with a lunch break, no weekend. */
export function blankHours(): OpeningHours {
  return {
    working_day: [
      { opens: '09:00', closes: '12:00' },
      { opens: '14:00', closes: '17:30' },
    ],
    extended: [],
    saturday: [],
    sunday: [],
  }
}

/** A deep copy, so the form edits its own and a cancelled edit leaves the saved hours alone. */
export function copyHours(h: OpeningHours): OpeningHours {
  return {
    working_day: h.working_day.map((s) => ({ ...s })),
    extended: h.extended.map((e) => ({ weekday: e.weekday, session: { ...e.session } })),
    saturday: h.saturday.map((s) => ({ ...s })),
    sunday: h.sunday.map((s) => ({ ...s })),
  }
}

/** Where a hall stands in the district: the centre and its sub-centres, a street's, a community's. */
export type HallLevel = 'centre' | 'street' | 'community'
export const HALL_LEVELS: HallLevel[] = ['centre', 'street', 'community']

/**
 * A hall's level from its site: a station of a 9-digit region is a street's (街道), of a 12-digit
 * one a community's (社区); every other site is the centre or a sub-centre.
 */
export function hallLevel(site: { kind: string; region: string }): HallLevel {
  if (site.kind !== 'station') return 'centre'
  return site.region.length >= 12 ? 'community' : 'street'
}
