import { describe, expect, it } from 'vitest'
import { ACCEPT, fileIssue, formatSize, isImage, latest, readHead, sniff } from './materials'

const bytes = (...b: number[]) => new Uint8Array(b)
const PDF = new TextEncoder().encode('%PDF-1.7\n')
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
const MAX = 10 * 1024 * 1024

describe('materials', () => {
  it('offers PDFs and the camera in the file chooser', () => {
    const kinds = ACCEPT.split(',')
    expect(kinds).toContain('application/pdf')
    expect(kinds).toContain('.pdf')
    expect(kinds).toContain('image/*')
  })
  it('tells PDF, JPEG and PNG by their first bytes', () => {
    expect(sniff(PDF)).toBe('pdf')
    expect(sniff(JPEG)).toBe('jpeg')
    expect(sniff(PNG)).toBe('png')
    expect(sniff(new TextEncoder().encode('GIF89a'))).toBeNull()
    expect(sniff(bytes(0x50, 0x4b, 3, 4))).toBeNull() // a zip or .docx
    expect(sniff(bytes(0x25, 0x50, 0x44))).toBeNull() // a cut signature
    expect(sniff(bytes())).toBeNull()
  })
  it('refuses an empty, a wrong-typed or a too large file, in that order', () => {
    expect(fileIssue(PDF, 0, MAX)).toBe('empty')
    expect(fileIssue(bytes(0x4d, 0x5a), 100, MAX)).toBe('type')
    expect(fileIssue(PNG, MAX + 1, MAX)).toBe('size')
    expect(fileIssue(PNG, MAX, MAX)).toBeNull()
  })
  it('reads the head of a file whatever its name says', async () => {
    const renamed = new File([new TextEncoder().encode('MZ this is an executable')], '身份证.pdf', { type: 'application/pdf' })
    const head = await readHead(renamed)
    expect(head.length).toBe(8)
    expect(fileIssue(head, renamed.size, MAX)).toBe('type')
  })
  it('shows sizes in binary units', () => {
    expect(formatSize(900)).toBe('900 B')
    expect(formatSize(812 * 1024)).toBe('812 KB')
    expect(formatSize(MAX)).toBe('10 MB')
    expect(formatSize(3.5 * 1024 * 1024)).toBe('3.5 MB')
  })
  it('previews images inline and takes the newest file', () => {
    expect(isImage('image/png')).toBe(true)
    expect(isImage('application/pdf')).toBe(false)
    expect(latest([1, 2, 3])).toBe(3)
    expect(latest([])).toBeUndefined()
  })
})
