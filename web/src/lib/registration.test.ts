import { describe, expect, it } from 'vitest'
import { resendIn } from './registration'

describe('registration', () => {
  it('counts down a minute before another code may be asked for', () => {
    expect(resendIn(null, 1_000)).toBe(0)
    expect(resendIn(0, 0)).toBe(60)
    expect(resendIn(0, 59_001)).toBe(1)
    expect(resendIn(0, 60_000)).toBe(0)
    expect(resendIn(0, 120_000)).toBe(0)
  })
})
