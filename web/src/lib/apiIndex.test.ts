import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canTry, filterGroups, indexDocument, isHome, securityOf } from './apiIndex'
import type { OpenApiDocument } from './openapi'

const doc: OpenApiDocument = {
  tags: [{ name: 'catalogue', description: 'Items.' }, { name: 'unused' }, { name: 'auth' }],
  paths: {
    '/api/v1/items': {
      get: { tags: ['catalogue'], operationId: 'list_items', summary: 'The catalogue.', responses: { '200': { $ref: '#/components/responses/Ok' } } },
    },
    '/api/v1/items/{code}': {
      parameters: [{ name: 'code', in: 'path', required: true, description: 'path level' }],
      get: {
        tags: ['catalogue'],
        operationId: 'get_item',
        parameters: [{ name: 'code', in: 'path', required: true, description: 'own' }, { $ref: '#/components/parameters/Lang' } as never],
        responses: {},
      },
      put: { tags: ['catalogue', 'admin'], operationId: 'update_item', security: [{ session: [] }], requestBody: { $ref: '#/components/requestBodies/Item' } },
    },
    '/healthz': { get: { summary: 'Up?' } },
    '/api/v1/auth/login': { post: { tags: ['auth'], summary: 'Log in', security: [{ session: [] }, {}] } },
  },
  components: {
    parameters: { Lang: { name: 'lang', in: 'query' } },
    requestBodies: { Item: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } },
    responses: { Ok: { description: 'Fine', content: { 'application/json': { schema: { type: 'string' } } } } },
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ow_session' } },
  },
}

describe('indexDocument', () => {
  const index = indexDocument(doc)
  it('groups operations by the declared tags in order, then undeclared ones, then untagged', () => {
    expect(index.groups.map((g) => [g.name, g.operations.map((o) => o.id)])).toEqual([
      ['catalogue', ['op-list_items', 'op-get_item', 'op-update_item']],
      ['auth', ['op-post-api-v1-auth-login']],
      ['admin', ['op-update_item']],
      ['', ['op-get-healthz']],
    ])
    expect(index.groups[0]!.description).toBe('Items.')
  })
  it('anchors an operation in its first tag only', () => {
    const update = index.byId.get('op-update_item')!
    expect(isHome(update, index.groups[0]!)).toBe(true)
    expect(isHome(update, index.groups[2]!)).toBe(false)
  })
  it('merges path-level parameters and resolves $refs', () => {
    const get = index.byId.get('op-get_item')!
    expect(get.parameters).toEqual([
      { name: 'code', in: 'path', required: true, description: 'own' },
      { name: 'lang', in: 'query' },
    ])
    expect(index.byId.get('op-update_item')!.requestBody?.required).toBe(true)
    expect(index.byId.get('op-list_items')!.responses).toEqual([
      { status: '200', description: 'Fine', content: [{ mediaType: 'application/json', schema: { type: 'string' } }] },
    ])
  })
  it('says which operations are public and which need the session', () => {
    expect(index.byId.get('op-list_items')!.security).toEqual({ public: true, optional: false, schemes: [] })
    expect(index.byId.get('op-update_item')!.security).toEqual({
      public: false,
      optional: false,
      schemes: [{ key: 'session', type: 'apiKey', in: 'cookie', name: 'ow_session' }],
    })
    expect(index.byId.get('op-post-api-v1-auth-login')!.security.optional).toBe(true)
    expect(securityOf({ ...doc, security: [{ session: [] }] }, {}).public).toBe(false)
  })
  it('offers "try it" for GETs without a body only', () => {
    expect(canTry(index.byId.get('op-list_items')!)).toBe(true)
    expect(canTry(index.byId.get('op-update_item')!)).toBe(false)
    expect(canTry(index.byId.get('op-post-api-v1-auth-login')!)).toBe(false)
  })
})

describe('filterGroups', () => {
  const { groups } = indexDocument(doc)
  const ids = (q: string) => filterGroups(groups, q).map((g) => [g.name, g.operations.map((o) => o.id)])
  it('keeps everything for an empty query', () => {
    expect(filterGroups(groups, '  ')).toBe(groups)
  })
  it('matches path, summary, tag, method and operationId, every word, any case', () => {
    expect(ids('/healthz')).toEqual([['', ['op-get-healthz']]])
    expect(ids('CATALOGUE.')).toEqual([['catalogue', ['op-list_items']]])
    expect(ids('auth')).toEqual([['auth', ['op-post-api-v1-auth-login']]])
    expect(ids('put items')).toEqual([
      ['catalogue', ['op-update_item']],
      ['admin', ['op-update_item']],
    ])
    expect(ids('get_item')).toEqual([['catalogue', ['op-get_item']]])
    expect(ids('nothing here')).toEqual([])
  })
})

describe('the committed document', () => {
  const committed = JSON.parse(readFileSync(join(__dirname, '../../openapi.json'), 'utf8')) as OpenApiDocument
  const index = indexDocument(committed)
  it('has the catalogue list, public and tryable', () => {
    const op = index.operations.find((o) => o.method === 'get' && o.path === '/api/v1/items')!
    expect(op.tags).toEqual(['catalogue'])
    expect(op.security.public).toBe(true)
    expect(canTry(op)).toBe(true)
    expect(filterGroups(index.groups, 'GET /api/v1/items').flatMap((g) => g.operations)).toContain(op)
  })
  it('gives every operation its own anchor and a group', () => {
    expect(index.byId.size).toBe(index.operations.length)
    const grouped = new Set(index.groups.flatMap((g) => g.operations.map((o) => o.id)))
    expect(grouped.size).toBe(index.operations.length)
  })
})
