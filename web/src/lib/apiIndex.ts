// The API reference's view of an OpenAPI document: operations with their `$ref`s resolved,
// grouped by tag in the document's order, and the search over them.
import {
  anchorId,
  deref,
  METHODS,
  type MediaType,
  type OpenApiDocument,
  type Operation,
  type Parameter,
  type RequestBody,
  type Schema,
  type SecurityScheme,
} from './openapi'

export interface SecurityInfo {
  /** No scheme is asked for. */
  public: boolean
  /** A scheme is named, but an empty requirement (`{}`) lets the request go without it too. */
  optional: boolean
  schemes: (SecurityScheme & { key: string })[]
}

export interface ApiResponse {
  status: string
  description: string
  content: { mediaType: string; schema?: Schema }[]
}

export interface ApiOperation {
  /** The element id and URL hash of the operation (`op-list_items`). */
  id: string
  operationId?: string
  method: string
  path: string
  tags: string[]
  summary?: string
  description?: string
  deprecated: boolean
  /** Path-level and operation-level parameters, the operation's winning on the same name and place. */
  parameters: Parameter[]
  requestBody?: RequestBody
  responses: ApiResponse[]
  security: SecurityInfo
}

export interface TagGroup {
  /** '' for operations without a tag. */
  name: string
  description?: string
  operations: ApiOperation[]
}

export interface ApiIndex {
  groups: TagGroup[]
  operations: ApiOperation[]
  schemas: { name: string; schema: Schema }[]
  byId: Map<string, ApiOperation>
}

/** What `security` asks of an operation (its own, else the document's). */
export function securityOf(doc: OpenApiDocument, op: Operation): SecurityInfo {
  const requirements = op.security ?? doc.security ?? []
  const keys = [...new Set(requirements.flatMap((r) => Object.keys(r)))]
  const schemes = doc.components?.securitySchemes ?? {}
  return {
    public: keys.length === 0,
    optional: keys.length > 0 && requirements.some((r) => Object.keys(r).length === 0),
    schemes: keys.map((key) => ({ key, ...(schemes[key] ?? {}) })),
  }
}

function parametersOf(doc: OpenApiDocument, pathLevel: Parameter[] = [], own: Parameter[] = []): Parameter[] {
  const merged = new Map<string, Parameter>()
  for (const p of [...pathLevel, ...own].map((p) => deref(doc, p))) merged.set(`${p.in}:${p.name}`, p)
  return [...merged.values()]
}

function responsesOf(doc: OpenApiDocument, op: Operation): ApiResponse[] {
  return Object.entries(op.responses ?? {}).map(([status, raw]) => {
    const r = deref(doc, raw)
    return {
      status,
      description: r.description ?? '',
      content: Object.entries(r.content ?? {}).map(([mediaType, m]: [string, MediaType]) => ({ mediaType, schema: m.schema })),
    }
  })
}

function operationId(op: Operation, method: string, path: string): string {
  return anchorId('op', op.operationId ?? `${method}${path.replace(/[{}]/g, '')}`)
}

/** Every operation of `doc`, in the order of its paths, then of the methods. */
export function operationsOf(doc: OpenApiDocument): ApiOperation[] {
  const ops: ApiOperation[] = []
  const ids = new Set<string>()
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      let id = operationId(op, method, path)
      // Two operations never share an anchor, even when the document repeats an operationId.
      for (let n = 2; ids.has(id); n++) id = `${operationId(op, method, path)}-${n}`
      ids.add(id)
      ops.push({
        id,
        operationId: op.operationId,
        method,
        path,
        tags: op.tags ?? [],
        summary: op.summary,
        description: op.description,
        deprecated: op.deprecated === true,
        parameters: parametersOf(doc, item.parameters, op.parameters),
        requestBody: op.requestBody ? deref(doc, op.requestBody) : undefined,
        responses: responsesOf(doc, op),
        security: securityOf(doc, op),
      })
    }
  }
  return ops
}

/**
 * The operations by tag: the tags the document declares, in its order, then tags only
 * operations name (as they first appear), then the operations without a tag. An operation with
 * several tags is in each of their groups.
 */
export function groupByTag(doc: OpenApiDocument, ops: ApiOperation[]): TagGroup[] {
  const groups = new Map<string, TagGroup>()
  for (const tag of doc.tags ?? []) {
    if (tag?.name && !groups.has(tag.name)) groups.set(tag.name, { name: tag.name, description: tag.description, operations: [] })
  }
  for (const op of ops) {
    for (const name of op.tags.length ? op.tags : ['']) {
      let g = groups.get(name)
      if (!g) {
        g = { name, operations: [] }
        groups.set(name, g)
      }
      g.operations.push(op)
    }
  }
  // The untagged ones come last, wherever the first of them was.
  const untagged = groups.get('')
  groups.delete('')
  return [...groups.values(), ...(untagged ? [untagged] : [])].filter((g) => g.operations.length > 0)
}

export function indexDocument(doc: OpenApiDocument): ApiIndex {
  const operations = operationsOf(doc)
  return {
    groups: groupByTag(doc, operations),
    operations,
    schemas: Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => ({ name, schema })),
    byId: new Map(operations.map((o) => [o.id, o])),
  }
}

/** Whether `op` is its `group`'s to anchor: the first group it is in carries its id. */
export function isHome(op: ApiOperation, group: TagGroup): boolean {
  return (op.tags[0] ?? '') === group.name
}

/**
 * The groups with only the operations matching every word of `query` in their method, path,
 * summary, operationId or tags (case-insensitive); empty groups are left out.
 */
export function filterGroups(groups: TagGroup[], query: string): TagGroup[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean)
  if (!words.length) return groups
  const matches = (op: ApiOperation) => {
    const text = [op.method, op.path, op.summary ?? '', op.operationId ?? '', ...op.tags].join(' ').toLowerCase()
    return words.every((w) => text.includes(w))
  }
  return groups.map((g) => ({ ...g, operations: g.operations.filter(matches) })).filter((g) => g.operations.length > 0)
}

/** Whether the page may send `op` from the browser: a GET that carries no body. */
export function canTry(op: ApiOperation): boolean {
  return op.method === 'get' && !op.requestBody
}
