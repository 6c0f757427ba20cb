import { describe, expect, it } from 'vitest'
import { exampleValues, headersOfInterest, missingParameters, parameterChoices, requestHeaders, requestPath, shownBody, MAX_SHOWN_CHARS } from './tryIt'
import type { OpenApiDocument, Parameter } from './openapi'

const params: Parameter[] = [
  { name: 'code', in: 'path', required: true },
  { name: 'q', in: 'query' },
  { name: 'theme', in: 'query', required: true },
  { name: 'status', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
  { name: 'X-Trace', in: 'header' },
  { name: 'ow_session', in: 'cookie', required: true },
]

describe('requestPath', () => {
  it('fills and encodes path parameters and adds the non-empty query values', () => {
    expect(requestPath('/api/v1/items/{code}', params, { 'path:code': ' 440511-RSJ 001 ', 'query:q': '食品', 'query:theme': '' })).toBe(
      '/api/v1/items/440511-RSJ%20001?q=%E9%A3%9F%E5%93%81',
    )
  })
  it('keeps an empty path parameter as written', () => {
    expect(requestPath('/api/v1/items/{code}', params, {})).toBe('/api/v1/items/{code}')
  })
  it('repeats an array parameter for each comma-separated value', () => {
    expect(requestPath('/api/v1/cases', params, { 'query:status': 'draft, submitted' })).toBe('/api/v1/cases?status=draft&status=submitted')
  })
})

describe('missingParameters', () => {
  it('names the required path, query and header parameters left empty (not cookies)', () => {
    expect(missingParameters(params, { 'query:theme': 'registration' })).toEqual(['code'])
    expect(missingParameters(params, { 'path:code': 'x', 'query:theme': '  ' })).toEqual(['theme'])
  })
})

describe('requestHeaders', () => {
  it('sends the header parameters with a value', () => {
    expect(requestHeaders(params, { 'header:X-Trace': 'abc' })).toEqual([['X-Trace', 'abc']])
    expect(requestHeaders(params, {})).toEqual([])
  })
})

describe('headersOfInterest', () => {
  it('picks the known headers in a fixed order', () => {
    const h = new Headers({ 'x-other': '1', 'server-timing': 'db;dur=2', 'content-type': 'application/json' })
    expect(headersOfInterest(h)).toEqual([
      ['content-type', 'application/json'],
      ['server-timing', 'db;dur=2'],
    ])
  })
})

describe('shownBody', () => {
  const bytes = (s: string) => new TextEncoder().encode(s)
  it('pretty-prints JSON, problem+json included', () => {
    expect(shownBody('application/json', bytes('[{"a":1}]'))).toEqual({ kind: 'json', text: '[\n  {\n    "a": 1\n  }\n]', truncated: false })
    expect(shownBody('application/problem+json; charset=utf-8', bytes('{"code":"x"}'))).toMatchObject({ kind: 'json' })
  })
  it('shows text and broken JSON as text', () => {
    expect(shownBody('text/plain; version=0.0.4', bytes('up 1'))).toEqual({ kind: 'text', text: 'up 1', truncated: false })
    expect(shownBody('application/json', bytes('{oops'))).toEqual({ kind: 'text', text: '{oops', truncated: false })
  })
  it('cuts a very long text', () => {
    const shown = shownBody('text/plain', bytes('x'.repeat(MAX_SHOWN_CHARS + 5)))
    expect(shown).toMatchObject({ kind: 'text', truncated: true })
    expect(shown.kind === 'text' && shown.text.length).toBe(MAX_SHOWN_CHARS)
  })
  it('tells binaries by their size, and an empty body as empty', () => {
    expect(shownBody('application/pdf', new Uint8Array(3))).toEqual({ kind: 'binary', bytes: 3, type: 'application/pdf' })
    expect(shownBody(null, new Uint8Array(2))).toEqual({ kind: 'binary', bytes: 2, type: 'application/octet-stream' })
    expect(shownBody('application/json', new Uint8Array(0))).toEqual({ kind: 'empty' })
  })
})

describe('parameterChoices', () => {
  const doc: OpenApiDocument = { components: { schemas: { Theme: { type: 'string', enum: ['a', 'b'] } } } }
  it('offers an enum through a $ref or a nullable oneOf, and booleans', () => {
    expect(parameterChoices(doc, { name: 't', in: 'query', schema: { $ref: '#/components/schemas/Theme' } })).toEqual(['a', 'b'])
    expect(
      parameterChoices(doc, { name: 't', in: 'query', schema: { oneOf: [{ type: 'null' }, { $ref: '#/components/schemas/Theme' }] } }),
    ).toEqual(['a', 'b'])
    expect(parameterChoices(doc, { name: 'b', in: 'query', schema: { type: 'boolean' } })).toEqual(['true', 'false'])
  })
  it('offers nothing for free text', () => {
    expect(parameterChoices(doc, { name: 'q', in: 'query', schema: { type: 'string' } })).toEqual([])
    expect(parameterChoices(doc, { name: 'q', in: 'query' })).toEqual([])
  })
})

describe('exampleValues', () => {
  it('takes the examples of the parameters or of their schemas', () => {
    expect(
      exampleValues([
        { name: 'region', in: 'path', example: '440511' },
        { name: 'year', in: 'query', schema: { type: 'integer', example: 2026 } },
        { name: 'q', in: 'query' },
      ]),
    ).toEqual({ 'path:region': '440511', 'query:year': '2026' })
  })
})
