// A form whose submission is one request: the page's own rules first, then the server's answer,
// under a field when it names one (the answer to a code request about the phone too), else
// above the form.
import { computed, type Ref } from 'vue'
import type { FormInstance } from 'element-plus'
import type { Request } from './useRequest'
import { useLocaleText } from './useLocaleText'

export function useFormSubmit(form: Ref<FormInstance | undefined>, send: Request<unknown, []>, also?: Request<unknown, []>) {
  const { message } = useLocaleText()
  async function submit() {
    send.error.value = null
    if (!(await form.value?.validate().catch(() => false))) return
    await send.run()
  }
  function fieldError(field: string): string {
    const f = send.error.value?.fieldError(field) ?? also?.error.value?.fieldError(field)
    return f ? message(f) : ''
  }
  const generalError = computed(() => {
    const e = send.error.value ?? also?.error.value ?? null
    return e && e.errors.length === 0 ? e : null
  })
  return { submit, fieldError, generalError }
}
