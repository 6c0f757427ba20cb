import { computed, watch, type Ref } from 'vue'
import { getCase } from '../api/cases'
import { getItem } from '../api/catalogue'
import { useRequest } from './useRequest'
import { loadOrganisation } from './useOrganisation'
import { useLocaleText } from './useLocaleText'
import { labelByName } from '../lib/stepNames'

/**
 * One case with what its pages need to name things: the item's definition (material names,
 * steps) and the organisation (department and window names), and the reader's name for a step
 * the log names. Reloads when the number changes.
 */
export function useCaseDetail(number: Ref<string>) {
  const req = useRequest(
    async (n: string) => {
      const detail = await getCase(n)
      const [item, org] = await Promise.all([getItem(detail.case.item), loadOrganisation()])
      return { detail, item: item.definition, org }
    },
    { immediate: false },
  )
  watch(number, (n) => void req.run(n), { immediate: true })

  const detail = computed(() => req.data.value?.detail)
  /** 404: the case does not exist or the reader may not see it (the server does not say which). */
  const notFound = computed(() => req.error.value?.status === 404)
  const materialName = (code: string) => req.data.value?.item.materials.find((m) => m.code === code)?.name ?? code
  const departmentName = (code: string | null | undefined) =>
    (code && req.data.value?.org.departments.find((d) => d.code === code)?.name) || code || ''
  const windowName = (code: string | null | undefined) => {
    const w = code ? req.data.value?.org.windows.find((x) => x.code === code) : undefined
    return w ? `${w.code} ${w.name}` : code ?? ''
  }
  const { step } = useLocaleText()
  const stepName = (name: string) => labelByName(detail.value?.case.steps ?? [], name, step)
  return { req, detail, notFound, materialName, departmentName, windowName, stepName, reload: () => req.run(number.value) }
}
