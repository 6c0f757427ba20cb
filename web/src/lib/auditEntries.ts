// How the audit viewer names an entry: its action's label and a one-line summary of what the
// details name (account, case, item, unit or hall code, calendar days). The details are whatever the
// server recorded, so each part is read only when it has the expected shape.

/** Every action the server records, in the order the action filter lists them. */
export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'password_changed',
  'identity_revealed',
  'applicant_registered_at_window',
  'staff_created',
  'staff_updated',
  'staff_password_reset',
  'staff_unlocked',
  'staff_deactivated',
  'department_created',
  'department_updated',
  'window_created',
  'window_updated',
  'item_delegation_updated',
  'item_windows_updated',
  'item_draft_saved',
  'item_draft_deleted',
  'item_published',
  'calendar_edited',
  'calendar_day_removed',
  'opening_hours_set',
  'demo_seeded',
  'centre_initialised',
  'items_imported',
  'staff_imported',
] as const

/** The message key of an action's label, or undefined for an action this page does not know. */
export function auditActionKey(action: string): string | undefined {
  return (AUDIT_ACTIONS as readonly string[]).includes(action) ? `audit.actions.${action}` : undefined
}

export interface SummaryText {
  t: (key: string, params?: Record<string, unknown>) => string
  date: (d: string) => string
  dateRange: (from: string, to: string) => string
  holiday: (name: string) => string
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {})

/** The calendar days an edit names: from the first to the last, and their names. */
function daysPart(days: unknown, x: SummaryText): string | undefined {
  if (!Array.isArray(days)) return undefined
  const dated = days.map(obj).filter((d) => str(d.date))
  if (!dated.length) return undefined
  const dates = dated.map((d) => str(d.date)!).sort()
  const names = [...new Set(dated.map((d) => str(d.name)).filter((n) => n !== undefined))].map(x.holiday)
  const span = x.dateRange(dates[0]!, dates.at(-1)!)
  return names.length ? `${span} ${names.join(x.t('audit.summary.nameSeparator'))}` : span
}

/** What an entry concerned, in a line; empty when its details name nothing (a log-in). */
export function auditSummary(details: unknown, x: SummaryText): string {
  const d = obj(details)
  const parts: (string | undefined)[] = []
  const named = (code?: string, name?: string) => (code && name ? `${code} ${name}` : code ?? name)
  parts.push(named(str(d.username), str(obj(d.profile).name)))
  parts.push(str(d.case))
  parts.push(named(str(d.code), str(d.name)))
  const version = num(d.version) ?? num(d.based_on_version)
  if (version !== undefined) parts.push(x.t('audit.summary.version', { n: version }))
  if (typeof d.delegated === 'boolean') parts.push(x.t(d.delegated ? 'audit.summary.delegated' : 'audit.summary.notDelegated'))
  if (Array.isArray(d.after)) {
    const windows = d.after.filter((w): w is string => typeof w === 'string')
    parts.push(windows.length ? x.t('audit.summary.windows', { list: windows.join(', ') }) : x.t('audit.summary.allWindows'))
  }
  parts.push(str(d.region))
  parts.push(str(d.hall))
  parts.push(daysPart(d.days, x))
  const day = str(d.day)
  if (day) parts.push(x.date(day))
  const reason = str(d.reason)
  if (reason) parts.push(x.t('audit.summary.reason', { reason }))
  // An applicant is named by an opaque id: shown only when no case says more.
  if (!d.case) parts.push(str(d.applicant))
  const [items, staff] = [num(d.items), num(d.staff)]
  if (items !== undefined && staff !== undefined) parts.push(x.t('audit.summary.seeded', { items, staff }))
  // An import names the file and the codes or usernames it added and updated.
  parts.push(str(d.file))
  const codes = (v: unknown) => (Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : [])
  const [added, updated] = [codes(d.added), codes(d.updated)]
  if (Array.isArray(d.added) || Array.isArray(d.updated)) {
    parts.push(x.t('audit.summary.imported', { added: added.length, updated: updated.length }))
  }
  return parts.filter((p) => p).join(' · ')
}

/** The colour of an action's tag: failures and looks at personal data stand out. */
export function auditActionTone(action: string): 'danger' | 'warning' | 'info' | 'primary' {
  if (action === 'login_failed' || action === 'staff_deactivated') return 'danger'
  if (action === 'identity_revealed' || action === 'staff_password_reset' || action === 'staff_unlocked') return 'warning'
  if (action === 'login' || action === 'password_changed') return 'info'
  return 'primary'
}
