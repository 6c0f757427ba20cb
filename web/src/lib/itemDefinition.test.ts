import { describe, expect, it } from 'vitest'
import {
  blankDefinition,
  checkBeforeSaving,
  fenToYuan,
  move,
  newFormField,
  newMaterial,
  nextMaterialCode,
  snapshot,
  yuanToFen,
} from './itemDefinition'

describe('item definition in the editor', () => {
  it('numbers new materials after the highest code', () => {
    const def = blankDefinition('RSJ')
    expect(nextMaterialCode(def.materials)).toBe('M01')
    def.materials.push(newMaterial(def.materials))
    def.materials.push({ ...newMaterial(def.materials), code: 'M07' })
    def.materials.push({ ...newMaterial(def.materials), code: 'X' })
    expect(nextMaterialCode(def.materials)).toBe('M08')
    expect(def.materials.map((m) => m.code)).toEqual(['M01', 'M07', 'X'])
  })
  it('starts a material with no form, and a form field with one line', () => {
    const m = newMaterial([])
    expect(m.fields).toEqual([])
    m.fields.push(newFormField(), { ...newFormField(), label: '住所', lines: 2 })
    move(m.fields, 1, -1)
    expect(m.fields.map((f) => f.label)).toEqual(['住所', ''])
    expect(m.fields[1]).toEqual({ label: '', sample: '', lines: 1 })
  })
  it('keeps fees in whole fen', () => {
    expect(yuanToFen(12.5)).toBe(1250)
    expect(yuanToFen(0.1 + 0.2)).toBe(30)
    expect(yuanToFen(undefined)).toBe(0)
    expect(fenToYuan(1250)).toBe(12.5)
  })
  it('moves rows within the list only', () => {
    const list = ['a', 'b', 'c']
    move(list, 0, -1)
    expect(list).toEqual(['a', 'b', 'c'])
    move(list, 0, 1)
    expect(list).toEqual(['b', 'a', 'c'])
    move(list, 2, 1)
    expect(list).toEqual(['b', 'a', 'c'])
  })
  it('checks only what it needs before sending', () => {
    const def = blankDefinition()
    expect(checkBeforeSaving(def, true).map((p) => p.field)).toEqual(['implementation_code', 'name', 'department'])
    def.implementation_code = '440511-RSJ-901'
    def.name = '新事项'
    def.department = 'RSJ'
    expect(checkBeforeSaving(def, true)).toEqual([])
    def.implementation_code = 'rsj 901'
    expect(checkBeforeSaving(def, true).map((p) => p.field)).toEqual(['implementation_code'])
    expect(checkBeforeSaving(def, false)).toEqual([])
  })
  it('tells a changed form from a saved one', () => {
    const def = blankDefinition('RSJ')
    const saved = snapshot(def)
    expect(snapshot(def)).toBe(saved)
    def.fees.push({ name: '工本费', amount_fen: 500, unit: '本', legal_basis: '' })
    expect(snapshot(def)).not.toBe(saved)
  })
})
