// Organisation administration (centre admin): departments, windows, staff accounts, delegation.
import { api, unwrap, unwrapEmpty, type Ok } from './client'
import type { components } from './schema'

export type DepartmentSpec = components['schemas']['DepartmentSpec']
export type WindowSpec = components['schemas']['WindowSpec']
export type StaffProfile = components['schemas']['StaffProfile']
export type NewStaffAccount = components['schemas']['NewStaffAccount']
export type StaffAccount = Ok<'/api/v1/staff', 'get'>[number]
export type Delegation = Ok<'/api/v1/organisation/delegation', 'get'>[number]
export type StaffRole = StaffProfile['roles'][number]
export type WindowKind = WindowSpec['kind']

export function createDepartment(body: DepartmentSpec) {
  return unwrap(api.POST('/api/v1/departments', { body }))
}

export function updateDepartment(body: DepartmentSpec) {
  return unwrap(api.PUT('/api/v1/departments/{code}', { params: { path: { code: body.code } }, body }))
}

export function createWindow(body: WindowSpec) {
  return unwrap(api.POST('/api/v1/windows', { body }))
}

export function updateWindow(body: WindowSpec) {
  return unwrap(api.PUT('/api/v1/windows/{code}', { params: { path: { code: body.code } }, body }))
}

export function listStaff(): Promise<StaffAccount[]> {
  return unwrap(api.GET('/api/v1/staff'))
}

export function createStaff(body: NewStaffAccount): Promise<StaffAccount> {
  return unwrap(api.POST('/api/v1/staff', { body }))
}

export function updateStaff(username: string, body: StaffProfile): Promise<StaffAccount> {
  return unwrap(api.PUT('/api/v1/staff/{username}', { params: { path: { username } }, body }))
}

export function resetStaffPassword(username: string, password: string): Promise<void> {
  return unwrapEmpty(api.PUT('/api/v1/staff/{username}/password', { params: { path: { username } }, body: { password } }))
}

export function unlockStaff(username: string): Promise<void> {
  return unwrapEmpty(api.DELETE('/api/v1/staff/{username}/lock', { params: { path: { username } } }))
}

export function deactivateStaff(username: string): Promise<void> {
  return unwrapEmpty(api.DELETE('/api/v1/staff/{username}', { params: { path: { username } } }))
}

export function listDelegation(): Promise<Delegation[]> {
  return unwrap(api.GET('/api/v1/organisation/delegation'))
}

export function updateItemDelegation(code: string, delegated: boolean) {
  return unwrap(api.PUT('/api/v1/items/{code}/delegation', { params: { path: { code } }, body: { delegated } }))
}
