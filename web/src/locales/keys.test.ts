// Every literal key given to t() exists in the zh-CN schema (keys built at run time are not checked).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { zhCN } from './zh-CN'
import { messageAt } from './lookup'

const src = join(__dirname, '..')
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : /\.(vue|ts)$/.test(p) && !p.endsWith('.d.ts') ? [p] : []
  })
}
const has = (key: string) => typeof messageAt(zhCN, key) === 'string'

describe('message keys', () => {
  it('used literally in code all exist', () => {
    const missing: string[] = []
    for (const f of files(src)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        if (!has(m[1]!)) missing.push(`${relative(src, f)}: ${m[1]}`)
      }
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:label|key): '((?:desk|caseView|my|workbench)\.[a-zA-Z0-9_.]+)'/g)) {
        if (!has(m[1]!)) missing.push(`${relative(src, f)}: ${m[1]}`)
      }
    }
    expect(missing).toEqual([])
  })
})
