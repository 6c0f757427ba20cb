// Step names are written by the item's editors in Chinese only (审查, 审核, 审批), so another
// language names a step by its kind (review, verify, decide), which every step has.
import type { components } from '../api/schema'

type StepKind = components['schemas']['StepKind']

export interface KindedStep {
  name: string
  kind: StepKind
}

/** What the reader calls a step: its own name in Chinese, else its kind's name. */
export function stepLabel(step: KindedStep, locale: string, kindName: (kind: StepKind) => string): string {
  return locale === 'zh-CN' ? step.name : kindName(step.kind)
}

/**
 * A step the log or the server names only by name (`step_name`, `from_step`, the step one
 * performed earlier), labelled as the case's step of that name; a name no step has, as it is.
 */
export function labelByName(steps: readonly KindedStep[], name: string, label: (step: KindedStep) => string): string {
  const step = steps.find((s) => s.name === name)
  return step ? label(step) : name
}
