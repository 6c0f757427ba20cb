// The parts of an OpenAPI 3.1 document the API reference page reads, and `$ref` resolution.
// The document is whatever `/api/openapi.json` serves at run time, so every field is optional
// and read defensively: a newer server may add what this page does not know yet.

/** A JSON Schema (OpenAPI 3.1 dialect), as far as the page renders it. */
export interface Schema {
  $ref?: string
  type?: string | string[]
  format?: string
  title?: string
  description?: string
  enum?: unknown[]
  const?: unknown
  default?: unknown
  example?: unknown
  examples?: unknown[]
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  items?: Schema
  oneOf?: Schema[]
  anyOf?: Schema[]
  allOf?: Schema[]
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  pattern?: string
  uniqueItems?: boolean
  readOnly?: boolean
  writeOnly?: boolean
  deprecated?: boolean
}

export interface Parameter {
  $ref?: string
  name: string
  in: 'path' | 'query' | 'header' | 'cookie' | string
  description?: string
  required?: boolean
  deprecated?: boolean
  schema?: Schema
  example?: unknown
}

export interface MediaType {
  schema?: Schema
  example?: unknown
}

export interface RequestBody {
  $ref?: string
  description?: string
  required?: boolean
  content?: Record<string, MediaType>
}

export interface Response {
  $ref?: string
  description?: string
  content?: Record<string, MediaType>
}

export type SecurityRequirement = Record<string, string[]>

export interface Operation {
  tags?: string[]
  summary?: string
  description?: string
  operationId?: string
  parameters?: Parameter[]
  requestBody?: RequestBody
  responses?: Record<string, Response>
  security?: SecurityRequirement[]
  deprecated?: boolean
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
export type Method = (typeof METHODS)[number]

export type PathItem = { [M in Method]?: Operation } & { parameters?: Parameter[]; summary?: string; description?: string }

export interface SecurityScheme {
  type?: string
  in?: string
  name?: string
  scheme?: string
  description?: string
}

export interface Tag {
  name: string
  description?: string
}

export interface OpenApiDocument {
  openapi?: string
  info?: { title?: string; version?: string; description?: string; license?: { name?: string } }
  tags?: Tag[]
  paths?: Record<string, PathItem>
  components?: {
    schemas?: Record<string, Schema>
    parameters?: Record<string, Parameter>
    requestBodies?: Record<string, RequestBody>
    responses?: Record<string, Response>
    securitySchemes?: Record<string, SecurityScheme>
  }
  security?: SecurityRequirement[]
}

const LOCAL = '#/'

/** `ItemSummary` for `#/components/schemas/ItemSummary` (the last segment, unescaped). */
export function refName(ref: string): string {
  const last = ref.split('/').pop() ?? ref
  return unescapePointer(last)
}

function unescapePointer(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~')
}

/** What a local `$ref` (`#/components/…`) points at in `doc`, or undefined (remote or missing). */
export function resolveRef(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith(LOCAL)) return undefined
  let at: unknown = doc
  for (const raw of ref.slice(LOCAL.length).split('/')) {
    if (at === null || typeof at !== 'object') return undefined
    const key = unescapePointer(raw)
    if (!Object.prototype.hasOwnProperty.call(at, key)) return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}

/**
 * `value`, or what its `$ref` points at (following chains, at most a few hops, never in a
 * circle). A description beside the `$ref` (allowed in 3.1) wins over the target's.
 */
export function deref<T extends { $ref?: string; description?: string }>(doc: OpenApiDocument, value: T): T {
  let current: T = value
  const seen = new Set<string>()
  while (typeof current.$ref === 'string' && !seen.has(current.$ref) && seen.size < 8) {
    seen.add(current.$ref)
    const target = resolveRef(doc, current.$ref)
    if (!target || typeof target !== 'object') return current
    current = target as T
  }
  if (current !== value && value.description !== undefined) return { ...current, description: value.description }
  return current
}

/** The schema a `#/components/schemas/X` ref names, when it is one; else undefined. */
export function schemaRefName(ref: string): string | undefined {
  const prefix = '#/components/schemas/'
  return ref.startsWith(prefix) ? refName(ref) : undefined
}

/** An element id made of letters, digits, `_` and `-` only (safe in a URL hash and in CSS). */
export function anchorId(kind: 'op' | 'schema' | 'tag', name: string): string {
  return `${kind}-${name.replace(/[^A-Za-z0-9_-]+/g, '-')}`
}
