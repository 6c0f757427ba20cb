import { describe, expect, it } from 'vitest'
import { ApiProblem, problemMessage, toProblem } from './problem'

const body = {
  type: 'urn:onewindow:problem:invalid',
  title: 'Unprocessable Entity',
  status: 422,
  detail: 'case number must have 21 digits',
  code: 'wrong_length',
  message_zh: '办件编号应为21位数字',
  message_en: 'case number must have 21 digits',
  errors: [{ field: 'number', code: 'wrong_length', message_zh: '办件编号应为21位数字', message_en: 'case number must have 21 digits' }],
}

describe('ApiProblem.fromResponse', () => {
  it('reads a problem+json body', () => {
    const p = ApiProblem.fromResponse(422, body)
    expect(p).toBeInstanceOf(ApiProblem)
    expect(p.status).toBe(422)
    expect(p.code).toBe('wrong_length')
    expect(p.fieldError('number')?.message_zh).toBe('办件编号应为21位数字')
    expect(p.fieldError('phone_last4')).toBeUndefined()
  })

  it('drops malformed field errors and tolerates a missing errors list', () => {
    const p = ApiProblem.fromResponse(404, { code: 'not_found', message_zh: '办件不存在或您无权查看', message_en: 'Case not found', errors: [{ field: 1 }] })
    expect(p.errors).toEqual([])
    expect(p.status).toBe(404)
  })

  it('turns anything else into an unexpected-response problem in both languages', () => {
    const p = ApiProblem.fromResponse(502, '<html>Bad Gateway</html>')
    expect(p.code).toBe('unexpected_response')
    expect(p.status).toBe(502)
    expect(p.message_zh).toContain('HTTP 502')
    expect(p.message_en).toContain('HTTP 502')
  })
})

describe('problemMessage', () => {
  const p = ApiProblem.fromResponse(422, body)
  it('picks Chinese for zh locales and English otherwise', () => {
    expect(problemMessage(p, 'zh-CN')).toBe('办件编号应为21位数字')
    expect(problemMessage(p, 'zh')).toBe('办件编号应为21位数字')
    expect(problemMessage(p, 'en')).toBe('case number must have 21 digits')
  })
  it('works on a field error too', () => {
    expect(problemMessage(p.errors[0]!, 'en')).toBe('case number must have 21 digits')
  })
  it('falls back to the other language when one is empty', () => {
    expect(problemMessage({ message_zh: '', message_en: 'only English' }, 'zh-CN')).toBe('only English')
  })
})

describe('toProblem', () => {
  it('keeps problems, and calls a fetch TypeError a network problem', () => {
    const p = ApiProblem.network()
    expect(toProblem(p)).toBe(p)
    const n = toProblem(new TypeError('Failed to fetch'))
    expect(n.code).toBe('network_error')
    expect(n.status).toBe(0)
    expect(n.message_zh).toMatch(/网络/)
  })
})
