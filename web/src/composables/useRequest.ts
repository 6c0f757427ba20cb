import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { toProblem, type ApiProblem } from '../lib/problem'

export interface Request<T, A extends unknown[]> {
  data: ShallowRef<T | undefined>
  loading: Ref<boolean>
  error: ShallowRef<ApiProblem | null>
  /** Runs (again); an answer to an older run that arrives late is dropped. */
  run: (...args: A) => Promise<T | undefined>
}

/** Loading, error and data of one API call, for a page to show (v-loading, ProblemAlert, content). */
export function useRequest<T, A extends unknown[] = []>(
  fn: (...args: A) => Promise<T>,
  options: { immediate?: boolean } = {},
): Request<T, A> {
  const data = shallowRef<T>()
  const loading = ref(false)
  const error = shallowRef<ApiProblem | null>(null)
  let seq = 0
  async function run(...args: A): Promise<T | undefined> {
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const d = await fn(...args)
      if (mine === seq) data.value = d
      return d
    } catch (e) {
      if (mine === seq) error.value = toProblem(e)
      return undefined
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  if (options.immediate !== false) void run(...([] as unknown as A))
  return { data, loading, error, run }
}
