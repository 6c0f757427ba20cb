// "Try it": the request an operation's form describes, and its answer made readable.
import { deref, type OpenApiDocument, type Parameter } from './openapi'

/** The form's values, by `in:name` (`path:code`, `query:q`). */
export type ParamValues = Record<string, string>

export const paramKey = (p: Pick<Parameter, 'in' | 'name'>) => `${p.in}:${p.name}`

/** The parameters the form offers: those in the path, the query and the headers. */
export function tryableParameters(params: Parameter[]): Parameter[] {
  return params.filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
}

/** Names of the required parameters (every path parameter is) left empty. */
export function missingParameters(params: Parameter[], values: ParamValues): string[] {
  return tryableParameters(params)
    .filter((p) => (p.required || p.in === 'path') && !(values[paramKey(p)] ?? '').trim())
    .map((p) => p.name)
}

const isArray = (p: Parameter) => p.schema?.type === 'array' || (Array.isArray(p.schema?.type) && p.schema.type.includes('array'))

/**
 * The path with its `{name}`s filled (encoded) and the query of the non-empty values; an array
 * parameter's comma-separated values repeat the name (`?status=a&status=b`). A path parameter
 * left empty keeps its `{name}`.
 */
export function requestPath(path: string, params: Parameter[], values: ParamValues): string {
  const filled = path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const v = (values[`path:${name}`] ?? '').trim()
    return v ? encodeURIComponent(v) : whole
  })
  const query = new URLSearchParams()
  for (const p of params) {
    if (p.in !== 'query') continue
    const v = (values[paramKey(p)] ?? '').trim()
    if (!v) continue
    const parts = isArray(p) ? v.split(',').map((s) => s.trim()).filter(Boolean) : [v]
    for (const part of parts) query.append(p.name, part)
  }
  const qs = query.toString()
  return qs ? `${filled}?${qs}` : filled
}

/** The header parameters with a value, as request headers. */
export function requestHeaders(params: Parameter[], values: ParamValues): [string, string][] {
  return params
    .filter((p) => p.in === 'header')
    .map((p): [string, string] => [p.name, (values[paramKey(p)] ?? '').trim()])
    .filter(([, v]) => v !== '')
}

/** The answer's headers worth showing, in this order, when present. */
export const HEADERS_OF_INTEREST = [
  'content-type',
  'content-length',
  'content-disposition',
  'cache-control',
  'etag',
  'last-modified',
  'location',
  'retry-after',
  'server-timing',
  'x-request-id',
] as const

export function headersOfInterest(headers: Pick<Headers, 'get'>): [string, string][] {
  return HEADERS_OF_INTEREST.flatMap((name) => {
    const v = headers.get(name)
    return v === null ? [] : [[name, v] as [string, string]]
  })
}

/** The longest text shown of an answer; the rest is cut (and said so). */
export const MAX_SHOWN_CHARS = 200_000

export type ShownBody =
  | { kind: 'empty' }
  | { kind: 'json' | 'text'; text: string; truncated: boolean }
  | { kind: 'binary'; bytes: number; type: string }

const isJson = (type: string) => /^application\/([\w.+-]+\+)?json\b/i.test(type)
const isText = (type: string) => /^text\//i.test(type) || /^application\/(xml|javascript)\b/i.test(type)

function cut(text: string): { text: string; truncated: boolean } {
  return text.length > MAX_SHOWN_CHARS ? { text: text.slice(0, MAX_SHOWN_CHARS), truncated: true } : { text, truncated: false }
}

/** An answer's body as the panel shows it: JSON pretty-printed, text as is, anything else by its size. */
export function shownBody(contentType: string | null, bytes: Uint8Array): ShownBody {
  if (bytes.length === 0) return { kind: 'empty' }
  const type = (contentType ?? '').trim()
  if (isJson(type) || isText(type)) {
    const text = new TextDecoder().decode(bytes)
    if (isJson(type)) {
      try {
        return { kind: 'json', ...cut(JSON.stringify(JSON.parse(text), null, 2)) }
      } catch {
        // Not JSON after all: shown as the text it is.
      }
    }
    return { kind: 'text', ...cut(text) }
  }
  return { kind: 'binary', bytes: bytes.length, type: type || 'application/octet-stream' }
}

/**
 * The values a parameter takes, when they are few: its enum (through a `$ref` and a nullable
 * `oneOf`), or true and false; else none, and the form offers a text field.
 */
export function parameterChoices(doc: OpenApiDocument, p: Parameter): string[] {
  if (!p.schema) return []
  let s = deref(doc, p.schema)
  const options = s.oneOf ?? s.anyOf
  if (options?.length === 2) {
    const other = options.find((o) => o.type !== 'null')
    if (other) s = deref(doc, other)
  }
  if (s.enum?.length) return s.enum.filter((v) => v !== null).map(String)
  if (s.type === 'boolean') return ['true', 'false']
  return []
}

/** The form's values from the parameters' examples (path parameters of a curl command, say). */
export function exampleValues(params: Parameter[]): ParamValues {
  return Object.fromEntries(
    params.flatMap((p) => {
      const ex = p.example ?? p.schema?.example
      return ex === undefined || ex === null || typeof ex === 'object' ? [] : [[paramKey(p), String(ex)]]
    }),
  )
}
