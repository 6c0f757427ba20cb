import { describe, expect, it } from 'vitest'
import { sampleOf } from './schemaExample'
import type { OpenApiDocument } from './openapi'

const doc: OpenApiDocument = {
  components: {
    schemas: {
      CalendarUpdate: { type: 'object', required: ['days'], properties: { days: { type: 'array', items: { $ref: '#/components/schemas/Day' } } } },
      Day: {
        type: 'object',
        required: ['date', 'kind', 'year'],
        properties: {
          date: { type: 'string', format: 'date' },
          kind: { type: 'string', enum: ['holiday', 'workday'] },
          year: { type: 'integer', example: 2026 },
          note: { type: ['string', 'null'] },
        },
      },
      Node: { type: 'object', required: ['next'], properties: { next: { $ref: '#/components/schemas/Node' } } },
      Command: {
        oneOf: [
          { type: 'object', required: ['action'], properties: { action: { type: 'string', enum: ['submit'] } } },
          { type: 'object', required: ['action'], properties: { action: { type: 'string', enum: ['accept'] } } },
        ],
      },
      Free: { type: 'object', properties: { a: { type: 'boolean' }, b: { type: ['number', 'null'] } } },
    },
  },
}

describe('sampleOf', () => {
  it('fills required fields with examples, enum values and placeholders', () => {
    expect(sampleOf(doc, { $ref: '#/components/schemas/CalendarUpdate' })).toEqual({
      days: [{ date: '2026-01-01', kind: 'holiday', year: 2026 }],
    })
  })
  it('takes the first variant of a oneOf', () => {
    expect(sampleOf(doc, { $ref: '#/components/schemas/Command' })).toEqual({ action: 'submit' })
  })
  it('takes every field when none is required', () => {
    expect(sampleOf(doc, { $ref: '#/components/schemas/Free' })).toEqual({ a: false, b: 0 })
  })
  it('stops at a recursive $ref', () => {
    expect(sampleOf(doc, { $ref: '#/components/schemas/Node' })).toEqual({ next: null })
  })
  it('is null for what it cannot resolve', () => {
    expect(sampleOf(doc, { $ref: '#/components/schemas/Missing' })).toBeNull()
  })
})
