// A sample value of a schema, for the body of a ready-to-copy curl command: the schema's own
// example when it has one, else a placeholder of the right shape (required fields only, the
// first variant of a oneOf). A `$ref` already being expanded is not expanded again.
import { deref, type OpenApiDocument, type Schema } from './openapi'

const MAX_DEPTH = 12

function first(schema: Schema): { found: boolean; value?: unknown } {
  if (schema.example !== undefined) return { found: true, value: schema.example }
  if (schema.examples?.length) return { found: true, value: schema.examples[0] }
  if (schema.default !== undefined) return { found: true, value: schema.default }
  if ('const' in schema) return { found: true, value: schema.const }
  if (schema.enum?.length) return { found: true, value: schema.enum[0] }
  return { found: false }
}

function placeholder(type: string, format: string | undefined): unknown {
  switch (type) {
    case 'integer':
    case 'number':
      return 0
    case 'boolean':
      return false
    case 'null':
      return null
    case 'string':
      if (format === 'date') return '2026-01-01'
      if (format === 'date-time') return '2026-01-01T09:00:00+08:00'
      return 'string'
    default:
      return null
  }
}

function sample(doc: OpenApiDocument, schema: Schema, seen: Set<string>, depth: number): unknown {
  if (depth > MAX_DEPTH) return null
  if (typeof schema.$ref === 'string') {
    if (seen.has(schema.$ref)) return null
    const target = deref(doc, schema)
    if (target === schema) return null
    return sample(doc, target, new Set([...seen, schema.$ref]), depth + 1)
  }
  const own = first(schema)
  if (own.found) return own.value

  const options = schema.oneOf ?? schema.anyOf
  if (options?.length) {
    const pick = options.find((o) => o.type !== 'null') ?? options[0]!
    return sample(doc, pick, seen, depth + 1)
  }
  if (schema.allOf?.length) {
    const parts = schema.allOf.map((p) => sample(doc, p, seen, depth + 1))
    return parts.every((p) => p && typeof p === 'object' && !Array.isArray(p)) ? Object.assign({}, ...parts) : (parts[0] ?? null)
  }

  const types = (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []).filter((t) => t !== 'null')
  if (types.includes('array') || schema.items) return [sample(doc, schema.items ?? {}, seen, depth + 1)]
  if (types.includes('object') || schema.properties) {
    const props = Object.entries(schema.properties ?? {})
    const required = new Set(schema.required ?? [])
    const chosen = required.size ? props.filter(([name]) => required.has(name)) : props
    return Object.fromEntries(chosen.map(([name, p]) => [name, sample(doc, p, seen, depth + 1)]))
  }
  return placeholder(types[0] ?? (Array.isArray(schema.type) ? 'null' : ''), schema.format)
}

/** A value `schema` accepts (near enough to edit), for a request body's example. */
export function sampleOf(doc: OpenApiDocument, schema: Schema): unknown {
  return sample(doc, schema, new Set(), 0)
}
