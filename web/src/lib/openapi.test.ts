import { describe, expect, it } from 'vitest'
import { anchorId, deref, refName, resolveRef, schemaRefName, type OpenApiDocument, type Schema } from './openapi'

const doc: OpenApiDocument = {
  components: {
    schemas: {
      Theme: { type: 'string', description: 'A theme.', enum: ['a', 'b'] },
      Alias: { $ref: '#/components/schemas/Theme' },
      Loop: { $ref: '#/components/schemas/Loop' },
      'a/b': { type: 'integer' },
    },
    parameters: { Code: { name: 'code', in: 'path', required: true } },
  },
}

describe('resolveRef', () => {
  it('follows a local pointer', () => {
    expect(resolveRef(doc, '#/components/schemas/Theme')).toEqual(doc.components!.schemas!.Theme)
    expect(resolveRef(doc, '#/components/parameters/Code')).toMatchObject({ name: 'code' })
  })
  it('unescapes ~1 and ~0', () => {
    expect(resolveRef(doc, '#/components/schemas/a~1b')).toEqual({ type: 'integer' })
  })
  it('is undefined for a missing target or a remote reference', () => {
    expect(resolveRef(doc, '#/components/schemas/Nope')).toBeUndefined()
    expect(resolveRef(doc, 'other.json#/components/schemas/Theme')).toBeUndefined()
    expect(resolveRef(doc, '#/components/schemas/Theme/enum/0/length')).toBeUndefined()
  })
})

describe('deref', () => {
  it('follows chains to the target', () => {
    expect(deref(doc, { $ref: '#/components/schemas/Alias' })).toEqual(doc.components!.schemas!.Theme)
  })
  it('keeps a description given beside the $ref', () => {
    expect(deref(doc, { $ref: '#/components/schemas/Theme', description: 'Here.' })).toMatchObject({ enum: ['a', 'b'], description: 'Here.' })
  })
  it('stops in a circle and at a missing target', () => {
    expect(deref(doc, { $ref: '#/components/schemas/Loop' })).toEqual({ $ref: '#/components/schemas/Loop' })
    expect(deref(doc, { $ref: '#/nope' })).toEqual({ $ref: '#/nope' })
  })
  it('returns anything else as it is', () => {
    const s: Schema = { type: 'string' }
    expect(deref(doc, s)).toBe(s)
  })
})

describe('names and anchors', () => {
  it('name the target of a ref', () => {
    expect(refName('#/components/schemas/ItemSummary')).toBe('ItemSummary')
    expect(schemaRefName('#/components/schemas/ItemSummary')).toBe('ItemSummary')
    expect(schemaRefName('#/components/parameters/Code')).toBeUndefined()
  })
  it('are ids safe in a URL hash', () => {
    expect(anchorId('op', 'list_items')).toBe('op-list_items')
    expect(anchorId('op', 'get/api/v1/items/code')).toBe('op-get-api-v1-items-code')
    expect(anchorId('schema', 'Page_InboxRow')).toBe('schema-Page_InboxRow')
  })
})
