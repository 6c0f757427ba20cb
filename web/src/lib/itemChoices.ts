// The choices of the item editor's selects: the domain's words for each enumeration of an item
// definition, in the order the editor lists them (their labels are in the locales).
import type { components } from '../api/schema'

type S = components['schemas']

export const ITEM_TYPES: readonly S['ItemType'][] = [
  'administrative_licence',
  'administrative_confirmation',
  'administrative_payment',
  'administrative_levy',
  'administrative_award',
  'administrative_adjudication',
  'other_administrative_power',
  'public_service',
]
export const APPLICANT_KINDS: readonly S['ItemApplicantKind'][] = ['person', 'enterprise', 'both']
export const SERVICE_LEVELS: readonly S['ServiceLevel'][] = ['district', 'street', 'community']
export const SCOPES: readonly S['HandlingScope'][] = ['centre_only', 'district_wide', 'city_wide']
export const ONLINE_DEPTHS: readonly S['OnlineDepth'][] = ['guide_only', 'forms_online', 'apply_online', 'fully_online']
export const MATERIAL_FORMS: readonly S['MaterialForm'][] = ['original', 'copy', 'original_and_copy', 'electronic']
export const SHAPES: readonly S['WorkflowShape'][] = ['immediate', 'two_step', 'four_step']
export const STEP_KINDS: readonly S['StepKind'][] = ['review', 'verify', 'decide']
export const STEP_ROLES: readonly S['StepRole'][] = ['approver', 'chief_representative']
export const PROMISES: readonly S['Promise'][] = ['immediate', 'promised']
export const RESULT_KINDS: readonly S['ResultKind'][] = ['certificate', 'approval_document', 'other']
