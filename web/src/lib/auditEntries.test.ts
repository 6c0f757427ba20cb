import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS, auditActionKey, auditActionTone, auditSummary } from './auditEntries'
import { zhCN } from '../locales/zh-CN'
import { en } from '../locales/en'
import { messageAt } from '../locales/lookup'

/** vue-i18n's `t` over the Chinese messages, enough for `{name}` placeholders. */
function t(key: string, params: Record<string, unknown> = {}): string {
  const msg = messageAt(zhCN, key)
  if (typeof msg !== 'string') throw new Error(`no message ${key}`)
  return msg.replace(/\{(\w+)\}/g, (_, n: string) => String(params[n] ?? ''))
}
const x = { t, date: (d: string) => `<${d}>`, dateRange: (a: string, b: string) => `<${a}..${b}>`, holiday: (n: string) => n }

describe('audit actions', () => {
  it('each have a label in both languages', () => {
    for (const a of AUDIT_ACTIONS) {
      const key = auditActionKey(a)!
      expect(typeof messageAt(zhCN, key), key).toBe('string')
      expect(typeof messageAt(en, key), key).toBe('string')
    }
  })
  it('an unknown one has no key, to be shown as its code', () => {
    expect(auditActionKey('something_new')).toBeUndefined()
    expect(auditActionKey('login_failed')).toBe('audit.actions.login_failed')
  })
  it('failures stand out', () => {
    expect(auditActionTone('login_failed')).toBe('danger')
    expect(auditActionTone('identity_revealed')).toBe('warning')
    expect(auditActionTone('calendar_edited')).toBe('primary')
  })
})

describe('auditSummary', () => {
  it('is empty for a log-in', () => {
    expect(auditSummary({}, x)).toBe('')
    expect(auditSummary(null, x)).toBe('')
  })
  it('names the account, with the name a profile gives', () => {
    expect(auditSummary({ username: 'clerk.a05' }, x)).toBe('clerk.a05')
    expect(auditSummary({ username: 'clerk.a05', profile: { name: '李晓敏', roles: ['clerk'] } }, x)).toBe('clerk.a05 李晓敏')
  })
  it('names the case and the reason of a look at an identity, not the applicant id', () => {
    expect(auditSummary({ case: '2026-440511-000123', applicant: 'app-1', reason: '核对领取人身份' }, x)).toBe('2026-440511-000123 · 理由：核对领取人身份')
    expect(auditSummary({ applicant: 'app-1' }, x)).toBe('app-1')
  })
  it('names items, departments and windows by code and name', () => {
    expect(auditSummary({ code: '440511-RSJ-005', version: 3 }, x)).toBe('440511-RSJ-005 · 第 3 版')
    expect(auditSummary({ code: '440511-RSJ-005', based_on_version: 2 }, x)).toBe('440511-RSJ-005 · 第 2 版')
    expect(auditSummary({ code: 'RSJ', name: '金平区人力资源和社会保障局', phone: '0754' }, x)).toBe('RSJ 金平区人力资源和社会保障局')
    expect(auditSummary({ code: '440511-RSJ-005', delegated: false }, x)).toBe('440511-RSJ-005 · 收回授权')
    expect(auditSummary({ code: 'X', before: [], after: ['A01', 'E01'] }, x)).toBe('X · 受理窗口 A01, E01')
    expect(auditSummary({ code: 'X', before: ['A01'], after: [] }, x)).toBe('X · 所有窗口均可受理')
  })
  it('names what a set-up or an import loaded', () => {
    expect(auditSummary({ files: ['centre.xlsx'], items: 67, staff: 111, departments: 25 }, x)).toBe('67 个事项，111 名工作人员')
    expect(auditSummary({ file: 'staff.xlsx', added: ['clerk.new'], updated: [] }, x)).toBe('staff.xlsx · 新增 1，更新 0')
  })
  it('names the hall whose opening hours were set, not the hours', () => {
    const hours = { working_day: [{ opens: '09:00', closes: '12:00' }], extended: [], saturday: [], sunday: [] }
    expect(auditSummary({ hall: 'H1', hours }, x)).toBe('H1')
  })
  it('names the calendar days from the first to the last', () => {
    const days = [
      { date: '2027-10-03', kind: 'holiday', name: '国庆节' },
      { date: '2027-10-01', kind: 'holiday', name: '国庆节' },
      { date: '2027-10-09', kind: 'workday', name: '国庆节调休' },
    ]
    expect(auditSummary({ region: '440511', days }, x)).toBe('440511 · <2027-10-01..2027-10-09> 国庆节、国庆节调休')
    expect(auditSummary({ region: '440511', day: '2027-12-24' }, x)).toBe('440511 · <2027-12-24>')
  })
  it('reads only what has the expected shape', () => {
    expect(auditSummary({ username: 7, case: '', days: 'x', version: '3', delegated: 'yes' }, x)).toBe('')
    expect(auditSummary({ items: 60, staff: 120 }, x)).toBe('60 个事项，120 名工作人员')
  })
})
