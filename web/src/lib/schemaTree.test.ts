import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { schemaTree, typeText, type SchemaNode } from './schemaTree'
import type { OpenApiDocument, Schema } from './openapi'

const doc: OpenApiDocument = {
  components: {
    schemas: {
      Theme: { type: 'string', description: 'The four themes.', enum: ['social_livelihood', 'registration'] },
      ItemSummary: {
        type: 'object',
        required: ['code', 'version'],
        properties: {
          code: { type: 'string', description: 'Implementation code.' },
          theme: { oneOf: [{ $ref: '#/components/schemas/Theme' }, { type: 'null' }] },
          version: { type: 'integer', format: 'int64', minimum: 0 },
          steps: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
          note: { type: ['string', 'null'] },
          tags: { type: 'array', items: { $ref: '#/components/schemas/Theme' } },
        },
        additionalProperties: false,
      },
      Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } },
      Event: {
        oneOf: [
          { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: ['submitted'] }, payload: { $ref: '#/components/schemas/ItemSummary' } } },
          { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: ['accepted'] } } },
        ],
      },
      Record: {
        allOf: [{ $ref: '#/components/schemas/Event' }, { type: 'object', required: ['seq'], properties: { seq: { type: 'integer' } } }],
      },
      Counts: { type: 'object', additionalProperties: { type: 'integer' } },
    },
  },
}
const tree = (s: Schema, expand?: boolean) => schemaTree(doc, s, { expand })
const child = (n: SchemaNode, name: string) => n.children.find((c) => c.name === name)!

describe('schemaTree', () => {
  it('shows a root $ref with its fields, in the document order, with required and constraints', () => {
    const root = tree({ $ref: '#/components/schemas/ItemSummary' })
    expect(root.type).toEqual(['object'])
    expect(root.ref).toBe('ItemSummary')
    expect(root.closed).toBe(true)
    expect(root.children.map((c) => [c.name, typeText(c.type), c.required])).toEqual([
      ['code', 'string', true],
      ['theme', 'Theme | null', false],
      ['version', 'integer', true],
      ['steps', 'array[object]', false],
      ['note', 'string | null', false],
      ['tags', 'array[Theme]', false],
    ])
    expect(child(root, 'code').description).toBe('Implementation code.')
    expect(child(root, 'version').format).toBe('int64')
    expect(child(root, 'version').constraints).toEqual(['minimum: 0'])
  })
  it('keeps nested $refs as links, with the target description', () => {
    const theme = child(tree({ $ref: '#/components/schemas/ItemSummary' }), 'theme')
    expect(theme.type).toEqual([{ ref: 'Theme' }, ' | null'])
    expect(theme.description).toBe('The four themes.')
    expect(theme.children).toEqual([])
  })
  it('shows the fields of inline array items as children', () => {
    const steps = child(tree({ $ref: '#/components/schemas/ItemSummary' }), 'steps')
    expect(steps.children.map((c) => [c.name, c.required])).toEqual([['name', true]])
  })
  it('expands an array of $refs at the root, and not without expand', () => {
    const list = tree({ type: 'array', items: { $ref: '#/components/schemas/ItemSummary' } })
    expect(list.type).toEqual(['array[', { ref: 'ItemSummary' }, ']'])
    expect(list.children.map((c) => c.name)).toContain('code')
    expect(tree({ $ref: '#/components/schemas/ItemSummary' }, false).children).toEqual([])
  })
  it('lists enum values', () => {
    expect(tree({ $ref: '#/components/schemas/Theme' }).values).toEqual(['"social_livelihood"', '"registration"'])
  })
  it('never expands a recursive schema forever', () => {
    const node = tree({ $ref: '#/components/schemas/Node' })
    expect(child(node, 'next').type).toEqual([{ ref: 'Node' }])
  })
  it('shows oneOf variants, titled by the property that tells them apart', () => {
    const event = tree({ $ref: '#/components/schemas/Event' })
    expect(event.type).toEqual(['oneOf'])
    expect(event.variants?.mode).toBe('oneOf')
    expect(event.variants?.options.map((o) => o.title)).toEqual(['kind = "submitted"', 'kind = "accepted"'])
    expect(child(event.variants!.options[0]!, 'payload').type).toEqual([{ ref: 'ItemSummary' }])
  })
  it('shows allOf as the schemas included and the fields added', () => {
    const record = tree({ $ref: '#/components/schemas/Record' })
    expect(record.includes).toEqual(['Event'])
    expect(record.children.map((c) => [c.name, c.required])).toEqual([['seq', true]])
  })
  it('shows a map as map[string, value]', () => {
    expect(typeText(tree({ $ref: '#/components/schemas/Counts' }).type)).toBe('map[string, integer]')
  })
  it('calls a schema without a type any', () => {
    expect(tree({}).type).toEqual(['any'])
  })
})

describe('schemaTree over the committed document', () => {
  const committed = JSON.parse(readFileSync(join(__dirname, '../../openapi.json'), 'utf8')) as OpenApiDocument
  const schemas = committed.components?.schemas ?? {}
  function links(n: SchemaNode): string[] {
    return [
      ...n.type.flatMap((p) => (typeof p === 'string' ? [] : [p.ref])),
      ...n.includes,
      ...n.children.flatMap(links),
      ...(n.variants?.options.flatMap(links) ?? []),
    ]
  }
  it('links only to schemas that exist', () => {
    for (const [name, schema] of Object.entries(schemas)) {
      for (const target of links(schemaTree(committed, schema, { expand: false }))) expect(schemas, `${name} → ${target}`).toHaveProperty(target)
    }
  })
})
