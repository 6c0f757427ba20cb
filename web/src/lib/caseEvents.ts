// What an event of a case's log says, as labelled lines for the timelines, and the facts the
// applicant's "what to do next" line needs (the latest supplement notice, refusal, decision).
import type { CaseDetail, CaseEvent, NoticeKind, SupplementItem } from '../api/cases'
import type { components } from '../api/schema'

/** What happened, discriminated by `kind` so that each kind's payload is typed. */
type LogEvent = components['schemas']['Event']
type EventOf<K extends LogEvent['kind']> = Extract<LogEvent, { kind: K }>

/**
 * One line under an event: an i18n label key and either text, a date, or a further i18n key with
 * params. Dates (`date`, and a `date` param) are `YYYY-MM-DD`, for the reader's format.
 */
export interface EventLine {
  label: string
  text?: string
  date?: string
  key?: string
  params?: Record<string, string>
}

/** Free text worth showing: blank comments and reasons are left out. */
function str(v: string | null | undefined): string | undefined {
  return v?.trim() ? v : undefined
}

/** The latest event of a kind, if the log has one. */
function latest<K extends LogEvent['kind']>(events: readonly LogEvent[], kind: K): EventOf<K> | undefined {
  return [...events].reverse().find((e): e is EventOf<K> => e.kind === kind)
}

/**
 * The detail lines of an event; `materialName` turns a material code into its name, `staffName`
 * a staff id into the name the log knows them by (see `staffNames`), `stepName` a step's name
 * into the reader's (see `labelByName`).
 */
export function eventLines(
  ev: LogEvent,
  materialName: (code: string) => string,
  staffName: (id: string) => string = (id) => id,
  stepName: (name: string) => string = (name) => name,
): EventLine[] {
  const lines: EventLine[] = []
  const text = (label: string, v: string | null | undefined) => {
    const s = str(v)
    if (s) lines.push({ label, text: s })
  }
  switch (ev.kind) {
    case 'accepted':
      for (const w of ev.payload.waived) {
        lines.push({ label: 'caseView.lines.waived', key: 'caseView.lines.waivedValue', params: { name: materialName(w.material), date: w.due_on } })
      }
      if (ev.payload.due_on) lines.push({ label: 'caseView.lines.dueOn', date: ev.payload.due_on })
      break
    case 'refused':
      text('caseView.lines.reason', ev.payload.reason)
      text('caseView.lines.legalBasis', ev.payload.legal_basis)
      text('caseView.lines.redirect', ev.payload.redirect)
      break
    case 'supplement_requested':
      for (const i of ev.payload.items) {
        const note = i.note.trim()
        lines.push({
          label: i.problem === 'faulty' ? 'caseView.lines.faulty' : 'caseView.lines.missing',
          text: note ? `${materialName(i.material)}: ${note}` : materialName(i.material),
        })
      }
      text('caseView.lines.repeatReason', ev.payload.repeat_reason)
      break
    case 'supplement_provided':
      text('caseView.lines.note', ev.payload.note)
      break
    case 'step_completed':
      text('caseView.lines.step', stepName(ev.payload.step_name))
      if (ev.payload.recommendation === 'deny') lines.push({ label: 'caseView.lines.recommendation', key: 'step.recommend.deny' })
      text('caseView.lines.comment', ev.payload.comment)
      break
    case 'returned':
      text('caseView.lines.step', stepName(ev.payload.from_step))
      lines.push(
        ev.payload.to_step
          ? { label: 'caseView.lines.returnedTo', key: 'caseView.returnTo.previous_step_named', params: { step: stepName(ev.payload.to_step) } }
          : { label: 'caseView.lines.returnedTo', key: 'caseView.returnTo.window' },
      )
      text('caseView.lines.reason', ev.payload.reason)
      break
    case 'decided':
      text('caseView.lines.step', stepName(ev.payload.step_name))
      lines.push({ label: 'caseView.lines.decision', key: `caseView.decision.${ev.payload.decision}` })
      text('caseView.lines.documentNumber', ev.payload.document_number)
      text('caseView.lines.comment', ev.payload.comment)
      break
    case 'special_procedure_started':
      lines.push({ label: 'caseView.lines.procedure', key: `caseView.procedures.${ev.payload.procedure}` })
      text('caseView.lines.reason', ev.payload.reason)
      if (ev.payload.days && ev.payload.due_on) {
        lines.push({ label: 'caseView.lines.procedureTime', key: 'caseView.lines.procedureTimeValue', params: { days: String(ev.payload.days), date: ev.payload.due_on } })
      }
      break
    case 'special_procedure_ended':
      text('caseView.lines.outcome', ev.payload.outcome)
      if (ev.payload.overran) lines.push({ label: 'caseView.lines.procedureTime', key: 'caseView.lines.overran' })
      break
    case 'waived_material_provided':
      lines.push({ label: 'caseView.lines.material', text: materialName(ev.payload.material) })
      break
    case 'material_uploaded':
      lines.push({ label: 'caseView.lines.material', text: materialName(ev.payload.material) })
      text('materials.fileLine', ev.payload.name)
      break
    case 'withdrawn':
      text('caseView.lines.reason', ev.payload.reason)
      break
    case 'assigned':
      text('caseView.lines.step', stepName(ev.payload.step_name))
      text('assignment.lines.assignee', ev.payload.assignee_name)
      if (ev.payload.previous) lines.push({ label: 'assignment.lines.previous', text: staffName(ev.payload.previous) })
      break
    case 'light_changed':
      lines.push({ label: 'caseView.lines.light', key: `lights.${ev.payload.to}` }, { label: 'caseView.lines.dueOn', date: ev.payload.due_on })
      break
    case 'issued': {
      const m = ev.payload.method
      if (m.method === 'post') {
        lines.push({ label: 'caseView.lines.issueMethod', key: 'caseView.issuePost', params: { tracking: m.tracking_number } })
        if (m.address) text('caseView.lines.address', m.address)
        break
      }
      lines.push({ label: 'caseView.lines.issueMethod', key: 'caseView.issueWindow', params: { window: m.window ?? '' } })
      const c = m.collector
      if (c) {
        lines.push({ label: 'caseView.lines.collector', key: 'caseView.collector', params: { name: c.name, id: c.id_number } })
        if (c.entrustment) text('caseView.lines.entrustment', c.entrustment)
      }
      break
    }
  }
  return lines
}

