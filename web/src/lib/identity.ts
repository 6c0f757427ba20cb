// The shape of identifiers as people type them, checked before anything is sent. Check digits,
// dates of birth and duplicates are the server's to judge (crates/domain/src/identity); its
// field errors then appear next to the field.
import type { ApplicantKind } from '../api/auth'

/** Spaces and dashes people type inside numbers. */
export function compact(s: string): string {
  return s.replace(/[\s-]/g, '')
}

const PHONE = /^(\+?86)?1\d{10}$/
const RESIDENT_ID = /^\d{17}[\dXx]$/
// GB 32100: digits and capital letters without I, O, S, V, Z.
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$/

export function phoneLooksRight(phone: string): boolean {
  return PHONE.test(compact(phone))
}

export function identifierLooksRight(kind: ApplicantKind, identifier: string): boolean {
  return (kind === 'person' ? RESIDENT_ID : CREDIT_CODE).test(compact(identifier))
}

/** The kind of applicant an identifier belongs to, by its shape; undefined when it fits neither. */
export function kindOfIdentifier(identifier: string): ApplicantKind | undefined {
  if (identifierLooksRight('person', identifier)) return 'person'
  if (identifierLooksRight('enterprise', identifier)) return 'enterprise'
  return undefined
}
