// Where a 401 sends the user, and where a login sends them back. Pure, so it is unit-tested.
import type { RouteLocationRaw } from 'vue-router'

export const LOGIN_PATH = '/login'

/** Who may see a page: `staff` or `applicant` pages need that kind of session. */
export type Audience = 'staff' | 'applicant'

export function homeOf(kind: Audience): string {
  return kind === 'staff' ? '/workbench' : '/my'
}

/** The page a staff member whose password the admin set must go to first; null otherwise. */
export function passwordChangeLocation(mustChange: boolean, toName: unknown): RouteLocationRaw | null {
  return mustChange && toName !== 'staff-account' ? { name: 'staff-account' } : null
}

/** The login page, remembering `fullPath` (unless that is the login page itself). */
export function loginLocation(fullPath: string): RouteLocationRaw {
  if (fullPath === LOGIN_PATH || fullPath.startsWith(`${LOGIN_PATH}?`)) return { path: LOGIN_PATH }
  return { path: LOGIN_PATH, query: { redirect: fullPath } }
}

/**
 * What to do with a 401 answered to a request made while on `route`: on a page that needs a
 * session, go to the login page and come back; on a public page, nothing (the page shows the error).
 */
export function redirectOn401(
  status: number,
  route: { fullPath: string; meta: { audience?: Audience } },
): RouteLocationRaw | null {
  if (status !== 401 || !route.meta.audience) return null
  return loginLocation(route.fullPath)
}

/**
 * The `redirect` query after a login, if it is a path of this app; else the home of the kind
 * of user. Refuses absolute and protocol-relative URLs, so a crafted link cannot send a user
 * elsewhere after logging in.
 */
export function afterLogin(redirect: unknown, kind: Audience): string {
  const r = Array.isArray(redirect) ? redirect[0] : redirect
  if (typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/\\') && !r.startsWith(LOGIN_PATH)) {
    return r
  }
  return homeOf(kind)
}
