// Where the server's problems with an item definition belong on the editor. The server names
// each field by its JSON path (`name`, `materials[2].name`, `steps`, `windows[1]`); the editor
// shows each message next to the field of that path, counts them on the tab that holds it, and
// shows above the form whatever no field of the editor holds.
import type { ApiProblem, Bilingual } from './problem'

/** The editor's tabs, in their order. */
export const SECTIONS = ['basic', 'public', 'materials', 'steps', 'limits', 'windows'] as const
export type Section = (typeof SECTIONS)[number]

/** The tab of every top-level field of an item definition (and of the windows' request). */
const SECTION_OF: Record<string, Section> = {
  basic_code: 'basic',
  implementation_code: 'basic',
  name: 'basic',
  parent_code: 'basic',
  item_type: 'basic',
  department: 'basic',
  theme: 'basic',
  applicant_kind: 'basic',
  service_level: 'basic',
  scope: 'basic',
  online_depth: 'basic',
  visits_needed: 'basic',
  comments_public: 'basic',
  legal_basis: 'public',
  conditions: 'public',
  result: 'public',
  location: 'public',
  office_hours: 'public',
  consultation_phone: 'public',
  complaint_phone: 'public',
  keywords: 'public',
  materials: 'materials',
  shape: 'steps',
  separate_duties: 'steps',
  steps: 'steps',
  legal_time_limit_days: 'limits',
  promised_time_limit_days: 'limits',
  promise: 'limits',
  fees: 'limits',
  windows: 'windows',
}

/**
 * One spelling for a path: `materials.2.name` and `materials[2].name` both become
 * `materials[2].name`, so the server's paths and the editor's agree.
 */
export function normalisePath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]')
}

/** The top-level field of a path: `materials` for `materials[2].name`. */
export function rootOf(path: string): string {
  return normalisePath(path).split(/[.[]/, 1)[0] ?? ''
}

/** The tab that holds a path; undefined for a field the editor does not know. */
export function sectionOf(path: string): Section | undefined {
  return SECTION_OF[rootOf(path)]
}

/** The field problems of a failed save, by normalised path (several may name one field). */
export type FieldMessages = Map<string, Bilingual[]>

export function fieldMessages(problem: ApiProblem | null | undefined): FieldMessages {
  const out: FieldMessages = new Map()
  for (const e of problem?.errors ?? []) {
    const path = normalisePath(e.field)
    out.set(path, [...(out.get(path) ?? []), e])
  }
  return out
}

/** How many problems each tab holds, for the tab's badge. */
export function sectionCounts(messages: FieldMessages): Record<Section, number> {
  const counts = Object.fromEntries(SECTIONS.map((s) => [s, 0])) as Record<Section, number>
  for (const [path, list] of messages) {
    const s = sectionOf(path)
    if (s) counts[s] += list.length
  }
  return counts
}

/** The first tab with a problem, so the editor can open it after a failed save. */
export function firstSectionWithProblems(messages: FieldMessages): Section | undefined {
  const counts = sectionCounts(messages)
  return SECTIONS.find((s) => counts[s] > 0)
}

/**
 * The problems no field of the editor shows: paths the editor has no field for (`shown` says
 * which it has), so they are listed above the form instead of being lost.
 */
export function unplaced(messages: FieldMessages, shown: (path: string) => boolean): Bilingual[] {
  return [...messages].filter(([path]) => !shown(path)).flatMap(([, list]) => list)
}

/**
 * The messages after rows of the list `root` were added, removed or moved: the list's problems
 * named rows by their old positions, so they are dropped until the next save checks again.
 */
export function withoutList(messages: FieldMessages, root: string): FieldMessages {
  return new Map([...messages].filter(([path]) => path === root || rootOf(path) !== root))
}

/**
 * Whether the editor has a field for `path`: a known top-level field, and for a row of a list, a
 * row that is there (`lengths` gives each list's length).
 */
export function hasField(path: string, lengths: Record<string, number>): boolean {
  const p = normalisePath(path)
  const root = rootOf(p)
  if (!SECTION_OF[root]) return false
  const row = /^[a-z_]+\[(\d+)\]/.exec(p)
  return !row || Number(row[1]) < (lengths[root] ?? 0)
}

/**
 * The problems of a windows request by window code: the server names each by its position in the
 * list that was sent (`windows[1]`).
 */
export function messagesByWindow(messages: FieldMessages, sent: readonly string[]): Map<string, Bilingual[]> {
  const out = new Map<string, Bilingual[]>()
  for (const [path, list] of messages) {
    const at = /^windows\[(\d+)\]$/.exec(path)
    const code = at ? sent[Number(at[1])] : undefined
    if (code !== undefined) out.set(code, [...(out.get(code) ?? []), ...list])
  }
  return out
}
