// Log in and out, and who is logged in. The session lives in the HttpOnly cookie `ow_session`.
import { api, unwrap, unwrapEmpty, type Ok } from './client'

/** Who is logged in: `{kind: 'staff', staff}` or `{kind: 'applicant', applicant}`. */
export type Me = Ok<'/api/v1/me', 'get'>
export type StaffSession = Extract<Me, { kind: 'staff' }>
export type ApplicantSession = Extract<Me, { kind: 'applicant' }>
export type Staff = StaffSession['staff']
export type Applicant = ApplicantSession['applicant']

export function staffLogin(username: string, password: string): Promise<Me> {
  return unwrap(api.POST('/api/v1/auth/staff/login', { body: { username: username.trim(), password } }))
}

export function applicantLogin(phone: string, password: string): Promise<Me> {
  return unwrap(api.POST('/api/v1/auth/applicant/login', { body: { phone: phone.trim(), password } }))
}

/** Ends the session; the server clears the cookie (204). */
export function logout(): Promise<void> {
  return unwrapEmpty(api.POST('/api/v1/auth/logout'))
}

export function getMe(): Promise<Me> {
  return unwrap(api.GET('/api/v1/me'))
}

export type ApplicantKind = Applicant['kind']
export type Registration = { kind: ApplicantKind; name: string; identifier: string; phone: string; code: string; password: string; consent: boolean }

/** Sends a verification code by text message; answers the masked number and how long it lasts. */
export function sendVerificationCode(phone: string) {
  return unwrap(api.POST('/api/v1/auth/applicant/code', { body: { phone: phone.trim() } }))
}

/** Registers an applicant with a verified phone; the server logs them in (201, cookie set). */
export function registerApplicant(r: Registration): Promise<Me> {
  return unwrap(
    api.POST('/api/v1/auth/applicant/register', {
      body: {
        kind: r.kind,
        name: r.name.trim(),
        identifier: r.identifier.trim(),
        phone: r.phone.trim(),
        code: r.code.trim(),
        password: r.password,
        consent: r.consent,
      },
    }),
  )
}

/** Logs an applicant in with a code sent to their phone. */
export function codeLogin(phone: string, code: string): Promise<Me> {
  return unwrap(api.POST('/api/v1/auth/applicant/code-login', { body: { phone: phone.trim(), code: code.trim() } }))
}

/** Sets a forgotten password with a code sent to the phone; the server logs the applicant in. */
export function resetPassword(phone: string, code: string, password: string): Promise<Me> {
  return unwrap(api.POST('/api/v1/auth/applicant/password-reset', { body: { phone: phone.trim(), code: code.trim(), password } }))
}

/** Changes one's own password; other sessions of the account end (204). */
export function changeOwnPassword(current: string, password: string): Promise<void> {
  return unwrapEmpty(api.POST('/api/v1/me/password', { body: { current, password } }))
}

/** Moves an applicant's account to a new, verified phone number. */
export function changeOwnPhone(phone: string, code: string, password: string): Promise<Me> {
  return unwrap(api.POST('/api/v1/me/phone', { body: { phone: phone.trim(), code: code.trim(), password } }))
}
