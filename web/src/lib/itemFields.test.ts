import { describe, expect, it } from 'vitest'
import { ApiProblem } from './problem'
import {
  fieldMessages,
  firstSectionWithProblems,
  hasField,
  messagesByWindow,
  normalisePath,
  rootOf,
  sectionCounts,
  sectionOf,
  unplaced,
  withoutList,
} from './itemFields'

const problem = (...fields: string[]) =>
  new ApiProblem({
    status: 422,
    code: 'invalid_item_definition',
    message_zh: '事项定义有问题',
    message_en: 'The item definition has problems',
    errors: fields.map((field) => ({ field, code: 'x', message_zh: `${field} 有误`, message_en: `${field} is wrong` })),
  })

describe('item field paths', () => {
  it('spells a path one way', () => {
    expect(normalisePath('materials.2.name')).toBe('materials[2].name')
    expect(normalisePath('materials[2].name')).toBe('materials[2].name')
    expect(normalisePath('windows.1')).toBe('windows[1]')
    expect(normalisePath('result.name')).toBe('result.name')
  })
  it('finds the tab of every kind of path', () => {
    expect(rootOf('steps[0].department')).toBe('steps')
    expect(sectionOf('name')).toBe('basic')
    expect(sectionOf('materials[2].name')).toBe('materials')
    expect(sectionOf('steps')).toBe('steps')
    expect(sectionOf('promised_time_limit_days')).toBe('limits')
    expect(sectionOf('fees[0].amount_fen')).toBe('limits')
    expect(sectionOf('result.name')).toBe('public')
    expect(sectionOf('windows[3]')).toBe('windows')
    expect(sectionOf('colour')).toBeUndefined()
  })
  it('groups the messages by field and counts them per tab', () => {
    const m = fieldMessages(problem('name', 'materials.1.name', 'materials[2].code', 'materials[1].name', 'steps'))
    expect(m.get('materials[1].name')).toHaveLength(2)
    expect(sectionCounts(m)).toEqual({ basic: 1, public: 0, materials: 3, steps: 1, limits: 0, windows: 0 })
    expect(firstSectionWithProblems(m)).toBe('basic')
    expect(firstSectionWithProblems(fieldMessages(problem('fees[0].name')))).toBe('limits')
    expect(firstSectionWithProblems(fieldMessages(null))).toBeUndefined()
  })
  it('knows which paths have a field on the form', () => {
    const lengths = { materials: 2, steps: 1, fees: 0 }
    expect(hasField('name', lengths)).toBe(true)
    expect(hasField('materials[1].name', lengths)).toBe(true)
    expect(hasField('materials[2].name', lengths)).toBe(false)
    expect(hasField('fees[0].name', lengths)).toBe(false)
    expect(hasField('colour', lengths)).toBe(false)
  })
  it('shows above the form what no field holds', () => {
    const m = fieldMessages(problem('name', 'colour', 'materials[5].code'))
    const left = unplaced(m, (p) => hasField(p, { materials: 2 }))
    expect(left.map((e) => e.message_en)).toEqual(['colour is wrong', 'materials[5].code is wrong'])
  })
  it('drops a list’s row problems once its rows change, and keeps the rest', () => {
    const m = withoutList(fieldMessages(problem('materials[0].name', 'materials', 'name', 'steps[0].name')), 'materials')
    expect([...m.keys()]).toEqual(['materials', 'name', 'steps[0].name'])
  })
  it('names a windows problem by the window sent at its position', () => {
    const m = fieldMessages(problem('windows[0]', 'windows[2]', 'windows[9]', 'name'))
    const byWindow = messagesByWindow(m, ['B01', 'A01', 'A01'])
    expect([...byWindow.keys()]).toEqual(['B01', 'A01'])
    expect(byWindow.get('A01')?.[0]?.message_en).toBe('windows[2] is wrong')
  })
})
