// The item editor's work on a definition: a blank new item, new rows (materials, the fields of a
// material's form, steps, fees), fees in yuan, and whether anything changed since the last save. The rules
// of a valid definition stay on the server (the domain's `ItemDefinition::problems`); the editor
// checks only what it needs before it can send at all.
import type { components } from '../api/schema'

export type ItemDefinition = components['schemas']['ItemDefinition']
export type Material = components['schemas']['Material']
export type Step = components['schemas']['Step']
export type Fee = components['schemas']['Fee']
export type FormField = components['schemas']['FormField']

/** A new item of `department` with nothing filled in that only a person can know. */
export function blankDefinition(department = ''): ItemDefinition {
  return {
    basic_code: '',
    implementation_code: '',
    name: '',
    parent_code: null,
    item_type: 'administrative_licence',
    department,
    theme: null,
    applicant_kind: 'both',
    legal_basis: '',
    conditions: '',
    materials: [],
    legal_time_limit_days: 20,
    promised_time_limit_days: 10,
    promise: 'promised',
    fees: [],
    result: { name: '', kind: 'certificate', deliverable: false },
    shape: 'two_step',
    steps: [],
    location: '',
    office_hours: '',
    consultation_phone: '',
    complaint_phone: '',
    online_depth: 'apply_online',
    visits_needed: 1,
    service_level: 'district',
    scope: 'centre_only',
    comments_public: true,
    separate_duties: null,
    keywords: [],
  }
}

/** The next free material code: M01, M02, … after the highest one in use. */
export function nextMaterialCode(materials: readonly Material[]): string {
  const used = materials.map((m) => /^M(\d+)$/.exec(m.code)?.[1]).map((n) => (n ? Number(n) : 0))
  const next = Math.max(0, ...used) + 1
  return `M${String(next).padStart(2, '0')}`
}

export function newMaterial(materials: readonly Material[]): Material {
  return {
    code: nextMaterialCode(materials),
    name: '',
    form: 'original',
    copies: 1,
    required: true,
    waivable: false,
    source: '',
    fields: [],
    note: '',
  }
}

export function newStep(department: string): Step {
  return { kind: 'review', name: '', role: 'approver', department, time_limit_days: 1 }
}

export function newFee(): Fee {
  return { name: '', amount_fen: 0, unit: '件', legal_basis: '' }
}

/** A new field of a material's form: one line to write on, no sample yet. */
export function newFormField(): FormField {
  return { label: '', sample: '', lines: 1 }
}

/** Yuan as typed (two decimals) to whole fen, the unit of the definition. */
export function yuanToFen(yuan: number | null | undefined): number {
  return Math.round((yuan ?? 0) * 100)
}

export function fenToYuan(fen: number): number {
  return fen / 100
}

/** Moves row `i` of a list by `by` places (-1 up, +1 down); nothing at either end. */
export function move<T>(list: T[], i: number, by: -1 | 1): void {
  const j = i + by
  if (j < 0 || j >= list.length) return
  const [row] = list.splice(i, 1)
  list.splice(j, 0, row as T)
}

/** An implementation code as the centre writes them: region, department, number (440511-RSJ-901). */
export const CODE_PATTERN = /^[0-9]{6}-[A-Z]{2,6}-[0-9A-Z]{2,6}$/

/**
 * What must be right before the editor can send at all: the code goes into the URL, and the name
 * and the department say what the draft is. Everything else the server checks, all at once.
 * Answers the paths with a problem, each with its i18n key.
 */
export function checkBeforeSaving(def: ItemDefinition, isNew: boolean): Array<{ field: string; key: string }> {
  const out: Array<{ field: string; key: string }> = []
  if (isNew && !CODE_PATTERN.test(def.implementation_code.trim())) out.push({ field: 'implementation_code', key: 'itemAdmin.check.code' })
  if (!def.name.trim()) out.push({ field: 'name', key: 'itemAdmin.check.name' })
  if (!def.department) out.push({ field: 'department', key: 'itemAdmin.check.department' })
  return out
}

/** A copy to compare with later: whether the form holds changes not yet saved. */
export function snapshot(def: ItemDefinition): string {
  return JSON.stringify(def)
}
