// Who is logged in, as the server last said (GET /api/v1/me). The cookie itself is HttpOnly.
import { shallowRef } from 'vue'
import { getMe, type Me } from './api/auth'

export const me = shallowRef<Me | null>(null)
let known = false

/** The caller, or null when not logged in (401). Other problems are thrown. */
export async function loadMe(force = false): Promise<Me | null> {
  if (known && !force) return me.value
  try {
    me.value = await getMe()
  } catch (e) {
    if ((e as { status?: number }).status !== 401) throw e
    me.value = null
  }
  known = true
  return me.value
}

export function setMe(value: Me | null) {
  me.value = value
  known = true
}

/** The display name of whoever is logged in. */
export function meName(m: Me): string {
  return m.kind === 'staff' ? m.staff.name : m.applicant.name
}
