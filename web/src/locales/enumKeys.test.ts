// Every value of an enum the server sends has a message wherever a page builds its key at run
// time (`cases.statuses.${status}`), in both languages, so no raw key reaches the screen.
import { describe, expect, it } from 'vitest'
import * as schema from '../api/schema'
import { zhCN } from './zh-CN'
import { en } from './en'
import { messageAt } from './lookup'

/** The values of a tagged union's tag: the generator writes one list per variant (`eventOneOf3KindValues`). */
function tags(union: string, tag: string): string[] {
  const pattern = new RegExp(`^${union}OneOf\\d+${tag}Values$`)
  return Object.entries(schema)
    .filter(([name]) => pattern.test(name))
    .flatMap(([, values]) => values as readonly string[])
}
const EVENT_KINDS = tags('event', 'Kind')
const ACTIONS = tags('command', 'Action')

/** Message key patterns (`*` is the value) and the enum whose values fill them. */
const NAMED: [string, readonly string[]][] = [
  ['cases.statuses.*', schema.caseStatusValues],
  ['cases.events.*', EVENT_KINDS],
  ['caseView.actions.*', ACTIONS],
  ['lights.*', schema.lightValues],
  ['caseView.channels.*', schema.channelValues],
  ['caseView.decision.*', schema.decisionValues],
  ['step.confirmDecision.*', schema.decisionValues],
  ['step.recommend.*', schema.recommendationValues],
  ['caseView.problem.*', schema.materialProblemValues],
  ['materials.requested.*', schema.materialProblemValues],
  ['caseView.procedures.*', schema.specialProcedureValues],
  ['caseView.stepKinds.*', schema.stepKindValues],
  ['caseView.notices.*', schema.pathsApiV1CasesNumberNoticesKindGetParametersPathKindValues],
  ['organisation.roles.*', schema.roleValues],
  ['organisation.roles.*', schema.stepRoleValues],
  ['registration.*', schema.applicantKindValues],
  ['auth.applicantKind.*', schema.applicantKindValues],
  ['themes.*.name', schema.themeValues],
  ['themes.*.desc', schema.themeValues],
  ['home.holidayKind.*', schema.dayKindValues],
  ['calendarAdmin.kinds.*', schema.dayKindValues],
  ['orgAdmin.window.kinds.*', schema.windowKindValues],
  ['orgAdmin.window.kindHint.*', schema.windowKindValues],
  ['guide.scopes.*', schema.handlingScopeValues],
  ['guide.depth.*', schema.onlineDepthValues],
  ['guide.promise.*', schema.promiseValues],
  ['guide.materialForm.*', schema.materialFormValues],
  ['itemAdmin.applicantKind.*', schema.itemApplicantKindValues],
  ['itemAdmin.itemType.*', schema.itemTypeValues],
  ['itemAdmin.serviceLevel.*', schema.serviceLevelValues],
  ['itemAdmin.resultKind.*', schema.resultKindValues],
  ['itemAdmin.shape.*', schema.workflowShapeValues],
  ['workbench.*.title', schema.pathsApiV1CasesCountsGetParametersQueryDeskValues],
  ['workbench.*.intro', schema.pathsApiV1CasesCountsGetParametersQueryDeskValues],
]

describe('enum messages', () => {
  it('cover the kinds of events and the actions', () => {
    expect(EVENT_KINDS).toContain('submitted')
    expect(ACTIONS).toContain('return')
  })
  it('exist for every value in both languages', () => {
    const missing: string[] = []
    for (const [pattern, values] of NAMED) {
      for (const v of values) {
        const key = pattern.replace('*', v)
        for (const [lang, tree] of [['zh-CN', zhCN], ['en', en]] as const) {
          if (typeof messageAt(tree, key) !== 'string') missing.push(`${lang}: ${key}`)
        }
      }
    }
    expect(missing).toEqual([])
  })
})
