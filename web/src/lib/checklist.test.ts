import { describe, expect, it } from 'vitest'
import { acceptCommand, newChecklist, problemRows, rowIssues, rowOfField, statesFor, supplementCommand, verdict } from './checklist'

const materials = [
  { code: 'M01', name: 'form', required: true, waivable: false },
  { code: 'M02', name: 'licence', required: true, waivable: false },
  { code: 'M03', name: 'premises', required: true, waivable: true },
  { code: 'M04', name: 'extra', required: false, waivable: false },
]

describe('checklist', () => {
  it('starts from what was uploaded: the rest is missing until the clerk checks it', () => {
    const rows = newChecklist(materials, ['M02'])
    expect(rows.map((r) => r.state)).toEqual(['missing', 'received', 'missing', 'missing'])
    expect(verdict(rows)).toBe('supplement')
    expect(problemRows(rows).map((r) => r.code)).toEqual(['M01', 'M03'])
    rows[0]!.state = 'received'
    rows[2]!.state = 'received'
    expect(verdict(rows)).toBe('accept')
    expect(acceptCommand(rows)).toEqual({ action: 'accept', waived: [], received: ['M01', 'M02', 'M03'] })
  })
  it('opens a material the applicant promised to bring later as waived, if the item allows it', () => {
    const rows = newChecklist(materials, ['M01', 'M02'], ['M03', 'M01', 'M04'])
    expect(rows.map((r) => r.state)).toEqual(['received', 'received', 'waived', 'missing'])
    // The clerk still sets when it is due.
    expect(rowIssues(rows, '2026-03-02')).toEqual([{ code: 'M03', key: 'desk.issues.dueRequired' }])
  })
  it('offers 容缺 only for waivable materials', () => {
    expect(statesFor(materials[0]!)).not.toContain('waived')
    expect(statesFor(materials[2]!)).toContain('waived')
  })
  it('accepts with waived materials and their due dates', () => {
    const rows = newChecklist(materials, ['M01', 'M02', 'M03', 'M04'])
    rows[2]!.state = 'waived'
    rows[2]!.dueOn = '2026-12-04'
    expect(rowIssues(rows, '2026-11-20')).toEqual([])
    expect(acceptCommand(rows)).toEqual({
      action: 'accept',
      waived: [{ material: 'M03', due_on: '2026-12-04' }],
      received: ['M01', 'M02', 'M04'],
    })
  })
  it('wants a due date after today and a note on faulty materials', () => {
    const rows = newChecklist(materials, ['M01', 'M02', 'M03', 'M04'])
    rows[2]!.state = 'waived'
    rows[1]!.state = 'faulty'
    expect(rowIssues(rows, '2026-11-20').map((i) => i.key)).toEqual(['desk.issues.noteRequired', 'desk.issues.dueRequired'])
    rows[2]!.dueOn = '2026-11-20'
    expect(rowIssues(rows, '2026-11-20').map((i) => i.key)).toContain('desk.issues.dueNotFuture')
  })
  it('lists every missing or faulty material in ONE notice; a missing optional one is no problem', () => {
    const rows = newChecklist(materials, ['M03'])
    rows[0]!.state = 'missing'
    rows[1]!.state = 'faulty'
    rows[1]!.note = ' expired '
    rows[3]!.state = 'missing'
    expect(verdict(rows)).toBe('supplement')
    expect(problemRows(rows).map((r) => r.code)).toEqual(['M01', 'M02'])
    expect(supplementCommand(rows)).toEqual({
      action: 'request_supplement',
      items: [
        { material: 'M01', problem: 'missing', note: '' },
        { material: 'M02', problem: 'faulty', note: 'expired' },
      ],
      repeat_reason: null,
    })
    expect(supplementCommand(rows, ' again ')).toMatchObject({ repeat_reason: 'again' })
  })
  it('maps a field error back to its material', () => {
    const rows = newChecklist(materials)
    rows[2]!.state = 'waived'
    rows[2]!.dueOn = '2026-12-04'
    expect(rowOfField(rows, 'waived[0].due_on', acceptCommand(rows))).toBe('M03')
    expect(rowOfField(rows, 'reason', acceptCommand(rows))).toBeUndefined()
  })
})
