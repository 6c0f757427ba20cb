// The choices of the item editor's selects: the domain's words for each enumeration of an item
// definition, generated from the schema in the server's order (their labels are in the locales).
import {
  handlingScopeValues,
  itemApplicantKindValues,
  itemTypeValues,
  materialFormValues,
  onlineDepthValues,
  promiseValues,
  resultKindValues,
  serviceLevelValues,
  stepKindValues,
  stepRoleValues,
  workflowShapeValues,
} from '../api/schema'

export const ITEM_TYPES = itemTypeValues
export const APPLICANT_KINDS = itemApplicantKindValues
export const SERVICE_LEVELS = serviceLevelValues
export const SCOPES = handlingScopeValues
export const ONLINE_DEPTHS = onlineDepthValues
export const MATERIAL_FORMS = materialFormValues
export const SHAPES = workflowShapeValues
export const STEP_KINDS = stepKindValues
export const STEP_ROLES = stepRoleValues
export const PROMISES = promiseValues
export const RESULT_KINDS = resultKindValues
