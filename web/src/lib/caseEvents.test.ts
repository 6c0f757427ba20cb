import { describe, expect, it } from 'vitest'
import type { CaseDetail, CaseEvent } from '../api/cases'
import { caseStatusValues, type components } from '../api/schema'
import { zhCN } from '../locales/zh-CN'
import { messageAt } from '../locales/lookup'
import { eventActor, eventLines, eventUnit, latestSupplement, nextStep, noticeKinds, staffNames } from './caseEvents'

type Event = components['schemas']['Event']

const supplement = (notice: number, items: components['schemas']['SupplementItem'][]): Event => ({
  kind: 'supplement_requested',
  payload: { items, notice, repeat: notice > 1 },
})
const detail = (status: CaseDetail['case']['status'], events: Event[] = [], extra: Partial<CaseDetail['case']> = {}) => ({
  due_on: '2026-12-01',
  events,
  case: { status, waived: [], special_procedure: null, issue: null, ...extra },
})

describe('nextStep', () => {
  it('names a message for every status', () => {
    for (const status of caseStatusValues) {
      for (const special_procedure of [null, 'hearing'] as const) {
        const key = nextStep(detail(status, [], { special_procedure })).key
        expect(typeof messageAt(zhCN, key), key).toBe('string')
      }
    }
  })
  it('lists exactly the materials of the latest supplement notice', () => {
    const events: Event[] = [
      supplement(1, [{ material: 'M01', problem: 'missing', note: '' }]),
      { kind: 'supplement_provided', payload: { note: 'ok' } },
      supplement(2, [{ material: 'M02', problem: 'faulty', note: 'expired' }]),
    ]
    const n = nextStep(detail('awaiting_supplement', events))
    expect(n.key).toBe('my.next.awaiting_supplement')
    expect(n.supplement).toEqual([{ material: 'M02', problem: 'faulty', note: 'expired' }])
    expect(latestSupplement([])).toEqual([])
  })
  it('gives the refusal reason, legal basis and redirect', () => {
    const refused: Event = { kind: 'refused', payload: { reason: 'r', legal_basis: 'b', redirect: 'x', refused_by: 'clerk.a01' } }
    const n = nextStep(detail('refused', [refused]))
    expect(n.refusal).toEqual({ reason: 'r', legalBasis: 'b', redirect: 'x' })
  })
  it('names the due date, the denial reason, the issue method and owed waived materials', () => {
    const denied: Event = { kind: 'decided', payload: { by: 'approver.rsj.1', decision: 'denied', comment: 'no', step_name: '审批' } }
    expect(nextStep(detail('in_progress')).params).toEqual({ date: '2026-12-01' })
    expect(nextStep(detail('denied', [denied])).params).toEqual({ reason: 'no' })
    expect(nextStep(detail('issued', [], { issue: { method: 'post', tracking_number: 'EA1' } }))).toMatchObject({ key: 'my.next.issuedPost', params: { tracking: 'EA1' } })
    const owed = nextStep(detail('in_progress', [], { waived: [{ material: 'M03', due_on: '2026-12-04', provided_on: null }] })).owed
    expect(owed).toEqual([{ material: 'M03', due_on: '2026-12-04' }])
    expect(nextStep(detail('draft')).key).toBe('my.next.draft')
  })
})

