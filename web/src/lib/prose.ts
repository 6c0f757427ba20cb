// The descriptions of the OpenAPI document are Rust doc comments: lines wrapped at 100 columns,
// blank lines between paragraphs, `code` in backticks, [`links`] to Rust items. As prose to
// show: paragraphs, a wrapped line joined to the one before (a list item keeps its own line),
// code spans marked, link brackets dropped. Text only: nothing is ever rendered as HTML.

export interface ProsePart {
  code: boolean
  text: string
}

const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s/

function joinLines(paragraph: string): string {
  return paragraph
    .split('\n')
    .map((l) => l.trim())
    .reduce((text, line, i) => (i === 0 ? line : `${text}${LIST_ITEM.test(line) ? '\n' : ' '}${line}`), '')
}

function parts(text: string): ProsePart[] {
  const out: ProsePart[] = []
  text
    .replace(/\[`([^`\]]+)`\]/g, '`$1`')
    .split('`')
    .forEach((piece, i) => {
      if (piece) out.push({ code: i % 2 === 1, text: piece })
    })
  return out
}

/** The paragraphs of `text`, each a run of plain and code parts. */
export function prose(text: string | undefined): ProsePart[][] {
  return (text ?? '')
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map(joinLines)
    .filter(Boolean)
    .map(parts)
}
