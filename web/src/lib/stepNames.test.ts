import { describe, expect, it } from 'vitest'
import { labelByName, stepLabel, type KindedStep } from './stepNames'

const kindName = (k: string) => ({ review: 'Review', verify: 'Verification', decide: 'Decision' })[k] ?? k
const steps: KindedStep[] = [
  { name: '审查', kind: 'review' },
  { name: '审批', kind: 'decide' },
]

describe('stepLabel', () => {
  it('is the name in Chinese and the kind in English', () => {
    expect(stepLabel(steps[1]!, 'zh-CN', kindName)).toBe('审批')
    expect(stepLabel(steps[1]!, 'en', kindName)).toBe('Decision')
  })
})

describe('labelByName', () => {
  const en = (s: KindedStep) => stepLabel(s, 'en', kindName)
  it("labels a name through the case's step of that name", () => {
    expect(labelByName(steps, '审查', en)).toBe('Review')
  })
  it('keeps a name no step has', () => {
    expect(labelByName(steps, '踏勘', en)).toBe('踏勘')
  })
})