describe('eventLines', () => {
  const name = (c: string) => `name of ${c}`
  it('shows reviewers comments and step names', () => {
    expect(eventLines({ kind: 'step_completed', payload: { by: 'reviewer.rsj', comment: 'fine', step_name: '审查' } }, name)).toEqual([
      { label: 'caseView.lines.step', text: '审查' },
      { label: 'caseView.lines.comment', text: 'fine' },
    ])
    const deny = { by: 'reviewer.rsj', comment: 'unmet', step_name: '审查', recommendation: 'deny' as const }
    expect(eventLines({ kind: 'step_completed', payload: deny }, name)).toEqual([
      { label: 'caseView.lines.step', text: '审查' },
      { label: 'caseView.lines.recommendation', key: 'step.recommend.deny' },
      { label: 'caseView.lines.comment', text: 'unmet' },
    ])
  })
  it('says where a case was sent back to, and why', () => {
    const back = { to: 'previous_step' as const, reason: '未核对', by: 'approver.rsj.2', from_step: '审核', to_step: '审查' }
    expect(eventLines({ kind: 'returned', payload: back }, name)).toEqual([
      { label: 'caseView.lines.step', text: '审核' },
      { label: 'caseView.lines.returnedTo', key: 'caseView.returnTo.previous_step_named', params: { step: '审查' } },
      { label: 'caseView.lines.reason', text: '未核对' },
    ])
    expect(eventLines({ kind: 'returned', payload: { ...back, to: 'window', to_step: null } }, name)[1]).toEqual({
      label: 'caseView.lines.returnedTo',
      key: 'caseView.returnTo.window',
    })
  })
  it('says which light a case moved to, and its due date', () => {
    expect(eventLines({ kind: 'light_changed', payload: { from: 'green', to: 'yellow', due_on: '2026-12-01' } }, name)).toEqual([
      { label: 'caseView.lines.light', key: 'lights.yellow' },
      { label: 'caseView.lines.dueOn', date: '2026-12-01' },
    ])
  })
  it("names steps in the reader's words", () => {
    const kinds: Record<string, string> = { 审核: 'Verification', 审查: 'Review' }
    const step = (n: string) => kinds[n] ?? n
    const back = { to: 'previous_step' as const, reason: 'r', by: 'approver.rsj.2', from_step: '审核', to_step: '审查' }
    expect(eventLines({ kind: 'returned', payload: back }, name, undefined, step).slice(0, 2)).toEqual([
      { label: 'caseView.lines.step', text: 'Verification' },
      { label: 'caseView.lines.returnedTo', key: 'caseView.returnTo.previous_step_named', params: { step: 'Review' } },
    ])
  })
  it('names the materials of a notice', () => {
    expect(eventLines(supplement(1, [{ material: 'M01', problem: 'missing', note: '' }]), name)).toEqual([
      { label: 'caseView.lines.missing', text: 'name of M01' },
    ])
  })
  it('names the material and the file of an upload', () => {
    const upload: Event = {
      kind: 'material_uploaded',
      payload: { by: 'applicant.1', material: 'M02', name: '执照.pdf', size: 9, digest: 'ab', media_type: 'application/pdf' },
    }
    expect(eventLines(upload, name)).toEqual([
      { label: 'caseView.lines.material', text: 'name of M02' },
      { label: 'materials.fileLine', text: '执照.pdf' },
    ])
  })
  it('shows nothing for blank free text', () => {
    expect(eventLines({ kind: 'refused', payload: { reason: ' ', legal_basis: '', redirect: '\n', refused_by: 'clerk.a01' } }, name)).toEqual([])
  })
  it('names the waived materials, the decision, the procedure and the issue method', () => {
    const accepted: Event = {
      kind: 'accepted',
      payload: { window: 'A01', due_on: '2026-12-01', waived: [{ material: 'M03', due_on: '2026-12-04' }] },
    }
    expect(eventLines(accepted, name)).toEqual([
      { label: 'caseView.lines.waived', key: 'caseView.lines.waivedValue', params: { name: 'name of M03', date: '2026-12-04' } },
      { label: 'caseView.lines.dueOn', date: '2026-12-01' },
    ])
    expect(eventLines({ kind: 'decided', payload: { by: 'approver.rsj.1', decision: 'approved', comment: '', step_name: '审批' } }, name)).toEqual([
      { label: 'caseView.lines.step', text: '审批' },
      { label: 'caseView.lines.decision', key: 'caseView.decision.approved' },
    ])
    const numbered = { by: 'chief.rsj', decision: 'approved', comment: '准予', step_name: '决定', document_number: '金人社许〔2026〕37号' } as const
    expect(eventLines({ kind: 'decided', payload: numbered }, name)).toEqual([
      { label: 'caseView.lines.step', text: '决定' },
      { label: 'caseView.lines.decision', key: 'caseView.decision.approved' },
      { label: 'caseView.lines.documentNumber', text: '金人社许〔2026〕37号' },
      { label: 'caseView.lines.comment', text: '准予' },
    ])
    expect(eventLines({ kind: 'special_procedure_started', payload: { procedure: 'hearing', reason: '听证', days: 20, due_on: '2026-12-29' } }, name)).toEqual([
      { label: 'caseView.lines.procedure', key: 'caseView.procedures.hearing' },
      { label: 'caseView.lines.reason', text: '听证' },
      { label: 'caseView.lines.procedureTime', key: 'caseView.lines.procedureTimeValue', params: { days: '20', date: '2026-12-29' } },
    ])
    expect(eventLines({ kind: 'special_procedure_ended', payload: { procedure: 'hearing', outcome: '听证结束', overran: true } }, name)).toEqual([
      { label: 'caseView.lines.outcome', text: '听证结束' },
      { label: 'caseView.lines.procedureTime', key: 'caseView.lines.overran' },
    ])
    expect(eventLines({ kind: 'issued', payload: { method: { method: 'window', window: 'E02' } } }, name)).toEqual([
      { label: 'caseView.lines.issueMethod', key: 'caseView.issueWindow', params: { window: 'E02' } },
    ])
    expect(eventLines({ kind: 'issued', payload: { method: { method: 'window' } } }, name)).toEqual([
      { label: 'caseView.lines.issueMethod', key: 'caseView.issueWindow', params: { window: '' } },
    ])
    expect(eventLines({ kind: 'issued', payload: { method: { method: 'post', tracking_number: 'EA1' } } }, name)).toEqual([
      { label: 'caseView.lines.issueMethod', key: 'caseView.issuePost', params: { tracking: 'EA1' } },
    ])
    expect(eventLines({ kind: 'issued', payload: { method: { method: 'post', tracking_number: 'EA1', address: '金砂路1号' } } }, name)).toEqual([
      { label: 'caseView.lines.issueMethod', key: 'caseView.issuePost', params: { tracking: 'EA1' } },
      { label: 'caseView.lines.address', text: '金砂路1号' },
    ])
    const collector = { name: '李四', id_number: '4405**********1234', entrustment: '授权委托书' }
    expect(eventLines({ kind: 'issued', payload: { method: { method: 'window', window: 'E02', collector } } }, name)).toEqual([
      { label: 'caseView.lines.issueMethod', key: 'caseView.issueWindow', params: { window: 'E02' } },
      { label: 'caseView.lines.collector', key: 'caseView.collector', params: { name: '李四', id: '4405**********1234' } },
      { label: 'caseView.lines.entrustment', text: '授权委托书' },
    ])
    expect(eventLines({ kind: 'closed', payload: { by: 'clerk.a01' } }, name)).toEqual([])
  })
})

