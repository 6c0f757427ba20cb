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

/** The inbox's assignment filter from the address bar (`?assignment=mine`), or none. */
export function assignmentFromQuery(value: unknown): 'mine' | 'unassigned' | '' {
  return value === 'mine' || value === 'unassigned' ? value : ''
}
