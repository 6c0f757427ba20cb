// What an event of a case's log says, as labelled lines for the timelines, and the facts the
// applicant's "what to do next" line needs (the latest supplement notice, refusal, decision).
import type { CaseDetail, CaseEvent, NoticeKind, SupplementItem } from '../api/cases'

/** One line under an event: an i18n label key and either text or a further i18n key with params. */
export interface EventLine {
  label: string
  text?: string
  key?: string
  params?: Record<string, string>
}

type Payload = Record<string, unknown>

function payloadOf(ev: Pick<CaseEvent, 'payload'>): Payload {
  return ev.payload && typeof ev.payload === 'object' ? (ev.payload as Payload) : {}
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined
}

function supplementItems(p: Payload): SupplementItem[] {
  return Array.isArray(p.items)
    ? p.items.filter(
        (i): i is SupplementItem => !!i && typeof i === 'object' && typeof (i as SupplementItem).material === 'string',
      )
    : []
}

/**
 * The detail lines of an event; `materialName` turns a material code into its name, `staffName`
 * a staff id into the name the log knows them by (see `staffNames`).
 */
export function eventLines(
  ev: Pick<CaseEvent, 'kind' | 'payload'>,
  materialName: (code: string) => string,
  staffName: (id: string) => string = (id) => id,
): EventLine[] {
  const p = payloadOf(ev)
  const lines: EventLine[] = []
  const text = (label: string, v: unknown) => {
    const s = str(v)
    if (s) lines.push({ label, text: s })
  }
  switch (ev.kind) {
    case 'accepted': {
      const waived = Array.isArray(p.waived) ? (p.waived as { material?: string; due_on?: string }[]) : []
      for (const w of waived) {
        if (w.material) lines.push({ label: 'caseView.lines.waived', key: 'caseView.lines.waivedValue', params: { name: materialName(w.material), date: w.due_on ?? '' } })
      }
      text('caseView.lines.dueOn', p.due_on)
      break
    }
    case 'refused':
      text('caseView.lines.reason', p.reason)
      text('caseView.lines.legalBasis', p.legal_basis)
      text('caseView.lines.redirect', p.redirect)
      break
    case 'supplement_requested':
      for (const i of supplementItems(p)) {
        lines.push({
          label: i.problem === 'faulty' ? 'caseView.lines.faulty' : 'caseView.lines.missing',
          text: i.note?.trim() ? `${materialName(i.material)}: ${i.note.trim()}` : materialName(i.material),
        })
      }
      text('caseView.lines.repeatReason', p.repeat_reason)
      break
    case 'supplement_provided':
      text('caseView.lines.note', p.note)
      break
    case 'step_completed':
      text('caseView.lines.step', p.step_name)
      text('caseView.lines.comment', p.comment)
      break
    case 'decided':
      text('caseView.lines.step', p.step_name)
      if (p.decision === 'approved' || p.decision === 'denied') lines.push({ label: 'caseView.lines.decision', key: `caseView.decision.${p.decision}` })
      text('caseView.lines.comment', p.comment)
      break
    case 'special_procedure_started':
      if (str(p.procedure)) lines.push({ label: 'caseView.lines.procedure', key: `caseView.procedures.${p.procedure as string}` })
      text('caseView.lines.reason', p.reason)
      break
    case 'special_procedure_ended':
      text('caseView.lines.outcome', p.outcome)
      break
    case 'waived_material_provided':
      if (str(p.material)) lines.push({ label: 'caseView.lines.material', text: materialName(p.material as string) })
      break
    case 'material_uploaded':
      if (str(p.material)) lines.push({ label: 'caseView.lines.material', text: materialName(p.material as string) })
      text('materials.fileLine', p.name)
      break
    case 'withdrawn':
      text('caseView.lines.reason', p.reason)
      break
    case 'assigned':
      text('caseView.lines.step', p.step_name)
      text('assignment.lines.assignee', p.assignee_name)
      if (str(p.previous)) lines.push({ label: 'assignment.lines.previous', text: staffName(p.previous as string) })
      break
    case 'issued': {
      const m = p.method as { method?: string; window?: string; tracking_number?: string } | undefined
      if (m?.method === 'window') lines.push({ label: 'caseView.lines.issueMethod', key: 'caseView.issueWindow', params: { window: m.window ?? '' } })
      if (m?.method === 'post') lines.push({ label: 'caseView.lines.issueMethod', key: 'caseView.issuePost', params: { tracking: m.tracking_number ?? '' } })
      break
    }
  }
  return lines
}

/** The materials named in the latest supplement notice (一次性告知), if there is one. */
export function latestSupplement(events: readonly Pick<CaseEvent, 'kind' | 'payload'>[]): SupplementItem[] {
  const last = [...events].reverse().find((e) => e.kind === 'supplement_requested')
  return last ? supplementItems(payloadOf(last)) : []
}

export interface Refusal {
  reason: string
  legalBasis: string
  redirect: string
}

export function latestRefusal(events: readonly Pick<CaseEvent, 'kind' | 'payload'>[]): Refusal | undefined {
  const last = [...events].reverse().find((e) => e.kind === 'refused')
  if (!last) return undefined
  const p = payloadOf(last)
  return { reason: str(p.reason) ?? '', legalBasis: str(p.legal_basis) ?? '', redirect: str(p.redirect) ?? '' }
}

export function decisionComment(events: readonly Pick<CaseEvent, 'kind' | 'payload'>[]): string | undefined {
  const last = [...events].reverse().find((e) => e.kind === 'decided')
  return last ? str(payloadOf(last).comment) : undefined
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

export function nextStep(detail: Pick<CaseDetail, 'case' | 'events' | 'due_on'>): NextStep {
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

/** The event that records each notice's decision (NoticeKind::event_kind on the server). */
const NOTICE_OF: Record<string, NoticeKind> = {
  accepted: 'acceptance',
  refused: 'refusal',
  supplement_requested: 'supplement',
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
export function staffNames(events: readonly Pick<CaseEvent, 'kind' | 'payload' | 'actor_id' | 'actor_name'>[]): (id: string) => string {
  const names = new Map<string, string>()
  for (const ev of events) {
    if (ev.actor_name) names.set(ev.actor_id, ev.actor_name)
    const p = payloadOf(ev)
    if (ev.kind === 'assigned' && str(p.assignee) && str(p.assignee_name)) names.set(p.assignee as string, p.assignee_name as string)
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
