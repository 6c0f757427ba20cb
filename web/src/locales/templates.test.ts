// Every visible text goes through t(): no Chinese (or full-width punctuation) typed into a template.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const src = join(__dirname, '..')

function vueFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? vueFiles(p) : p.endsWith('.vue') ? [p] : []
  })
}

describe('templates', () => {
  it('carry no hard-coded Chinese text', () => {
    const offenders: string[] = []
    for (const file of vueFiles(src)) {
      const template = /<template>([\s\S]*)<\/template>/.exec(readFileSync(file, 'utf8'))?.[1] ?? ''
      const withoutComments = template.replace(/<!--[\s\S]*?-->/g, '')
      withoutComments.split('\n').forEach((line, i) => {
        if (/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(line)) offenders.push(`${relative(src, file)}:${i + 1}: ${line.trim()}`)
      })
    }
    expect(offenders).toEqual([])
  })
})
