import { describe, expect, it } from 'vitest'
import { staffForms } from './caseActions'

const steps = [
  { kind: 'review', name: '审查', role: 'approver', department: 'RSJ', time_limit_days: 4, stops: [] },
  { kind: 'decide', name: '审批', role: 'chief_representative', department: 'RSJ', time_limit_days: 1, stops: [] },
] as const
const kase = (status: string, current_step: number | null = null) => ({ status, current_step, steps: [...steps] }) as never
const approver = { roles: ['approver' as const], department: 'RSJ' }
const chief = { roles: ['chief_representative' as const], department: 'RSJ' }
const clerk = { roles: ['clerk' as const], department: null }

describe('staffForms', () => {
  it('gives an accepting clerk the checklist for a submitted application', () => {
    expect(staffForms(clerk, { code: 'A01', issues_results: false }, kase('submitted'))).toEqual(['acceptance'])
    expect(staffForms(approver, undefined, kase('submitted'))).toEqual([])
  })
  it('gives the current step to its department and role only', () => {
    expect(staffForms(approver, undefined, kase('in_progress', 0))).toEqual(['complete_step', 'start_special_procedure'])
    expect(staffForms({ roles: ['approver'], department: 'SYJ' }, undefined, kase('in_progress', 0))).toEqual([])
    expect(staffForms(approver, undefined, kase('in_progress', 1))).toEqual([])
    expect(staffForms(chief, undefined, kase('in_progress', 1))).toEqual(['decide', 'start_special_procedure'])
    expect(staffForms(chief, undefined, kase('suspended', 1))).toEqual(['end_special_procedure'])
  })
  it('lets only a clerk of an issuing window issue', () => {
    expect(staffForms(clerk, { code: 'E02', issues_results: true }, kase('approved'))).toEqual(['issue'])
    expect(staffForms(clerk, { code: 'A01', issues_results: false }, kase('denied'))).toEqual([])
    expect(staffForms(clerk, { code: 'E02', issues_results: true }, kase('issued'))).toEqual(['close'])
  })
})
