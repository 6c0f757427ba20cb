// Where a refused action's problem belongs on the form: the field the server names in `errors`,
// or, for domain codes that name no field, the field the code is about.
import type { ApiProblem, Bilingual } from './problem'

const CODE_FIELDS: Record<string, string> = {
  repeat_supplement_reason_required: 'repeat_reason',
  empty_supplement: 'items',
  waived_due_not_in_future: 'waived',
  material_not_waivable: 'waived',
  duplicate_material: 'items',
}

/** The message for `field`, if the problem is about it; otherwise undefined (shown above the form). */
export function problemFor(problem: ApiProblem | null | undefined, field: string): Bilingual | undefined {
  if (!problem) return undefined
  const exact = problem.errors.find((e) => e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`))
  if (exact) return exact
  return CODE_FIELDS[problem.code] === field ? problem : undefined
}

/** Whether the problem is shown at one of `fields` (then the form need not repeat it on top). */
export function isFieldProblem(problem: ApiProblem | null | undefined, fields: readonly string[]): boolean {
  return fields.some((f) => problemFor(problem, f) !== undefined)
}
