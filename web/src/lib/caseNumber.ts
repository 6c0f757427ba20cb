// 办件编号 `DDDDDD-YYYYMMDD-SSSSSSC` (region, date, six-digit sequence, Damm check digit), checked
// as the server does (crates/domain/src/identity/case_number.rs) so a mistyped number is caught
// before it is sent. Hyphens and spaces are ignored, as on the server.

const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const

/** Damm interim digit of a string of digits; a number followed by its check digit gives 0. */
export function damm(digits: string): number {
  let state = 0
  for (const c of digits) state = DAMM[state]![c.charCodeAt(0) - 48]!
  return state
}

export type CaseNumberError =
  | { code: 'required' }
  | { code: 'character' }
  | { code: 'length'; found: number }
  | { code: 'date'; date: string }
  | { code: 'sequence' }
  | { code: 'check' }

export type CaseNumberResult = { ok: true; number: string } | { ok: false; error: CaseNumberError }

/** Checks a typed case number; on success gives its canonical form. */
export function parseCaseNumber(input: string): CaseNumberResult {
  const s = input.trim()
  if (!s) return { ok: false, error: { code: 'required' } }
  if (!/^[0-9\- ]+$/.test(s)) return { ok: false, error: { code: 'character' } }
  const digits = s.replace(/[- ]/g, '')
  if (digits.length !== 21) return { ok: false, error: { code: 'length', found: digits.length } }
  const date = digits.slice(6, 14)
  if (!validDate(date)) {
    return { ok: false, error: { code: 'date', date: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}` } }
  }
  if (Number(digits.slice(14, 20)) === 0) return { ok: false, error: { code: 'sequence' } }
  if (damm(digits) !== 0) return { ok: false, error: { code: 'check' } }
  return { ok: true, number: `${digits.slice(0, 6)}-${date}-${digits.slice(14)}` }
}

function validDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4))
  const m = Number(yyyymmdd.slice(4, 6))
  const d = Number(yyyymmdd.slice(6, 8))
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return d <= last
}

/** The i18n key (under `cases.validation`) and parameters for an error. */
export function caseNumberMessage(e: CaseNumberError): { key: string; params?: Record<string, string> } {
  switch (e.code) {
    case 'required':
      return { key: 'cases.validation.numberRequired' }
    case 'character':
      return { key: 'cases.validation.numberCharacter' }
    case 'length':
      return { key: 'cases.validation.numberLength' }
    case 'date':
      return { key: 'cases.validation.numberDate', params: { date: e.date } }
    case 'sequence':
      return { key: 'cases.validation.numberSequence' }
    case 'check':
      return { key: 'cases.validation.numberCheck' }
  }
}

export function isPhoneLast4(s: string): boolean {
  return /^[0-9]{4}$/.test(s.trim())
}
