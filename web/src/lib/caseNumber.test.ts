import { describe, expect, it } from 'vitest'
import { caseNumberMessage, damm, isPhoneLast4, parseCaseNumber } from './caseNumber'

describe('parseCaseNumber', () => {
  it('accepts the canonical form and gives it back', () => {
    expect(parseCaseNumber('440511-20261121-0001237')).toEqual({ ok: true, number: '440511-20261121-0001237' })
  })

  it('ignores hyphens and spaces, as the server does', () => {
    for (const s of ['440511202611210001237', '  440511 20261121 0001237 ', '4405-1120-2611-2100-0123-7']) {
      expect(parseCaseNumber(s)).toEqual({ ok: true, number: '440511-20261121-0001237' })
    }
  })

  it('asks for a number when empty', () => {
    expect(parseCaseNumber('   ')).toEqual({ ok: false, error: { code: 'required' } })
  })

  it('refuses letters and other characters', () => {
    expect(parseCaseNumber('440511-2026112l-0001237')).toEqual({ ok: false, error: { code: 'character' } })
    expect(parseCaseNumber('440511/20261121/0001237')).toEqual({ ok: false, error: { code: 'character' } })
  })

  it('counts the digits', () => {
    expect(parseCaseNumber('440511-20261121-001237')).toEqual({ ok: false, error: { code: 'length', found: 20 } })
  })

  it('checks the date', () => {
    expect(parseCaseNumber('440511-20260230-0001237')).toEqual({ ok: false, error: { code: 'date', date: '2026-02-30' } })
    expect(parseCaseNumber('440511-20261301-0001237')).toMatchObject({ ok: false, error: { code: 'date' } })
  })

  it('refuses sequence 0', () => {
    const body = '44051120261121000000'
    const check = damm(body)
    expect(parseCaseNumber(body + check)).toEqual({ ok: false, error: { code: 'sequence' } })
  })

  it('catches every single wrong digit and every swap of neighbours (Damm)', () => {
    const good = '440511202611210001237'
    for (let i = 0; i < good.length; i++) {
      for (let d = 0; d <= 9; d++) {
        const c = String(d)
        if (c === good[i]) continue
        expect(damm(good.slice(0, i) + c + good.slice(i + 1))).not.toBe(0)
      }
      if (i + 1 < good.length && good[i] !== good[i + 1]) {
        const swapped = good.slice(0, i) + good[i + 1] + good[i] + good.slice(i + 2)
        expect(damm(swapped)).not.toBe(0)
      }
    }
  })

  it('reports a wrong check digit', () => {
    expect(parseCaseNumber('440511-20261121-0001238')).toEqual({ ok: false, error: { code: 'check' } })
  })

  it('has a message key for every error', () => {
    expect(caseNumberMessage({ code: 'check' }).key).toBe('cases.validation.numberCheck')
    expect(caseNumberMessage({ code: 'date', date: '2026-02-30' })).toEqual({
      key: 'cases.validation.numberDate',
      params: { date: '2026-02-30' },
    })
  })
})

describe('isPhoneLast4', () => {
  it('wants exactly four digits', () => {
    expect(isPhoneLast4('8295')).toBe(true)
    expect(isPhoneLast4(' 8295 ')).toBe(true)
    expect(isPhoneLast4('829')).toBe(false)
    expect(isPhoneLast4('82a5')).toBe(false)
    expect(isPhoneLast4('82955')).toBe(false)
  })
})
