// The one API client. Every module in this folder goes through it; pages never call fetch.
// Same origin, session in the HttpOnly cookie `ow_session` (sent by the browser, never read here).
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { ApiProblem, toProblem } from '../lib/problem'
import { currentLocale } from '../i18n'

let unauthorized: ((status: number) => void) | undefined

/** Called with every 401 (main.ts sends the user to the login page when the page needs a session). */
export function onUnauthorized(handler: (status: number) => void) {
  unauthorized = handler
}

const conventions: Middleware = {
  onRequest({ request }) {
    // Problem titles and details follow the reader's language; message_zh/en come either way.
    request.headers.set('Accept-Language', currentLocale() === 'en' ? 'en' : 'zh-CN,zh;q=0.9')
    return request
  },
  onResponse({ response }) {
    if (response.status === 401) unauthorized?.(401)
    return response
  },
}

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })
api.use(conventions)

/**
 * The data of an openapi-fetch call, or an ApiProblem: the problem body the server sent, a
 * network failure, or an unexpected response.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response }
  try {
    result = await call
  } catch (e) {
    throw toProblem(e)
  }
  const { data, error, response } = result
  if (!response.ok) throw ApiProblem.fromResponse(response.status, error)
  if (data === undefined) throw ApiProblem.unexpected(response.status)
  return data
}

/** For calls answered 204 No Content: nothing, or an ApiProblem. */
export async function unwrapEmpty(call: Promise<{ error?: unknown; response: Response }>): Promise<void> {
  let result: { error?: unknown; response: Response }
  try {
    result = await call
  } catch (e) {
    throw toProblem(e)
  }
  if (!result.response.ok) throw ApiProblem.fromResponse(result.response.status, result.error)
}

/** The JSON body of `path`'s `method` on 200, as the OpenAPI document describes it. */
export type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer B } } }
}
  ? B
  : never
