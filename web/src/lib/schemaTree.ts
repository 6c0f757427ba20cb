// A JSON Schema as a tree of rows to read: each property with its type, whether it is required,
// its description and allowed values, nested objects and arrays as children, oneOf/anyOf as
// variants. A `$ref` stays a link (to the named schema) rather than being copied in, so a
// recursive schema is never expanded forever; only the root of a body or response is resolved,
// so the operation shows the fields it sends or answers.
import { deref, refName, schemaRefName, type OpenApiDocument, type Schema } from './openapi'

/** A type as text and links: `array[`, `{ ref: 'ItemSummary' }`, `]`. */
export type TypePart = string | { ref: string }

export interface SchemaNode {
  /** Unique within the tree (for `v-for` keys). */
  key: string
  /** The property's name; none for the root, an array's items or a variant. */
  name?: string
  /** The schema this node was resolved from (a `$ref` at the root, shown with its fields). */
  ref?: string
  /** A variant's title: its own `title`, or the value of the property that tells variants apart. */
  title?: string
  type: TypePart[]
  format?: string
  required: boolean
  description?: string
  /** Allowed values, as JSON (`"draft"`, `3`, `null`). */
  values: string[]
  /** Other constraints, as `keyword: value` texts (`minimum: 0`, `default: 20`). */
  constraints: string[]
  /** Schemas whose every field this one has too (`allOf` of a `$ref`). */
  includes: string[]
  children: SchemaNode[]
  variants?: { mode: 'oneOf' | 'anyOf' | 'allOf'; options: SchemaNode[] }
  /** `additionalProperties: false`: no other field is accepted. */
  closed: boolean
}

const MAX_DEPTH = 24
const CONSTRAINTS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'uniqueItems',
  'default',
  'example',
  'readOnly',
  'writeOnly',
  'deprecated',
] as const

interface At {
  key: string
  name?: string
  required: boolean
  /** Resolve a `$ref` here and show its fields (the root of a body or response, and its items). */
  expand: boolean
  depth: number
}

function emptyNode(at: At, schema: Schema): SchemaNode {
  return {
    key: at.key,
    name: at.name,
    type: [],
    format: schema.format,
    required: at.required,
    description: schema.description,
    values: [...(schema.enum ?? []), ...('const' in schema ? [schema.const] : [])].map((v) => JSON.stringify(v)),
    constraints: CONSTRAINTS.filter((k) => schema[k] !== undefined).map((k) => `${k}: ${JSON.stringify(schema[k])}`),
    includes: [],
    children: [],
    closed: schema.additionalProperties === false,
  }
}

const isNull = (s: Schema) => s.type === 'null' || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === 'null')

/** The name of the property every option fixes to one value (`kind` of a tagged union), if any. */
function discriminator(options: Schema[]): string | undefined {
  const first = options[0]?.properties
  if (!first || options.length < 2) return undefined
  return Object.keys(first).find((p) =>
    options.every((o) => {
      const prop = o.properties?.[p]
      return !!prop && ('const' in prop || prop.enum?.length === 1)
    }),
  )
}

function variantTitle(option: Schema, by: string | undefined): string | undefined {
  if (option.title) return option.title
  const prop = by ? option.properties?.[by] : undefined
  if (!prop || !by) return undefined
  return `${by} = ${JSON.stringify('const' in prop ? prop.const : prop.enum?.[0])}`
}

function properties(doc: OpenApiDocument, schema: Schema, at: At): SchemaNode[] {
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).map(([name, p]) =>
    build(doc, p, { key: `${at.key}.${name}`, name, required: required.has(name), expand: false, depth: at.depth + 1 }),
  )
}

