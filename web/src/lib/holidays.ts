// Turns a year's calendar overrides into the ranges a notice shows: "春节 2月15日–2月23日 放假".

export interface Override {
  date: string // YYYY-MM-DD
  kind: 'holiday' | 'workday'
  name: string
}

export interface DayRange {
  name: string
  kind: Override['kind']
  from: string
  to: string
}

function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`)
  t.setUTCDate(t.getUTCDate() + 1)
  return t.toISOString().slice(0, 10)
}

/** Consecutive days of the same name and kind from `today` on, as ranges, in date order. */
export function upcomingRanges(days: readonly Override[], today: string): DayRange[] {
  const sorted = days.filter((d) => d.date >= today).sort((a, b) => a.date.localeCompare(b.date))
  const out: DayRange[] = []
  for (const d of sorted) {
    const last = out[out.length - 1]
    if (last && last.name === d.name && last.kind === d.kind && nextDay(last.to) === d.date) {
      last.to = d.date
    } else {
      out.push({ name: d.name, kind: d.kind, from: d.date, to: d.date })
    }
  }
  return out
}
