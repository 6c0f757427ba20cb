// The centre admin's organisation forms: blank forms, the bodies they send, the checks made before
// sending (the same rules the server's domain applies, so most mistakes never leave the page), and
// the server's field errors by field.
import { problemMessage, type ApiProblem } from './problem'
import { roleValues, windowKindValues, type components } from '../api/schema'

type S = components['schemas']
export type Theme = S['Theme']
export type WindowKind = S['WindowKind']

export const WINDOW_KINDS = windowKindValues
// Every role but the applicant's: that one belongs to applicants' own accounts, never to staff.
export type StaffRole = Exclude<S['Role'], 'applicant'>
export const STAFF_ROLES: readonly StaffRole[] = roleValues.filter((r): r is StaffRole => r !== 'applicant')
export const MIN_PASSWORD_CHARS = 8

/** Approvers and chief representatives decide for a department. */
export const needsDepartment = (r: StaffRole) => r === 'approver' || r === 'chief_representative'
/** Clerks accept at a window, and the chief representative decides there. */
export const needsWindow = (r: StaffRole) => r === 'clerk' || r === 'chief_representative'

/** Which of theme and department a window of this kind has. */
export function windowFields(kind: WindowKind): { theme: boolean; department: boolean } {
  return { theme: kind === 'theme', department: kind === 'department' }
}

export interface DepartmentForm {
  code: string
  name: string
  short_name: string
  section: string
  phone: string
  theme: Theme | ''
  via_comprehensive_service: boolean
  /** Blank for the pattern the server derives from the short name. */
  document_pattern: string
}

export interface WindowForm {
  code: string
  hall: string
  name: string
  kind: WindowKind
  theme: Theme | ''
  department: string
  issues_results: boolean
}

export interface StaffForm {
  username: string
  password: string
  name: string
  title: string
  roles: StaffRole[]
  department: string
  window: string
  public: boolean
}

export const blankDepartment = (): DepartmentForm => ({
  code: '',
  name: '',
  short_name: '',
  section: '',
  phone: '',
  theme: '',
  via_comprehensive_service: false,
  document_pattern: '',
})

export const blankWindow = (hall = ''): WindowForm => ({
  code: '',
  hall,
  name: '',
  kind: 'theme',
  theme: '',
  department: '',
  issues_results: false,
})

export const blankStaff = (): StaffForm => ({
  username: '',
  password: '',
  name: '',
  title: '',
  roles: [],
  department: '',
  window: '',
  public: true,
})

const orNull = <T extends string>(v: T | '' | null | undefined): T | null => (v ? v : null)
const orBlank = <T extends string>(v: T | null | undefined): T | '' => v ?? ''

/** A department as the form edits it, and back. */
export function departmentForm(d: {
  code: string
  name: string
  short_name: string
  section: string
  phone: string
  theme?: string | null
  via_comprehensive_service: boolean
  document_pattern?: string | null
}): DepartmentForm {
  return { ...d, theme: orBlank(d.theme as Theme | null | undefined), document_pattern: orBlank(d.document_pattern) }
}
export function departmentBody(f: DepartmentForm) {
  return { ...f, code: f.code.trim(), theme: orNull(f.theme), document_pattern: orNull(f.document_pattern.trim()) }
}

export function windowForm(w: { code: string; hall: string; name: string; kind: string; theme?: string | null; department?: string | null; issues_results: boolean }): WindowForm {
  return { ...w, kind: w.kind as WindowKind, theme: orBlank(w.theme as Theme | null | undefined), department: orBlank(w.department) }
}
/** The window to send: a theme only on a theme window, a department only on a department window. */
export function windowBody(f: WindowForm) {
  const has = windowFields(f.kind)
  return {
    ...f,
    code: f.code.trim(),
    theme: has.theme ? orNull(f.theme) : null,
    department: has.department ? orNull(f.department) : null,
  }
}

export function staffForm(s: { username: string; name: string; title: string; roles: string[]; department?: string | null; window?: string | null; public: boolean }): StaffForm {
  return {
    username: s.username,
    password: '',
    name: s.name,
    title: s.title,
    roles: s.roles.filter((r): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r)),
    department: orBlank(s.department),
    window: orBlank(s.window),
    public: s.public,
  }
}
export function staffProfileBody(f: StaffForm) {
  return { name: f.name, title: f.title, roles: f.roles, department: orNull(f.department), window: orNull(f.window), public: f.public }
}
export function newStaffBody(f: StaffForm) {
  return { username: f.username.trim(), password: f.password, ...staffProfileBody(f) }
}

/** i18n keys (under `orgAdmin.rules`) of what is wrong, by field; empty when the form may be sent. */
export type FormProblems = Record<string, string>

const blank = (s: string) => s.trim() === ''

export function departmentProblems(f: DepartmentForm): FormProblems {
  const p: FormProblems = {}
  if (!/^[A-Z0-9]{2,10}$/.test(f.code.trim())) p.code = 'departmentCode'
  for (const k of ['name', 'short_name', 'section'] as const) if (blank(f[k])) p[k] = 'required'
  if (blank(f.phone)) p.phone = 'required'
  else if (!/^[0-9-]{7,20}$/.test(f.phone.trim())) p.phone = 'phone'
  return p
}

export function windowProblems(f: WindowForm): FormProblems {
  const p: FormProblems = {}
  if (!/^[A-Z0-9-]{2,10}$/.test(f.code.trim())) p.code = 'windowCode'
  if (blank(f.hall)) p.hall = 'required'
  if (blank(f.name)) p.name = 'required'
  const has = windowFields(f.kind)
  if (has.theme && !f.theme) p.theme = 'themeWindow'
  if (has.department && !f.department) p.department = 'departmentWindow'
  return p
}

export function staffProblems(f: StaffForm, isNew: boolean): FormProblems {
  const p: FormProblems = {}
  if (isNew && !/^[a-z0-9._-]{3,32}$/.test(f.username.trim())) p.username = 'username'
  if (isNew && [...f.password].length < MIN_PASSWORD_CHARS) p.password = 'password'
  if (blank(f.name)) p.name = 'required'
  if (blank(f.title)) p.title = 'required'
  if (f.roles.length === 0) p.roles = 'role'
  if (f.roles.some(needsDepartment) && !f.department) p.department = 'roleDepartment'
  if (f.roles.some(needsWindow) && !f.window) p.window = 'roleWindow'
  return p
}

export function passwordProblems(password: string): FormProblems {
  return [...password].length < MIN_PASSWORD_CHARS ? { password: 'password' } : {}
}

/** The server's message for each field it named (the first, when it names one twice). */
export function serverFieldErrors(problem: ApiProblem | null | undefined, locale: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of problem?.errors ?? []) out[e.field] ??= problemMessage(e, locale)
  return out
}

/** An account's state as the staff table shows it. */
export function accountState(a: { locked_until_ms?: number | null; deactivated_ms?: number | null }): 'active' | 'locked' | 'deactivated' {
  if (a.deactivated_ms != null) return 'deactivated'
  if (a.locked_until_ms != null) return 'locked'
  return 'active'
}
