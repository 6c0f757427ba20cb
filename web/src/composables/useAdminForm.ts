import { computed, reactive, ref, type UnwrapRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRequest } from './useRequest'
import { serverFieldErrors, type FormProblems } from '../lib/organisationAdmin'

/**
 * One admin form in a dialog: checked before sending (the page's rules, shown once the user has
 * tried to send), sent with loading and error states, and the server's field errors shown next to
 * their fields. The form keeps what was typed when sending fails.
 */
export function useAdminForm<F extends object, R>(options: {
  blank: () => F
  /** i18n keys of client-side problems, by field. */
  problems: (form: UnwrapRef<F>) => FormProblems
  /** Where the keys of `problems` live, e.g. `orgAdmin.rules`. */
  rules: string
  send: (form: UnwrapRef<F>) => Promise<R>
  /** The server's field names, mapped to the form's (default: the same). */
  fieldOf?: (serverField: string) => string
  /** Values the rule messages interpolate. */
  ruleParams?: () => Record<string, unknown>
}) {
  const { t, locale } = useI18n()
  const form = reactive(options.blank())
  const open = ref(false)
  const tried = ref(false)
  const request = useRequest(() => options.send(form as UnwrapRef<F>), { immediate: false })
  const client = computed(() => (tried.value ? options.problems(form as UnwrapRef<F>) : {}))
  const server = computed(() => {
    const byField: Record<string, string> = {}
    for (const [f, m] of Object.entries(serverFieldErrors(request.error.value, locale.value))) byField[options.fieldOf?.(f) ?? f] ??= m
    return byField
  })
  /** The message to show under `field`: the page's own check first, then the server's. */
  const errorOf = (field: string) => {
    const key = client.value[field]
    return key ? t(`${options.rules}.${key}`, options.ruleParams?.() ?? {}) : (server.value[field] ?? '')
  }
  /** A problem that names no field of the form, for the top of the dialog. */
  const generalError = computed(() => {
    const e = request.error.value
    if (!e) return null
    return e.errors.some((x) => (options.fieldOf?.(x.field) ?? x.field) in form) ? null : e
  })

  /** Opens the dialog on `value` (a blank form when none). */
  function show(value?: F) {
    Object.assign(form, value ?? options.blank())
    tried.value = false
    request.error.value = null
    open.value = true
  }

  /** Checks, sends, and closes on success; the result, or undefined when not sent or refused. */
  async function submit(): Promise<R | undefined> {
    tried.value = true
    request.error.value = null
    if (Object.keys(options.problems(form as UnwrapRef<F>)).length > 0) return undefined
    const result = await request.run()
    if (result !== undefined) open.value = false
    return result
  }

  return { form, open, show, submit, errorOf, generalError, loading: request.loading }
}
