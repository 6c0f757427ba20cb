// The organisation (regions, sites, halls, departments, windows) and the public staff board.
import { api, unwrap, type Ok } from './client'

export type Organisation = Ok<'/api/v1/organisation', 'get'>
export type Department = Organisation['departments'][number]
export type Window = Organisation['windows'][number]
export type PublicStaff = Ok<'/api/v1/staff/public', 'get'>[number]

export function getOrganisation(): Promise<Organisation> {
  return unwrap(api.GET('/api/v1/organisation'))
}

export function listPublicStaff(): Promise<PublicStaff[]> {
  return unwrap(api.GET('/api/v1/staff/public'))
}

/** The centre itself (the site of kind `centre`), if the organisation has one. */
export function centreSite(org: Organisation) {
  return org.sites.find((s) => s.kind === 'centre')
}

/** The district the centre serves (its region code), e.g. `440511`. */
export function districtCode(org: Organisation): string | undefined {
  return org.regions.find((r) => r.level === 'district')?.code ?? centreSite(org)?.region
}
