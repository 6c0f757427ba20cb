// Checks on a file before it is uploaded, mirroring the server's rules (docs/adr/0008): the kind
// is told by the file's first bytes, not its name or the browser's guess, and the size has a
// limit the server announces. The server checks again; these only spare a useless upload.

export type FileKind = 'pdf' | 'jpeg' | 'png'

/** Why a file is refused before upload, as a key of `materials.issues`. */
export type FileIssue = 'type' | 'size' | 'empty'

const SIGNATURES: readonly [FileKind, readonly number[]][] = [
  ['pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['jpeg', [0xff, 0xd8, 0xff]],
  ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
]

/** How many leading bytes `sniff` needs. */
export const HEAD_BYTES = 8

/**
 * What the browser offers in its file chooser (a hint only; the bytes decide). `image/*` makes a
 * phone offer its camera beside its files; there is no `capture`, which would open only the
 * camera and leave no way to choose a PDF.
 */
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/*'

export function sniff(head: Uint8Array): FileKind | null {
  const match = SIGNATURES.find(([, sig]) => sig.every((b, i) => head[i] === b))
  return match ? match[0] : null
}

/** The first problem of a file with these leading bytes and size, or null when it may go. */
export function fileIssue(head: Uint8Array, size: number, maxBytes: number): FileIssue | null {
  if (size === 0) return 'empty'
  if (!sniff(head)) return 'type'
  if (size > maxBytes) return 'size'
  return null
}

/** The leading bytes of a chosen file. */
export async function readHead(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer())
}

/** A size for people: 812 KB, 3.4 MB (binary units, as the limit is counted). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  const mb = bytes / 1024 / 1024
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`
}

/** Images are shown inline; anything else (PDF) opens in the browser's own viewer. */
export function isImage(mediaType: string): boolean {
  return mediaType === 'image/jpeg' || mediaType === 'image/png'
}

/** The newest file of a material (files come oldest first). */
export function latest<T>(files: readonly T[]): T | undefined {
  return files[files.length - 1]
}
