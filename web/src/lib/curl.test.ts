import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { curlCommand, shellQuote } from './curl'

describe('shellQuote', () => {
  it('makes one shell word of anything', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    const word = `a 'b' $HOME "c" \\ \n d`
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(word)}`], { encoding: 'utf8' })).toBe(word)
  })
})

describe('curlCommand', () => {
  const origin = 'https://zwfw.example.gov.cn'
  it('sends a state-changing JSON request with the Origin, the cookie jar and the body', () => {
    expect(
      curlCommand({
        method: 'put',
        url: `${origin}/api/v1/calendar/440511`,
        origin,
        session: true,
        body: { mediaType: 'application/json', sample: { days: [] } },
      }),
    ).toBe(
      [
        `curl -X PUT 'https://zwfw.example.gov.cn/api/v1/calendar/440511'`,
        `-H 'Origin: https://zwfw.example.gov.cn'`,
        `-b cookies.txt`,
        `-H 'Content-Type: application/json'`,
        `--data '{\n  "days": []\n}'`,
      ].join(' \\\n  '),
    )
  })
  it('sends a public GET as it is, without Origin', () => {
    expect(curlCommand({ method: 'get', url: `${origin}/api/v1/items?q=x`, origin, session: false })).toBe(`curl 'https://zwfw.example.gov.cn/api/v1/items?q=x'`)
  })
  it('keeps an unfilled {name} from being a curl glob', () => {
    expect(curlCommand({ method: 'delete', url: `${origin}/api/v1/staff/{username}`, origin, session: true })).toMatch(/^curl -g -X DELETE /)
  })
  it('sends a file for a binary body', () => {
    expect(
      curlCommand({ method: 'post', url: `${origin}/x`, origin, session: false, body: { mediaType: 'application/octet-stream' } }),
    ).toContain(`-H 'Content-Type: application/octet-stream' \\\n  --data-binary @file`)
  })
  it('quotes a body with a single quote in it', () => {
    const cmd = curlCommand({ method: 'post', url: `${origin}/x`, origin, session: false, body: { mediaType: 'application/json', sample: { a: "it's" } } })
    expect(cmd).toContain(`--data '{\n  "a": "it'\\''s"\n}'`)
  })
})
