import { describe, expect, it } from 'vitest'
import { nextAfter, positionOf } from './openInTurn'

describe('open in turn', () => {
  it('opens the next selected case after the current one', () => {
    expect(nextAfter(['a', 'b', 'c'], 'a')).toBe('b')
    expect(nextAfter(['a', 'b', 'c'], 'c')).toBeUndefined()
    expect(nextAfter(['a', 'b'], 'x')).toBeUndefined()
    expect(positionOf(['a', 'b'], 'b')).toBe(2)
    expect(positionOf(['a', 'b'], 'x')).toBe(0)
  })
})
