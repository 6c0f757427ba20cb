// The acceptance desk's materials checklist (受理材料清单): one row per material of the item, and
// the command each verdict sends — accept (with 容缺 materials), or ONE supplement notice (一次性告知)
// listing every missing or faulty material.
import type { Command } from '../api/cases'

export type MaterialState = 'received' | 'missing' | 'faulty' | 'waived'

export interface ChecklistMaterial {
  code: string
  name: string
  required: boolean
  waivable: boolean
}

export interface ChecklistRow extends ChecklistMaterial {
  state: MaterialState
  /** What is missing or wrong, for the notice. */
  note: string
  /** For a waived material: the date it is due, `YYYY-MM-DD`. */
  dueOn: string
}

/**
 * The checklist as it opens: a material with an uploaded file (`provided`) starts as received,
 * one the applicant asked to bring later (`promised`, 容缺) as waived (the clerk sets its due
 * date), every other one as missing until the clerk checks it. Nothing is marked received by
 * default.
 */
export function newChecklist(
  materials: readonly ChecklistMaterial[],
  provided: readonly string[] = [],
  promised: readonly string[] = [],
): ChecklistRow[] {
  const opening = (m: ChecklistMaterial): MaterialState =>
    provided.includes(m.code) ? 'received' : m.waivable && promised.includes(m.code) ? 'waived' : 'missing'
  return materials.map((m) => ({
    code: m.code,
    name: m.name,
    required: m.required,
    waivable: m.waivable,
    state: opening(m),
    note: '',
    dueOn: '',
  }))
}

/** The states a row may take: 容缺 only for waivable materials. */
export function statesFor(row: ChecklistMaterial): MaterialState[] {
  return row.waivable ? ['received', 'missing', 'faulty', 'waived'] : ['received', 'missing', 'faulty']
}

/** Rows that go on a supplement notice: missing (if required) or faulty. */
export function problemRows(rows: readonly ChecklistRow[]): ChecklistRow[] {
  return rows.filter((r) => r.state === 'faulty' || (r.state === 'missing' && r.required))
}

/** What the checklist allows: accept when nothing required is missing or faulty, else a notice. */
export function verdict(rows: readonly ChecklistRow[]): 'accept' | 'supplement' {
  return problemRows(rows).length ? 'supplement' : 'accept'
}

/** A row the clerk must still complete, with the i18n key of why. */
export interface RowIssue {
  code: string
  key: 'desk.issues.noteRequired' | 'desk.issues.dueRequired' | 'desk.issues.dueNotFuture'
}

/** Checks before sending: a faulty material needs a note, a waived one a due date after today. */
export function rowIssues(rows: readonly ChecklistRow[], today: string): RowIssue[] {
  const issues: RowIssue[] = []
  for (const r of rows) {
    if (r.state === 'faulty' && !r.note.trim()) issues.push({ code: r.code, key: 'desk.issues.noteRequired' })
    if (r.state === 'waived') {
      if (!r.dueOn) issues.push({ code: r.code, key: 'desk.issues.dueRequired' })
      else if (r.dueOn <= today) issues.push({ code: r.code, key: 'desk.issues.dueNotFuture' })
    }
  }
  return issues
}

export function acceptCommand(rows: readonly ChecklistRow[]): Command {
  return {
    action: 'accept',
    waived: rows.filter((r) => r.state === 'waived').map((r) => ({ material: r.code, due_on: r.dueOn })),
    received: rows.filter((r) => r.state === 'received').map((r) => r.code),
  }
}

/** The one-time notice; `repeatReason` only when the case already had one (the server insists). */
export function supplementCommand(rows: readonly ChecklistRow[], repeatReason?: string): Command {
  return {
    action: 'request_supplement',
    items: problemRows(rows).map((r) => ({
      material: r.code,
      problem: r.state === 'faulty' ? 'faulty' : 'missing',
      note: r.note.trim(),
    })),
    repeat_reason: repeatReason?.trim() ? repeatReason.trim() : null,
  }
}

/** Where a field error of the server (`waived[0].due_on`, `items[1].note`) belongs in the checklist. */
export function rowOfField(rows: readonly ChecklistRow[], field: string, command: Command): string | undefined {
  const m = /^(waived|items)\[(\d+)\]/.exec(field)
  if (!m) return undefined
  const i = Number(m[2])
  if (command.action === 'accept' && m[1] === 'waived') return command.waived[i]?.material
  if (command.action === 'request_supplement' && m[1] === 'items') return command.items[i]?.material
  return rows[i]?.code
}
