// The guide's "where to go": the accepting windows hall by hall, so a city-wide item's dozen
// station windows read as one line per hall rather than one per window.
export interface WindowPlace {
  code: string
  name: string
  hall_name: string
  floor: string
  site_name: string
}

export interface HallWindows {
  site: string
  hall: string
  floor: string
  windows: WindowPlace[]
}

/** The windows grouped by site and hall, in the order they come (the organisation's). */
export function byHall(windows: readonly WindowPlace[]): HallWindows[] {
  const out: HallWindows[] = []
  for (const w of windows) {
    const last = out.find((h) => h.site === w.site_name && h.hall === w.hall_name)
    if (last) last.windows.push(w)
    else out.push({ site: w.site_name, hall: w.hall_name, floor: w.floor, windows: [w] })
  }
  return out
}
