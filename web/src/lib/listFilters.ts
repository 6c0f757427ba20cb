// The filters of a staff list as the address bar keeps them (?q=&light=&item=&from=&to=), so that a
// reload or a shared link opens the same list. Anything the bar says that is not a filter's value
// is left out rather than sent.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { lightValues, type components } from '../api/schema'

type Light = components['schemas']['Light']

export interface ListFilter {
  /** A case number, ID number, phone number or part of a name. */
  q: string
  light: Light | ''
  item: string
  /** Submitted between these days (YYYY-MM-DD), both included. */
  range: [string, string] | null
}

const DAY = /^\d{4}-\d{2}-\d{2}$/
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

export function filterFromQuery(q: LocationQuery): ListFilter {
  const [from, to] = [text(q.from), text(q.to)]
  return {
    q: text(q.q),
    light: lightValues.find((l) => l === q.light) ?? '',
    item: text(q.item),
    range: DAY.test(from) && DAY.test(to) && from <= to ? [from, to] : null,
  }
}

export function filterQuery(f: ListFilter): LocationQueryRaw {
  return { q: f.q.trim() || undefined, light: f.light || undefined, item: f.item || undefined, from: f.range?.[0], to: f.range?.[1] }
}
