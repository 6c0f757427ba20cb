// One format per language for every date and time the app shows: "2026年12月7日 14:30" in Chinese,
// "7 December 2026 14:30" in English. Dates are the centre's calendar days (YYYY-MM-DD, no zone);
// instants are shown in the centre's time zone, whatever the reader's computer says.

/** The centre's time zone: deadlines and the log's times are read there. */
export const CENTRE_TIME_ZONE = 'Asia/Shanghai'

/** Today in the centre's time zone, `YYYY-MM-DD`: deadlines and holidays are dates there. */
export function todayInCentre(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: CENTRE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** The Intl locale of a UI language: British English for day-month-year order. */
function tag(locale: string): string {
  return locale === 'en' ? 'en-GB' : 'zh-CN'
}

function dayOf(locale: string, timeZone: string, when: Date): string {
  return new Intl.DateTimeFormat(tag(locale), { year: 'numeric', month: 'long', day: 'numeric', timeZone }).format(when)
}

/** A calendar date, `YYYY-MM-DD`; anything else is shown as it is rather than break the page. */
export function formatDate(d: string, locale: string): string {
  const when = new Date(`${d}T00:00:00Z`)
  return /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(when.getTime()) ? dayOf(locale, 'UTC', when) : d
}

/** An instant (ms since the epoch): its day as `formatDate` writes it, then the 24-hour time. */
export function formatInstant(ms: number, locale: string, timeZone: string = CENTRE_TIME_ZONE): string {
  const when = new Date(ms)
  const time = new Intl.DateTimeFormat(tag(locale), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(when)
  return `${dayOf(locale, timeZone, when)} ${time}`
}

/** The short weekday of a calendar date (周一, Mon), where the day of the week matters. */
export function formatWeekday(d: string, locale: string): string {
  return new Intl.DateTimeFormat(tag(locale), { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`))
}

/** A span of calendar dates; one date when it is a single day. */
export function formatDateRange(from: string, to: string, locale: string): string {
  return from === to ? formatDate(from, locale) : `${formatDate(from, locale)} – ${formatDate(to, locale)}`
}
