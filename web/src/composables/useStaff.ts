import { computed } from 'vue'
import { loadMe } from '../session'
import { loadOrganisation } from './useOrganisation'
import { useRequest } from './useRequest'

/** The logged-in staff member with their window and department from the organisation. */
export function useStaff() {
  const req = useRequest(async () => {
    const [me, org] = await Promise.all([loadMe(), loadOrganisation()])
    return { me, org }
  })
  const staff = computed(() => (req.data.value?.me?.kind === 'staff' ? req.data.value.me.staff : undefined))
  const window = computed(() => req.data.value?.org.windows.find((w) => w.code === staff.value?.window))
  const department = computed(() => req.data.value?.org.departments.find((d) => d.code === staff.value?.department))
  const has = (role: string) => !!staff.value?.roles.some((r) => r === role)
  /** Back-office staff who work steps: the approval inbox. */
  const backOffice = computed(() => has('approver') || has('chief_representative'))
  const overseer = computed(() => has('supervisor') || has('leader') || has('centre_admin'))
  const clerk = computed(() => has('clerk') && !!staff.value?.window)
  const issuer = computed(() => clerk.value && !!window.value?.issues_results)
  /** The centre admin: organisation and calendar. */
  const admin = computed(() => has('centre_admin'))
  /** Who may read the audit log: the centre admin and the supervisors. */
  const auditor = computed(() => has('centre_admin') || has('supervisor'))
  return { req, staff, window, department, backOffice, overseer, clerk, issuer, admin, auditor }
}
