// Assignment (指派): the department's chief representative gives cases' current steps to one
// member of staff, several at once; whom they may give them to.
import { api, unwrap } from './client'
import type { components, paths } from './schema'

type Schemas = components['schemas']

export type Assignee = Schemas['AssigneeView']
export type AssignmentResult = Schemas['AssignmentResult']
/** The inbox filter: steps assigned to the caller, or to nobody yet. */
export type AssignmentFilter = NonNullable<NonNullable<paths['/api/v1/cases']['get']['parameters']['query']>['assignment']>

/** Whom the caller may give steps to (403 unless they are a department's chief representative). */
export function listAssignees(): Promise<Assignee[]> {
  return unwrap(api.GET('/api/v1/assignees'))
}

/** Gives each case's current step to `assignee`; answers per case, in the order given. */
export async function assignCases(cases: string[], assignee: string): Promise<AssignmentResult[]> {
  const r = await unwrap(api.POST('/api/v1/cases/assignments', { body: { cases, assignee } }))
  return r.items
}