function build(doc: OpenApiDocument, schema: Schema, at: At): SchemaNode {
  if (at.depth > MAX_DEPTH) return { ...emptyNode(at, {}), type: ['…'] }

  if (typeof schema.$ref === 'string') {
    const name = schemaRefName(schema.$ref) ?? refName(schema.$ref)
    const target = deref(doc, schema)
    if (at.expand && target !== schema) {
      return { ...build(doc, target, { ...at, expand: false }), ref: name }
    }
    const node = emptyNode(at, target === schema ? schema : target)
    // A row of a link shows the link and what it means here, not the target's whole detail.
    return { ...node, type: [{ ref: name }], values: [], constraints: [], closed: false }
  }

  // `oneOf: [X, {type: null}]` is how a nullable X is written: one row, `X | null`.
  const alternatives = schema.oneOf ?? schema.anyOf
  if (alternatives?.length === 2 && alternatives.some(isNull)) {
    const other = alternatives.find((a) => !isNull(a))!
    const node = build(doc, other, at)
    return {
      ...node,
      type: [...node.type, ' | null'],
      description: schema.description ?? node.description,
    }
  }

  const node = emptyNode(at, schema)
  if (alternatives?.length) {
    const mode = schema.oneOf ? 'oneOf' : 'anyOf'
    const by = discriminator(alternatives.map((a) => deref(doc, a)))
    node.type = [mode]
    node.variants = {
      mode,
      options: alternatives.map((a, i) => ({
        ...build(doc, a, { key: `${at.key}|${i}`, required: false, expand: false, depth: at.depth + 1 }),
        title: variantTitle(deref(doc, a), by),
      })),
    }
    return node
  }

  if (schema.allOf?.length) {
    const rest: Schema[] = []
    for (const part of schema.allOf) {
      if (typeof part.$ref === 'string') node.includes.push(schemaRefName(part.$ref) ?? refName(part.$ref))
      else if (part.properties) node.children.push(...properties(doc, part, at))
      else rest.push(part)
    }
    node.type = ['object']
    if (rest.length) {
      node.variants = {
        mode: 'allOf',
        options: rest.map((r, i) => build(doc, r, { key: `${at.key}&${i}`, required: false, expand: false, depth: at.depth + 1 })),
      }
    }
    return node
  }

  const types = (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []).filter((t) => t !== 'null')
  const nullable = Array.isArray(schema.type) && schema.type.includes('null')
  const orNull = nullable ? [' | null'] : []

  if (types.includes('array') || schema.items) {
    const items = build(doc, schema.items ?? {}, { key: `${at.key}[]`, required: false, expand: at.expand, depth: at.depth + 1 })
    return {
      ...node,
      type: ['array[', ...(items.ref ? [{ ref: items.ref }] : items.type), ']', ...orNull],
      children: items.children,
      variants: items.variants,
      includes: items.includes,
      values: [...node.values, ...items.values],
      constraints: [...node.constraints, ...items.constraints],
      closed: items.closed,
    }
  }

  if (types.includes('object') || schema.properties) {
    node.children = properties(doc, schema, at)
    const extra = schema.additionalProperties
    if (extra && typeof extra === 'object') {
      const value = build(doc, extra, { key: `${at.key}{}`, name: '*', required: false, expand: false, depth: at.depth + 1 })
      if (node.children.length === 0) {
        node.type = ['map[string, ', ...value.type, ']', ...orNull]
        node.children = value.children
        return node
      }
      node.children.push(value)
    }
    node.type = ['object', ...orNull]
    return node
  }

  node.type = [types.length ? types.join(' | ') : 'any', ...orNull]
  return node
}

/**
 * The tree of `schema` as read in `doc`. With `expand` (the default), a `$ref` at the root, or
 * as the items of a root array, is shown with its fields; every other `$ref` is a link.
 */
export function schemaTree(doc: OpenApiDocument, schema: Schema, { expand = true } = {}): SchemaNode {
  return build(doc, schema, { key: '$', required: false, expand, depth: 0 })
}

/** The text of a type, links written by name (for tests, titles and search). */
export function typeText(parts: TypePart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.ref)).join('')
}
