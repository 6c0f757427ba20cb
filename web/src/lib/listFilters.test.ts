import { describe, expect, it } from 'vitest'
import { auditFilterFromQuery, auditFilterQuery, filterFromQuery, filterQuery } from './listFilters'

describe('list filters in the address bar', () => {
  it('round-trip', () => {
    const f = { q: '鸿泰印务', light: 'red' as const, item: '440511-RSJ-005', range: ['2026-11-01', '2026-11-30'] as [string, string] }
    expect(filterFromQuery(filterQuery(f) as Record<string, string>)).toEqual(f)
    expect(filterQuery({ q: ' ', light: '', item: '', range: null })).toEqual({ q: undefined, light: undefined, item: undefined, from: undefined, to: undefined })
  })
  it('leave out what is not a value of the filter', () => {
    expect(filterFromQuery({ light: 'purple', item: ['a', 'b'], from: '2026-12-01', to: '2026-11-01' })).toEqual({ q: '', light: '', item: '', range: null })
    expect(filterFromQuery({ from: '2026-11-01' }).range).toBeNull()
    expect(filterFromQuery({ from: '1 Nov', to: '2026-11-30' }).range).toBeNull()
  })
})

describe('audit filters in the address bar', () => {
  it('round-trip', () => {
    const f = { actor: 'clerk.a03', action: 'login_failed', object: '440511-RSJ-005', range: ['2026-11-01', '2026-11-30'] as [string, string] }
    expect(auditFilterFromQuery(auditFilterQuery(f) as Record<string, string>)).toEqual(f)
    expect(auditFilterQuery({ actor: ' ', action: '', object: '', range: null })).toEqual({
      actor: undefined,
      action: undefined,
      object: undefined,
      from: undefined,
      to: undefined,
    })
  })
  it('leave out what is not a value of the filter', () => {
    expect(auditFilterFromQuery({ actor: ['a', 'b'], action: ' login ', from: '2026-12-01', to: '2026-11-01' })).toEqual({
      actor: '',
      action: 'login',
      object: '',
      range: null,
    })
  })
})
