import { describe, expect, it } from 'vitest'
import { check } from './formRules'

function run(rule: ReturnType<typeof check>, value: unknown): string | undefined {
  let result: string | undefined = 'not called'
  ;(rule.validator as (r: unknown, v: unknown, done: (e?: Error) => void) => void)({}, value, (e) => {
    result = e?.message
  })
  return result
}

describe('check', () => {
  const nonEmpty = check((v) => v.trim() !== '', '必填')
  it('passes when the predicate holds and names the problem when not', () => {
    expect(run(nonEmpty, '张三')).toBeUndefined()
    expect(run(nonEmpty, '  ')).toBe('必填')
  })
  it('treats a missing value as empty text', () => {
    expect(run(nonEmpty, undefined)).toBe('必填')
    expect(run(nonEmpty, null)).toBe('必填')
  })
})
