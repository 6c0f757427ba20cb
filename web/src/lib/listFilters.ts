// The filters of a staff list as the address bar keeps them (?q=&light=&item=&from=&to=, or the
// audit log's ?actor=&action=&object=&from=&to=), so that a reload or a shared link opens the same
// list. Anything the bar says that is not a filter's value is left out rather than sent.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { lightValues, type components } from '../api/schema'

type Light = components['schemas']['Light']

/** Between these days (YYYY-MM-DD), both included. */
export type DayRange = [string, string] | null

export interface ListFilter {
  /** A case number, ID number, phone number or part of a name. */
  q: string
  light: Light | ''
  item: string
  /** Submitted between these days. */
  range: DayRange
}

const DAY = /^\d{4}-\d{2}-\d{2}$/
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

/** `from` and `to` of the bar, when both are days in order. */
function rangeFromQuery(q: LocationQuery): DayRange {
  const [from, to] = [text(q.from), text(q.to)]
  return DAY.test(from) && DAY.test(to) && from <= to ? [from, to] : null
}

const rangeQuery = (range: DayRange) => ({ from: range?.[0], to: range?.[1] })

export function filterFromQuery(q: LocationQuery): ListFilter {
  return {
    q: text(q.q),
    light: lightValues.find((l) => l === q.light) ?? '',
    item: text(q.item),
    range: rangeFromQuery(q),
  }
}

export function filterQuery(f: ListFilter): LocationQueryRaw {
  return { q: f.q.trim() || undefined, light: f.light || undefined, item: f.item || undefined, ...rangeQuery(f.range) }
}

export interface AuditFilter {
  /** A staff username. */
  actor: string
  /** An action code; one the page has no name for is still sent as it is. */
  action: string
  /** Text the details contain: a username, case number, item code. */
  object: string
  /** Recorded between these days (China). */
  range: DayRange
}

export function auditFilterFromQuery(q: LocationQuery): AuditFilter {
  return { actor: text(q.actor), action: text(q.action), object: text(q.object), range: rangeFromQuery(q) }
}

export function auditFilterQuery(f: AuditFilter): LocationQueryRaw {
  const value = (s: string) => s.trim() || undefined
  return { actor: value(f.actor), action: value(f.action), object: value(f.object), ...rangeQuery(f.range) }
}
