import { describe, expect, it } from 'vitest'
import { applicantForms, staffForms, stepForms } from './caseActions'

describe('staffForms', () => {
  it('offers the checklist for what the acceptance desk may do', () => {
    expect(staffForms(['accept', 'refuse', 'request_supplement', 'withdraw'])).toEqual(['acceptance'])
  })
  it('offers exactly the step actions the server lists, and assignment', () => {
    expect(staffForms(['request_supplement', 'complete_step', 'return', 'start_special_procedure', 'assign'])).toEqual([
      'supplement',
      'complete_step',
      'return',
      'start_special_procedure',
      'assign',
    ])
    // A chief representative whose colleague holds the step may only pass it on.
    expect(staffForms(['assign'])).toEqual(['assign'])
    expect(staffForms(['decide'])).toEqual(['decide'])
  })
  it('offers nothing when the server lists nothing, and ignores actions it has no form for', () => {
    expect(staffForms([])).toEqual([])
    expect(staffForms(['provide_waived_material', 'something_new'])).toEqual([])
  })
  it('gives each form once', () => {
    expect(staffForms(['issue', 'issue', 'close'])).toEqual(['issue', 'close'])
  })
})

describe('stepForms', () => {
  it('leaves the checklist, issue, assignment, supplement and return to their own components', () => {
    expect(stepForms(['acceptance', 'complete_step', 'issue', 'assign', 'supplement', 'return', 'close'])).toEqual(['complete_step', 'close'])
  })
})

describe('applicantForms', () => {
  it('follows the server: a draft is submitted or withdrawn, a notice answered', () => {
    expect(applicantForms(['submit', 'withdraw'])).toEqual(['submit', 'withdraw'])
    expect(applicantForms(['provide_supplement', 'withdraw'])).toEqual(['provide_supplement', 'withdraw'])
    expect(applicantForms(['provide_waived_material'])).toEqual([])
    expect(applicantForms([])).toEqual([])
  })
})
