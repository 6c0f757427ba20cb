import { describe, expect, it } from 'vitest'
import { assignBlocker, assignmentFromQuery, assignmentOutcome, assignmentQuery, defaultAssignment } from './assignment'

describe('assignBlocker', () => {
  it('needs cases and an assignee before sending', () => {
    expect(assignBlocker([], 'approver.rsj.1')).toBe('assignment.noneSelected')
    expect(assignBlocker(['440511-20261121-0000001'], undefined)).toBe('assignment.chooseAssignee')
    expect(assignBlocker(['440511-20261121-0000001'], '')).toBe('assignment.chooseAssignee')
    expect(assignBlocker(['440511-20261121-0000001'], 'approver.rsj.1')).toBeNull()
  })
})

describe('assignmentOutcome', () => {
  it('separates the assigned cases from the refused ones and keeps each reason', () => {
    const problem = {
      type: 'urn:onewindow:problem:not_found',
      title: 'Not Found',
      status: 404,
      detail: 'Case not found',
      code: 'not_found',
      message_zh: '办件不存在或您无权查看',
      message_en: 'Case not found',
    }
    const out = assignmentOutcome([
      { number: 'A', assigned: true, problem: null },
      { number: 'B', assigned: false, problem },
      { number: 'C', assigned: true, problem: null },
    ])
    expect(out.assigned).toEqual(['A', 'C'])
    expect(out.refused).toHaveLength(1)
    expect(out.refused[0]!.number).toBe('B')
    expect(out.refused[0]!.problem.code).toBe('not_found')
    expect(out.refused[0]!.problem.status).toBe(404)
    expect(out.refused[0]!.problem.message_zh).toBe('办件不存在或您无权查看')
  })
})

describe('assignmentFromQuery', () => {
  it('accepts only the two filters', () => {
    expect(assignmentFromQuery('mine')).toBe('mine')
    expect(assignmentFromQuery('unassigned')).toBe('unassigned')
    expect(assignmentFromQuery('all')).toBe('')
    expect(assignmentFromQuery(undefined)).toBe('')
  })
  it('falls back to the role default only without a filter in the URL', () => {
    expect(assignmentFromQuery(undefined, 'mine')).toBe('mine')
    expect(assignmentFromQuery('all', 'mine')).toBe('')
    expect(assignmentFromQuery('unassigned', 'mine')).toBe('unassigned')
  })
})

describe('defaultAssignment', () => {
  it('opens an approver on their own cases, the chief representative on all', () => {
    expect(defaultAssignment(['approver'])).toBe('mine')
    expect(defaultAssignment(['approver', 'chief_representative'])).toBe('')
    expect(defaultAssignment(['chief_representative'])).toBe('')
    expect(defaultAssignment(['clerk'])).toBe('')
  })
})

describe('assignmentQuery', () => {
  it('keeps the URL clean for the default and explicit otherwise', () => {
    expect(assignmentQuery('mine', 'mine')).toBeUndefined()
    expect(assignmentQuery('', 'mine')).toBe('all')
    expect(assignmentQuery('', '')).toBeUndefined()
    expect(assignmentQuery('mine', '')).toBe('mine')
  })
})
