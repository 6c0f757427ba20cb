// Which forms a staff member is offered on a case. The server decides (a refused action answers a
// problem the page shows); this only keeps forms away from people who plainly cannot use them.
import type { CaseDetail } from '../api/cases'
import type { Staff } from '../api/auth'

export type StaffForm =
  | 'acceptance'
  | 'complete_step'
  | 'decide'
  | 'start_special_procedure'
  | 'end_special_procedure'
  | 'issue'
  | 'close'

export interface StaffWindow {
  code: string
  issues_results: boolean
}

type CaseLike = Pick<CaseDetail['case'], 'status' | 'current_step' | 'steps'>

/** Whether the staff member may perform the case's current step (department and role). */
export function performsCurrentStep(staff: Pick<Staff, 'roles' | 'department'>, c: CaseLike): boolean {
  const step = c.current_step == null ? undefined : c.steps[c.current_step]
  if (!step || !staff.department || staff.department !== step.department) return false
  return step.role === 'approver'
    ? staff.roles.includes('approver') || staff.roles.includes('chief_representative')
    : staff.roles.includes('chief_representative')
}

export function staffForms(staff: Pick<Staff, 'roles' | 'department'>, window: StaffWindow | undefined, c: CaseLike): StaffForm[] {
  const clerk = staff.roles.includes('clerk') && !!window
  const step = c.current_step == null ? undefined : c.steps[c.current_step]
  switch (c.status) {
    case 'submitted':
      return clerk ? ['acceptance'] : []
    case 'in_progress':
      if (!performsCurrentStep(staff, c)) return []
      return [step?.kind === 'decide' ? 'decide' : 'complete_step', 'start_special_procedure']
    case 'suspended':
      return performsCurrentStep(staff, c) ? ['end_special_procedure'] : []
    case 'approved':
    case 'denied':
      return clerk && window.issues_results ? ['issue'] : []
    case 'issued':
      return clerk ? ['close'] : []
    default:
      return []
  }
}
