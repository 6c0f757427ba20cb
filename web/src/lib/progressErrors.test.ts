import { describe, expect, it } from 'vitest'
import { ApiProblem } from './problem'
import { progressFieldErrors } from './progressErrors'

describe('progressFieldErrors', () => {
  it('puts a not-found answer at the phone field', () => {
    const p = ApiProblem.fromResponse(404, { code: 'not_found', message_zh: '办件不存在或您无权查看', message_en: 'Case not found' })
    expect(progressFieldErrors(p)).toEqual({ phone: p })
  })
  it('follows the field the server names', () => {
    const f = { field: 'number', code: 'bad_check_digit', message_zh: '校验位错误', message_en: 'bad check digit' }
    const p = ApiProblem.fromResponse(422, { code: 'bad_check_digit', message_zh: '校验位错误', message_en: 'bad check digit', errors: [f] })
    expect(progressFieldErrors(p)).toEqual({ number: f })
  })
  it('leaves other problems to the page', () => {
    expect(progressFieldErrors(ApiProblem.network())).toEqual({})
  })
})
