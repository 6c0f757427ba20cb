import { describe, expect, it } from 'vitest'
import { initialElderly } from './elderly'

describe('initialElderly', () => {
  it('is off unless it was switched on before', () => {
    expect(initialElderly(undefined)).toBe(false)
    expect(initialElderly({ getItem: () => null })).toBe(false)
    expect(initialElderly({ getItem: () => 'yes' })).toBe(false)
    expect(initialElderly({ getItem: (k) => (k === 'ow.elderly' ? '1' : null) })).toBe(true)
  })
})
