import { describe, expect, it } from 'vitest'
import { eventActor, eventLines, eventUnit, latestSupplement, nextStep, noticeKinds, staffNames } from './caseEvents'

const ev = (kind: string, payload: unknown) => ({ kind, payload })
const detail = (status: string, events: { kind: string; payload: unknown }[] = [], extra: Record<string, unknown> = {}) =>
  ({ due_on: '2026-12-01', events, case: { status, waived: [], special_procedure: null, issue: null, ...extra } }) as never

describe('nextStep', () => {
  it('lists exactly the materials of the latest supplement notice', () => {
    const events = [
      ev('supplement_requested', { items: [{ material: 'M01', problem: 'missing', note: '' }] }),
      ev('supplement_provided', { note: 'ok' }),
      ev('supplement_requested', { items: [{ material: 'M02', problem: 'faulty', note: 'expired' }] }),
    ]
    const n = nextStep(detail('awaiting_supplement', events))
    expect(n.key).toBe('my.next.awaiting_supplement')
    expect(n.supplement).toEqual([{ material: 'M02', problem: 'faulty', note: 'expired' }])
    expect(latestSupplement([])).toEqual([])
  })
  it('gives the refusal reason, legal basis and redirect', () => {
    const n = nextStep(detail('refused', [ev('refused', { reason: 'r', legal_basis: 'b', redirect: 'x' })]))
    expect(n.refusal).toEqual({ reason: 'r', legalBasis: 'b', redirect: 'x' })
  })
  it('names the due date, the denial reason, the issue method and owed waived materials', () => {
    expect(nextStep(detail('in_progress')).params).toEqual({ date: '2026-12-01' })
    expect(nextStep(detail('denied', [ev('decided', { decision: 'denied', comment: 'no' })])).params).toEqual({ reason: 'no' })
    expect(nextStep(detail('issued', [], { issue: { method: 'post', tracking_number: 'EA1' } }))).toMatchObject({ key: 'my.next.issuedPost', params: { tracking: 'EA1' } })
    const owed = nextStep(detail('in_progress', [], { waived: [{ material: 'M03', due_on: '2026-12-04', provided_on: null }] })).owed
    expect(owed).toEqual([{ material: 'M03', due_on: '2026-12-04' }])
    expect(nextStep(detail('draft')).key).toBe('my.next.draft')
  })
})

describe('eventLines', () => {
  const name = (c: string) => `name of ${c}`
  it('shows reviewers comments and step names', () => {
    expect(eventLines(ev('step_completed', { comment: 'fine', step_name: '审查' }), name)).toEqual([
      { label: 'caseView.lines.step', text: '审查' },
      { label: 'caseView.lines.comment', text: 'fine' },
    ])
  })
  it('names the materials of a notice', () => {
    expect(eventLines(ev('supplement_requested', { items: [{ material: 'M01', problem: 'missing', note: '' }] }), name)).toEqual([
      { label: 'caseView.lines.missing', text: 'name of M01' },
    ])
  })
  it('names the material and the file of an upload', () => {
    expect(eventLines(ev('material_uploaded', { material: 'M02', name: '执照.pdf', size: 9 }), name)).toEqual([
      { label: 'caseView.lines.material', text: 'name of M02' },
      { label: 'materials.fileLine', text: '执照.pdf' },
    ])
  })
  it('shows nothing for an odd payload', () => {
    expect(eventLines(ev('refused', null), name)).toEqual([])
  })
})

describe('noticeKinds', () => {
  it('names each notice a decision produced once, in order', () => {
    const log = ['submitted', 'supplement_requested', 'supplement_provided', 'supplement_requested', 'accepted', 'step_completed']
    expect(noticeKinds(log.map((kind) => ({ kind })))).toEqual(['supplement', 'acceptance'])
    expect(noticeKinds([{ kind: 'submitted' }, { kind: 'refused' }])).toEqual(['refusal'])
    expect(noticeKinds(['submitted', 'accepted', 'step_completed', 'decided', 'issued'].map((kind) => ({ kind })))).toEqual([
      'acceptance',
      'decision',
    ])
    expect(noticeKinds([{ kind: 'submitted' }])).toEqual([])
  })
})

describe('assignments in the log', () => {
  const assigned = (assignee: string, assignee_name: string, previous: string | null) => ({
    kind: 'assigned',
    actor_id: 'chief.rsj',
    actor_name: '马燕玲',
    payload: { assignee, assignee_name, previous, step_name: '审查' },
  })
  const events = [assigned('approver.rsj.1', '张炜琳', null), assigned('approver.rsj.2', '吴炜城', 'approver.rsj.1')]
  it('names the assignee and, on a reassignment, whom the step was taken from', () => {
    const names = staffNames(events)
    expect(eventLines(events[0]!, (c) => c, names)).toEqual([
      { label: 'caseView.lines.step', text: '审查' },
      { label: 'assignment.lines.assignee', text: '张炜琳' },
    ])
    expect(eventLines(events[1]!, (c) => c, names)).toContainEqual({ label: 'assignment.lines.previous', text: '张炜琳' })
    expect(names('chief.rsj')).toBe('马燕玲')
    expect(names('someone.else')).toBe('someone.else')
  })
})

describe('eventActor', () => {
  const by = (actor_role: string, actor_name: string | null, actor_department: string | null, window: string | null) =>
    ({ actor_role, actor_name, actor_department, window }) as never
  it('gives staff the name, role and window', () => {
    expect(eventActor(by('clerk', '蔡桂娥', null, 'A01'), true)).toEqual({ name: '蔡桂娥', role: 'clerk', window: 'A01' })
    expect(eventActor(by('approver', '吴炜城', 'RSJ', null), true)).toEqual({ name: '吴炜城', role: 'approver', window: undefined })
  })
  it('gives the applicant the unit, and a name only where the server gave one', () => {
    expect(eventActor(by('approver', null, 'RSJ', null), false)).toEqual({ name: undefined, department: 'RSJ', window: undefined })
    expect(eventActor(by('approver', '张炜琳', 'RSJ', null), false)).toEqual({ name: '张炜琳', department: 'RSJ', window: undefined })
    expect(eventActor(by('clerk', null, null, 'A01'), false)).toEqual({ name: undefined, department: undefined, window: 'A01' })
    expect(eventActor(by('applicant', '吴**', null, null), false)).toEqual({ name: '吴**' })
  })
})

describe('eventUnit', () => {
  it('names the department, else the window, for the public progress query', () => {
    expect(eventUnit({ actor_department: 'RSJ', window: 'A01' })).toEqual({ department: 'RSJ' })
    expect(eventUnit({ actor_department: null, window: 'E02' })).toEqual({ window: 'E02' })
    expect(eventUnit({ actor_department: null, window: null })).toEqual({})
  })
})
