// The API reference page's two calls, outside the typed client: the OpenAPI document itself
// (not one of its own paths), and "try it", which sends whatever operation the reader chose.
import { ApiProblem, toProblem } from '../lib/problem'
import type { OpenApiDocument } from '../lib/openapi'
import { headersOfInterest, shownBody, type ShownBody } from '../lib/tryIt'
import { currentLocale } from '../i18n'

const acceptLanguage = () => (currentLocale() === 'en' ? 'en' : 'zh-CN,zh;q=0.9')

/** The document the server serves now (`GET /api/openapi.json`), not the copy the app was built with. */
export async function loadApiDocument(): Promise<OpenApiDocument> {
  let response: Response
  try {
    response = await fetch('/api/openapi.json', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
  } catch (e) {
    throw toProblem(e)
  }
  const body: unknown = await response.json().catch(() => undefined)
  if (!response.ok) throw ApiProblem.fromResponse(response.status, body)
  if (!body || typeof body !== 'object' || !('paths' in body)) throw ApiProblem.unexpected(response.status)
  return body as OpenApiDocument
}

export interface TryAnswer {
  url: string
  status: number
  statusText: string
  ms: number
  headers: [string, string][]
  body: ShownBody
}

/**
 * Sends a GET to `url` (a path of this origin) with the browser's cookies, as the page would, and
 * reads the whole answer. Any status is an answer; only a failure to send throws.
 */
export async function sendTry(url: string, headers: [string, string][] = []): Promise<TryAnswer> {
  if (!url.startsWith('/') || url.startsWith('//')) throw new Error(`not a path of this origin: ${url}`)
  const started = performance.now()
  const response = await fetch(url, {
    method: 'GET',
    credentials: 'same-origin',
    headers: [['Accept', 'application/json, */*;q=0.5'], ['Accept-Language', acceptLanguage()], ...headers],
  })
  const bytes = new Uint8Array(await response.arrayBuffer())
  return {
    url,
    status: response.status,
    statusText: response.statusText,
    ms: Math.round(performance.now() - started),
    headers: headersOfInterest(response.headers),
    body: shownBody(response.headers.get('content-type'), bytes),
  }
}
