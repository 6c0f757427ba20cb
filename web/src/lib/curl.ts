// A curl command for an operation, ready to copy into a POSIX shell. A state-changing request
// carries the `Origin` the server checks (a browser sends it by itself, curl does not); one that
// needs a session reads the cookie jar a login saved (`-c cookies.txt` on the login, `-b` here).

/** `s` as one single-quoted shell word. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

export const COOKIE_JAR = 'cookies.txt'

export interface CurlRequest {
  method: string
  /** The whole URL: origin, path and query. */
  url: string
  /** The page's origin, sent as `Origin` on state-changing requests. */
  origin: string
  /** The operation needs the session cookie. */
  session: boolean
  /** The body's media type and sample, if the operation takes one. */
  body?: { mediaType: string; sample?: unknown }
  headers?: [string, string][]
}

const changesState = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())
const isJson = (type: string) => /^application\/([\w.+-]+\+)?json\b/i.test(type)

export function curlCommand(r: CurlRequest): string {
  const method = r.method.toUpperCase()
  // `{name}` left in a path would be a curl URL glob: -g keeps it as written.
  const glob = /[{}[\]]/.test(r.url) ? ' -g' : ''
  const head = method === 'GET' ? `curl${glob} ${shellQuote(r.url)}` : `curl${glob} -X ${method} ${shellQuote(r.url)}`
  const lines = [head]
  if (changesState(method)) lines.push(`-H ${shellQuote(`Origin: ${r.origin}`)}`)
  for (const [name, value] of r.headers ?? []) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`)
  if (r.session) lines.push(`-b ${COOKIE_JAR}`)
  if (r.body) {
    lines.push(`-H ${shellQuote(`Content-Type: ${r.body.mediaType}`)}`)
    if (isJson(r.body.mediaType)) lines.push(`--data ${shellQuote(JSON.stringify(r.body.sample ?? {}, null, 2))}`)
    else lines.push('--data-binary @file')
  }
  return lines.join(' \\\n  ')
}
