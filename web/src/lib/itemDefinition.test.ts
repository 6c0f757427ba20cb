import { describe, expect, it } from 'vitest'
import {
  blankDefinition,
  checkBeforeSaving,
  fenToYuan,
  formPath,
  hasForm,
  move,
  newMaterial,
  nextMaterialCode,
  setForm,
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
  it('turns a material’s blank and sample forms on and off', () => {
    const m = newMaterial([])
    expect(hasForm(m, 'blank')).toBe(false)
    setForm(m, '440511-RSJ-901', 'blank', true)
    expect(m.blank_form).toBe(formPath('440511-RSJ-901', 'M01', 'blank'))
    expect(m.blank_form).toBe('forms/440511-RSJ-901/M01-blank.pdf')
    expect(hasForm(m, 'blank')).toBe(true)
    expect(hasForm(m, 'sample')).toBe(false)
    setForm(m, '440511-RSJ-901', 'sample', true)
    setForm(m, '440511-RSJ-901', 'blank', false)
    expect([m.blank_form, m.sample_form]).toEqual([null, 'forms/440511-RSJ-901/M01-sample.pdf'])
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
