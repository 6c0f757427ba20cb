// How a case status and a light look: Element Plus tag types and the dot colours.
import type { CaseStatus, Light } from '../api/cases'

export type TagType = 'success' | 'info' | 'danger' | 'warning' | 'primary'

const TAGS: Record<CaseStatus, TagType> = {
  approved: 'success',
  issued: 'success',
  closed: 'info',
  denied: 'danger',
  refused: 'danger',
  withdrawn: 'info',
  awaiting_supplement: 'warning',
  suspended: 'warning',
  in_progress: 'primary',
  submitted: 'primary',
  draft: 'info',
}

export function statusTagType(s: CaseStatus): TagType {
  return TAGS[s] ?? 'info'
}

export const LIGHT_COLOURS: Record<Light, string> = {
  green: '#2e9e5b',
  yellow: '#e0a100',
  red: '#d93026',
}
