// The rules of the registration form that are not about identifiers (those are in identity.ts).

export const CODE = /^\d{6}$/
export const PASSWORD_MIN = 8
/** Seconds before another code may be asked for. */
export const RESEND_AFTER_S = 60

/** Whole seconds until a new code may be asked for, given when the last one was sent. */
export function resendIn(sentAtMs: number | null, nowMs: number): number {
  if (sentAtMs === null) return 0
  return Math.max(0, Math.ceil((sentAtMs + RESEND_AFTER_S * 1000 - nowMs) / 1000))
}
