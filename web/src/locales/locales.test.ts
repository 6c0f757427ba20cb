import { describe, expect, it } from 'vitest'
import { zhCN } from './zh-CN'
import { en } from './en'
import { initialLocale } from '../i18n'

type Tree = { [k: string]: string | Tree }

function leaves(t: Tree, prefix = ''): [string, string][] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v] as [string, string]] : leaves(v, `${prefix}${k}.`)))
}

describe('messages', () => {
  // The types already make en.ts have exactly zh-CN's keys; these check what types cannot.
  it('have the same keys in both languages', () => {
    expect(leaves(en).map(([k]) => k)).toEqual(leaves(zhCN).map(([k]) => k))
  })
  it('are never empty', () => {
    for (const [k, v] of [...leaves(zhCN), ...leaves(en)]) expect(v.trim(), k).not.toBe('')
  })
  it('have no Chinese in English, except the name of the Chinese language', () => {
    for (const [k, v] of leaves(en)) {
      if (k === 'lang.zh') continue
      expect(v, k).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/)
    }
  })
  it('use the same placeholders in both languages', () => {
    const zh = new Map(leaves(zhCN))
    for (const [k, v] of leaves(en)) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      expect(names(v), k).toEqual(names(zh.get(k)!))
    }
  })
})

describe('initialLocale', () => {
  it('is Chinese unless English was chosen before', () => {
    expect(initialLocale(undefined)).toBe('zh-CN')
    expect(initialLocale({ getItem: () => null })).toBe('zh-CN')
    expect(initialLocale({ getItem: () => 'fr' })).toBe('zh-CN')
    expect(initialLocale({ getItem: () => 'en' })).toBe('en')
  })
})
