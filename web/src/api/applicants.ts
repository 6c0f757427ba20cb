// Applicants at the acceptance desk: found by resident ID or credit code, or registered there.
import { api, unwrap, type Ok } from './client'
import type { ApplicantKind } from './auth'

export type Applicant = Ok<'/api/v1/applicants', 'get'>[number]

/** The applicant with this resident ID or credit code, if registered (clerks only). */
export async function findApplicant(identifier: string): Promise<Applicant | undefined> {
  const found = await unwrap(api.GET('/api/v1/applicants', { params: { query: { identifier: identifier.trim() } } }))
  return found[0]
}

/** Registers an applicant whose papers the clerk has seen (no verification code). */
export function registerAtWindow(a: { kind: ApplicantKind; name: string; phone: string; identifier: string }): Promise<Applicant> {
  return unwrap(
    api.POST('/api/v1/applicants', {
      body: { kind: a.kind, name: a.name.trim(), phone: a.phone.trim(), identifier: a.identifier.trim() },
    }),
  )
}

export type Identity = Ok<'/api/v1/cases/{number}/applicant/reveal', 'post'>

/** A case's applicant in full, for those serving the case; the server audits the reason. */
export function revealApplicant(number: string, reason: string): Promise<Identity> {
  return unwrap(api.POST('/api/v1/cases/{number}/applicant/reveal', { params: { path: { number } }, body: { reason: reason.trim() } }))
}
