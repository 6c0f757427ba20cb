import { describe, expect, it } from 'vitest'
import { ApiProblem } from './problem'
import { isFieldProblem, problemFor } from './actionProblems'

const p = (code: string, errors: { field: string }[] = []) =>
  new ApiProblem({ status: 422, code, message_zh: 'zh', message_en: 'en', errors: errors.map((e) => ({ ...e, code, message_zh: 'fz', message_en: 'fe' })) })

describe('problemFor', () => {
  it('puts a named field error at its field', () => {
    expect(problemFor(p('x', [{ field: 'waived[0].due_on' }]), 'waived')?.message_zh).toBe('fz')
    expect(problemFor(p('x', [{ field: 'reason' }]), 'legal_basis')).toBeUndefined()
  })
  it('puts a second notice without reason at the reason field', () => {
    expect(problemFor(p('repeat_supplement_reason_required'), 'repeat_reason')?.message_zh).toBe('zh')
    expect(isFieldProblem(p('forbidden'), ['repeat_reason'])).toBe(false)
  })
})
