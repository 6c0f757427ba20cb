import { describe, expect, it } from 'vitest'
import { afterLogin, homeOf, loginLocation, passwordChangeLocation, redirectOn401 } from './authRedirect'

describe('redirectOn401', () => {
  it('sends a page that needs a session to the login page, remembering where it was', () => {
    expect(redirectOn401(401, { fullPath: '/workbench?tab=inbox', meta: { audience: 'staff' } })).toEqual({
      path: '/login',
      query: { redirect: '/workbench?tab=inbox' },
    })
  })
  it('leaves public pages alone (they show the problem)', () => {
    expect(redirectOn401(401, { fullPath: '/progress', meta: {} })).toBeNull()
  })
  it('ignores other statuses', () => {
    expect(redirectOn401(403, { fullPath: '/my', meta: { audience: 'applicant' } })).toBeNull()
  })
})

describe('loginLocation', () => {
  it('does not point the login page back at itself', () => {
    expect(loginLocation('/login?redirect=%2Fmy')).toEqual({ path: '/login' })
  })
})

describe('afterLogin', () => {
  it('goes back to the redirect path', () => {
    expect(afterLogin('/items/440511-RSJ-001', 'staff')).toBe('/items/440511-RSJ-001')
    expect(afterLogin(['/my', '/x'], 'applicant')).toBe('/my')
  })
  it('goes home when there is none', () => {
    expect(afterLogin(undefined, 'staff')).toBe('/workbench')
    expect(afterLogin(null, 'applicant')).toBe('/my')
    expect(homeOf('staff')).toBe('/workbench')
  })
  it('refuses to leave the site or loop to the login page', () => {
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/login?redirect=/my']) {
      expect(afterLogin(bad, 'staff')).toBe('/workbench')
    }
  })
})

describe('passwordChangeLocation', () => {
  it('sends a staff member with a password the admin set to the account page, and only there', () => {
    expect(passwordChangeLocation(true, 'workbench')).toEqual({ name: 'staff-account' })
    expect(passwordChangeLocation(true, 'staff-account')).toBeNull()
    expect(passwordChangeLocation(false, 'workbench')).toBeNull()
  })
})
