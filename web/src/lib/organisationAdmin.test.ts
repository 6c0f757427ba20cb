import { describe, expect, it } from 'vitest'
import { ApiProblem } from './problem'
import {
  accountState,
  blankStaff,
  blankWindow,
  departmentBody,
  departmentForm,
  departmentProblems,
  newStaffBody,
  passwordProblems,
  serverFieldErrors,
  staffForm,
  staffProblems,
  windowBody,
  windowProblems,
} from './organisationAdmin'

const rsj = {
  code: 'RSJ',
  name: '金平区人力资源和社会保障局',
  short_name: '区人社局',
  section: '行政审批科',
  phone: '0754-88639103',
  theme: null,
  via_comprehensive_service: false,
  document_pattern: null,
}

describe('departments', () => {
  it('round-trip through the form with an empty theme and pattern as null', () => {
    expect(departmentForm(rsj).theme).toBe('')
    expect(departmentBody(departmentForm(rsj))).toEqual(rsj)
    const own = { ...rsj, document_pattern: '金人社许〔{year}〕{seq}号' }
    expect(departmentBody(departmentForm(own))).toEqual(own)
    expect(departmentBody({ ...departmentForm(rsj), document_pattern: '  ' }).document_pattern).toBeNull()
  })
  it('are checked field by field', () => {
    expect(departmentProblems(departmentForm(rsj))).toEqual({})
    expect(departmentProblems({ ...departmentForm(rsj), code: 'rsj', short_name: ' ', phone: 'call us' })).toEqual({
      code: 'departmentCode',
      short_name: 'required',
      phone: 'phone',
    })
  })
})

describe('windows', () => {
  it('send a theme only on a theme window and a department only on a department window', () => {
    const w = { ...blankWindow('H1'), code: 'A05', name: '窗口', theme: 'registration' as const, department: 'GSJ' }
    expect(windowBody(w)).toMatchObject({ theme: 'registration', department: null })
    expect(windowBody({ ...w, kind: 'department' })).toMatchObject({ theme: null, department: 'GSJ' })
    expect(windowBody({ ...w, kind: 'green_channel' })).toMatchObject({ theme: null, department: null })
  })
  it('need what their kind needs', () => {
    const w = { ...blankWindow('H1'), code: 'A05', name: '窗口' }
    expect(windowProblems(w)).toEqual({ theme: 'themeWindow' })
    expect(windowProblems({ ...w, kind: 'department' })).toEqual({ department: 'departmentWindow' })
    expect(windowProblems({ ...w, kind: 'comprehensive_service', code: 'a 1', hall: '' })).toEqual({ code: 'windowCode', hall: 'required' })
  })
})

describe('staff', () => {
  const clerk = { ...blankStaff(), username: 'clerk.f01', password: 'Window@2027', name: '李晓敏', title: '受理员', roles: ['clerk' as const], window: 'F01' }
  it('roles bring the department and window they need', () => {
    expect(staffProblems(clerk, true)).toEqual({})
    expect(staffProblems({ ...clerk, roles: ['chief_representative'], window: '' }, true)).toEqual({
      department: 'roleDepartment',
      window: 'roleWindow',
    })
    expect(staffProblems({ ...clerk, roles: [] }, false)).toEqual({ roles: 'role' })
  })
  it('check the username and password of a new account only', () => {
    const bad = { ...clerk, username: 'Li Xiaomin', password: '短密码' }
    expect(staffProblems(bad, true)).toEqual({ username: 'username', password: 'password' })
    expect(staffProblems(bad, false)).toEqual({})
    expect(passwordProblems('一窗通办一窗通办')).toEqual({})
    expect(passwordProblems('1234567')).toEqual({ password: 'password' })
  })
  it('send nulls for no department or window, and keep only staff roles from the server', () => {
    expect(newStaffBody(clerk)).toEqual({
      username: 'clerk.f01',
      password: 'Window@2027',
      name: '李晓敏',
      title: '受理员',
      roles: ['clerk'],
      department: null,
      window: 'F01',
      public: true,
    })
    const form = staffForm({ username: 'x', name: 'n', title: 't', roles: ['clerk', 'applicant'], department: null, window: 'A01', public: false })
    expect(form.roles).toEqual(['clerk'])
    expect(form.department).toBe('')
  })
  it('show their state', () => {
    expect(accountState({ locked_until_ms: null, deactivated_ms: null })).toBe('active')
    expect(accountState({ locked_until_ms: 1, deactivated_ms: null })).toBe('locked')
    expect(accountState({ locked_until_ms: 1, deactivated_ms: 2 })).toBe('deactivated')
  })
})

describe('server field errors', () => {
  it('are keyed by field, in the reader language, first one wins', () => {
    const p = new ApiProblem({
      status: 422,
      code: 'invalid_staff',
      message_zh: '有 2 处需要修改',
      message_en: '2 field(s) need changing',
      errors: [
        { field: 'window', code: 'role_needs_window', message_zh: '窗口受理员须选择所在窗口', message_en: 'the role clerk needs a window' },
        { field: 'window', code: 'unknown_window', message_zh: '窗口 Z9 不存在', message_en: 'unknown window Z9' },
      ],
    })
    expect(serverFieldErrors(p, 'zh-CN')).toEqual({ window: '窗口受理员须选择所在窗口' })
    expect(serverFieldErrors(p, 'en')).toEqual({ window: 'the role clerk needs a window' })
    expect(serverFieldErrors(null, 'en')).toEqual({})
  })
})