describe('noticeKinds', () => {
  it('names each notice a decision produced once, in order', () => {
    const log: Event['kind'][] = ['submitted', 'supplement_requested', 'supplement_provided', 'supplement_requested', 'accepted', 'step_completed']
    expect(noticeKinds(log.map((kind) => ({ kind })))).toEqual(['receipt', 'supplement', 'acceptance'])
    expect(noticeKinds([{ kind: 'submitted' }, { kind: 'refused' }])).toEqual(['receipt', 'refusal'])
    const decided: Event['kind'][] = ['submitted', 'accepted', 'step_completed', 'decided', 'issued']
    expect(noticeKinds(decided.map((kind) => ({ kind })))).toEqual(['receipt', 'acceptance', 'decision'])
    // A sent application has its receipt at once; a draft has nothing yet.
    expect(noticeKinds([{ kind: 'submitted' }])).toEqual(['receipt'])
    expect(noticeKinds([{ kind: 'material_uploaded' }])).toEqual([])
  })
})

describe('assignments in the log', () => {
  const assigned = (assignee: string, assignee_name: string, previous: string | null): Event & Pick<CaseEvent, 'actor_id' | 'actor_name'> => ({
    kind: 'assigned',
    actor_id: 'chief.rsj',
    actor_name: '马燕玲',
    payload: { assignee, assignee_name, previous, by: 'chief.rsj', step_name: '审查' },
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
  const by = (actor_role: string, actor_name: string | null, actor_department: string | null, window: string | null) => ({
    actor_role,
    actor_name,
    actor_department,
    window,
  })
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
