import { getOrganisation, type Organisation } from '../api/organisation'

// The organisation changes rarely; the header, home page, item list and staff board share one load.
let pending: Promise<Organisation> | undefined

export function loadOrganisation(): Promise<Organisation> {
  pending ??= getOrganisation().catch((e: unknown) => {
    pending = undefined // a failed load is retried next time
    throw e
  })
  return pending
}

/** After the admin changed the organisation: the next load asks the server again. */
export function forgetOrganisation() {
  pending = undefined
}
