import { describe, expect, it } from 'vitest'
import { prose } from './prose'

describe('prose', () => {
  it('joins wrapped lines and keeps paragraphs', () => {
    expect(prose('Open cases whose due date, or whose current step\'s, the edit\nmoved.\n\nSecond one.')).toEqual([
      [{ code: false, text: "Open cases whose due date, or whose current step's, the edit moved." }],
      [{ code: false, text: 'Second one.' }],
    ])
  })
  it('marks code spans and drops rustdoc link brackets', () => {
    expect(prose('See [`crate::supervision`]; `Green` < `Red`.')).toEqual([
      [
        { code: false, text: 'See ' },
        { code: true, text: 'crate::supervision' },
        { code: false, text: '; ' },
        { code: true, text: 'Green' },
        { code: false, text: ' < ' },
        { code: true, text: 'Red' },
        { code: false, text: '.' },
      ],
    ])
  })
  it('keeps list items on their own lines', () => {
    expect(prose('Either:\n- one\n- two, wrapped\n  here')).toEqual([[{ code: false, text: 'Either:\n- one\n- two, wrapped here' }]])
  })
  it('is nothing for nothing', () => {
    expect(prose(undefined)).toEqual([])
    expect(prose(' \n\n ')).toEqual([])
  })
})
