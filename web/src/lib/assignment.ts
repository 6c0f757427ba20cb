// The inbox's bulk assignment (指派): what to check before sending, and the per-case answer
// split into what was assigned and what was left unchanged with its reason.
import type { AssignmentResult } from '../api/assignments'
import { ApiProblem } from './problem'

/** Why the request cannot be sent yet (an i18n key), or null when it can. */
export function assignBlocker(selected: readonly string[], assignee: string | undefined): string | null {
  if (!selected.length) return 'assignment.noneSelected'
  if (!assignee) return 'assignment.chooseAssignee'
  return null
}

export interface AssignmentOutcome {
  assigned: string[]
  /** Cases left unchanged, each with the problem the server gave for it. */
  refused: { number: string; problem: ApiProblem }[]
}

export function assignmentOutcome(results: readonly AssignmentResult[]): AssignmentOutcome {
  const out: AssignmentOutcome = { assigned: [], refused: [] }
  for (const r of results) {
    if (r.assigned) out.assigned.push(r.number)
    else out.refused.push({ number: r.number, problem: ApiProblem.fromResponse(r.problem?.status ?? 500, r.problem) })
  }
  return out
}

export type AssignmentFilter = 'mine' | 'unassigned' | ''

/**
 * The inbox's filter a member of staff starts on: an approver takes what they are given, so their
 * inbox opens on the cases waiting on them; the chief representative, who shares the steps out,
 * on all of them.
 */
export function defaultAssignment(roles: readonly string[]): AssignmentFilter {
  return roles.includes('approver') && !roles.includes('chief_representative') ? 'mine' : ''
}

/** The inbox's assignment filter from the address bar (`?assignment=mine`, `all`), else `fallback`. */
export function assignmentFromQuery(value: unknown, fallback: AssignmentFilter = ''): AssignmentFilter {
  if (value === 'mine' || value === 'unassigned') return value
  return value === 'all' ? '' : fallback
}

/** The filter as the address bar keeps it: nothing for the default, `all` for all when it is not. */
export function assignmentQuery(filter: AssignmentFilter, fallback: AssignmentFilter): string | undefined {
  if (filter === fallback) return undefined
  return filter || 'all'
}