/** The materials named in the latest supplement notice (一次性告知), if there is one. */
export function latestSupplement(events: readonly LogEvent[]): SupplementItem[] {
  return latest(events, 'supplement_requested')?.payload.items ?? []
}

export interface Refusal {
  reason: string
  legalBasis: string
  redirect: string
}

export function latestRefusal(events: readonly LogEvent[]): Refusal | undefined {
  const p = latest(events, 'refused')?.payload
  return p ? { reason: str(p.reason) ?? '', legalBasis: str(p.legal_basis) ?? '', redirect: str(p.redirect) ?? '' } : undefined
}

export function decisionComment(events: readonly LogEvent[]): string | undefined {
  return str(latest(events, 'decided')?.payload.comment)
}

/** What the applicant should do now, as an i18n key with its parameters and any list to show. */
export interface NextStep {
  key: string
  params: Record<string, string>
  /** awaiting_supplement: exactly the materials the notice names. */
  supplement: SupplementItem[]
  refusal?: Refusal
  /** Waived (容缺) materials the applicant still owes: code and due date. */
  owed: { material: string; due_on: string }[]
}

/** The parts of a case's detail `nextStep` reads. */
type NextStepInput = Pick<CaseDetail, 'due_on'> & {
  case: Pick<CaseDetail['case'], 'status' | 'waived' | 'special_procedure' | 'issue'>
  events: readonly LogEvent[]
}

export function nextStep(detail: NextStepInput): NextStep {
  const c = detail.case
  const owed = c.waived.filter((w) => !w.provided_on).map((w) => ({ material: w.material, due_on: w.due_on }))
  const base: NextStep = { key: `my.next.${c.status}`, params: {}, supplement: [], owed }
  switch (c.status) {
    case 'awaiting_supplement':
      return { ...base, supplement: latestSupplement(detail.events) }
    case 'in_progress':
      return { ...base, params: { date: detail.due_on ?? '' } }
    case 'suspended':
      return { ...base, key: c.special_procedure ? 'my.next.suspended' : 'my.next.suspendedPlain', params: { procedure: c.special_procedure ?? '' } }
    case 'refused':
      return { ...base, refusal: latestRefusal(detail.events) }
    case 'denied':
      return { ...base, params: { reason: decisionComment(detail.events) ?? '' } }
    case 'issued':
      if (c.issue?.method === 'post') return { ...base, key: 'my.next.issuedPost', params: { tracking: c.issue.tracking_number } }
      return { ...base, key: 'my.next.issuedWindow', params: { window: c.issue?.method === 'window' ? (c.issue.window ?? '') : '' } }
    default:
      return base
  }
}

/** The event that records each notice's decision, as the server's `Decision::from_event` pairs them. */
const NOTICE_OF: Partial<Record<LogEvent['kind'], NoticeKind>> = {
  submitted: 'receipt',
  accepted: 'acceptance',
  refused: 'refusal',
  supplement_requested: 'supplement',
  special_procedure_started: 'special_procedure',
  decided: 'decision',
}

/** The notices a case's decisions produced, in the order they were first issued. */
export function noticeKinds(events: Pick<CaseEvent, 'kind'>[]): NoticeKind[] {
  const kinds: NoticeKind[] = []
  for (const ev of events) {
    const kind = NOTICE_OF[ev.kind]
    if (kind && !kinds.includes(kind)) kinds.push(kind)
  }
  return kinds
}

/** Every staff id → name a log reveals: its actors' names and the assignees' names. */
export function staffNames(events: readonly (LogEvent & Pick<CaseEvent, 'actor_id' | 'actor_name'>)[]): (id: string) => string {
  const names = new Map<string, string>()
  for (const ev of events) {
    if (ev.actor_name) names.set(ev.actor_id, ev.actor_name)
    if (ev.kind === 'assigned' && str(ev.payload.assignee_name)) names.set(ev.payload.assignee, ev.payload.assignee_name)
  }
  return (id) => names.get(id) ?? id
}

/** Who did it, as far as the reader may know; department and window are still codes. */
export interface ActorParts {
  name?: string
  role?: string
  department?: string
  window?: string
}

type ActorFields = Pick<CaseEvent, 'actor_name' | 'actor_role' | 'actor_department' | 'window'>

/** The unit that acted: the staff member's department, or else the window the event happened at. */
export function eventUnit(ev: { actor_department?: string | null; window?: string | null }): Pick<ActorParts, 'department' | 'window'> {
  return ev.actor_department ? { department: ev.actor_department } : { window: ev.window ?? undefined }
}

/**
 * The actor line of an event. Staff see the name, role and window. The applicant sees their own
 * actions under their name, and staff by their unit (department, or the window they sat at) with
 * the name only where the server gives it (staff on the public board).
 */
export function eventActor(ev: ActorFields, staff: boolean): ActorParts {
  const name = ev.actor_name ?? undefined
  const window = ev.window ?? undefined
  if (staff) return { name, role: ev.actor_role, window }
  if (ev.actor_role === 'applicant') return { name }
  return { name, ...eventUnit(ev) }
}
