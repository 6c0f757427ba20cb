import { describe, expect, it } from 'vitest'
import { compact, identifierLooksRight, kindOfIdentifier, phoneLooksRight } from './identity'

describe('identifier shapes', () => {
  it('accepts mainland mobile numbers as people type them', () => {
    expect(phoneLooksRight('13800138000')).toBe(true)
    expect(phoneLooksRight(' 138-0013-8000 ')).toBe(true)
    expect(phoneLooksRight('+86 138 0013 8000')).toBe(true)
    expect(phoneLooksRight('1380013800')).toBe(false)
    expect(phoneLooksRight('23800138000')).toBe(false)
    expect(phoneLooksRight('1380013800a')).toBe(false)
  })

  it('checks a resident ID for a person and a credit code for an enterprise', () => {
    expect(identifierLooksRight('person', '11010519491231002X')).toBe(true)
    expect(identifierLooksRight('person', '11010519491231002x')).toBe(true)
    expect(identifierLooksRight('person', '91350100M000100Y43')).toBe(false)
    expect(identifierLooksRight('enterprise', '91350100M000100Y43')).toBe(true)
    expect(identifierLooksRight('enterprise', '91350100m000100y43')).toBe(true)
    // I, O, S, V and Z are not in the credit-code alphabet.
    expect(identifierLooksRight('enterprise', '91350100M000100I43')).toBe(false)
    expect(identifierLooksRight('enterprise', '9135010')).toBe(false)
  })

  it('tells the kind from the shape; eighteen digits are a resident ID', () => {
    expect(kindOfIdentifier('440511199003071234')).toBe('person')
    expect(kindOfIdentifier(' 4405 1119 9003 0712 34 ')).toBe('person')
    expect(kindOfIdentifier('91350100M000100Y43')).toBe('enterprise')
    expect(kindOfIdentifier('12345')).toBeUndefined()
  })

  it('drops spaces and dashes', () => {
    expect(compact(' 4405 1119-9003 071234 ')).toBe('440511199003071234')
  })
})
