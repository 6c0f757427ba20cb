// Which field of the progress form a problem belongs to. The server names the field for an
// invalid number (422, field `number`); a number and phone that do not match answer 404
// not_found (so numbers cannot be probed), shown at the phone field, the usual culprit.
import type { ApiProblem, Bilingual } from './problem'

export function progressFieldErrors(p: ApiProblem): { number?: Bilingual; phone?: Bilingual } {
  const out: { number?: Bilingual; phone?: Bilingual } = {}
  const n = p.fieldError('number')
  const ph = p.fieldError('phone_last4')
  if (n) out.number = n
  if (ph) out.phone = ph
  if (!n && !ph && p.status === 404) out.phone = p
  return out
}
