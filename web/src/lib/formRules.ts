// Element Plus form rules from plain predicates, so pages state what a field must satisfy.
import type { FormItemRule } from 'element-plus'

/** A rule checked on blur (and on submit): passes when `ok(value)`, else shows `message`. */
export function check(ok: (value: string) => boolean, message: string): FormItemRule {
  return {
    trigger: 'blur',
    validator: (_rule, value: unknown, done) => done(ok(typeof value === 'string' ? value : '') ? undefined : new Error(message)),
  }
}
