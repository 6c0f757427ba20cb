// Assignment (指派) in the approval inbox: the chief representative selects several cases, gives
// them to an approver in one go and sees per case that it worked; the approver's inbox opens on
// "mine" with them, at their step, the step is theirs, and the timeline names who assigned it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newPage, screenshot, specSession } from '../lib/browser.mjs'
import { APPLICANTS, acceptedCase, act, applicantPage, filterItem, findRow, openStaffCase, staffPage } from '../lib/cases.mjs'

const ITEM_NAME = '经营性人力资源服务机构从事职业中介活动许可'
const spec = specSession()

/** Ticks the selection box of the row of `number` in the inbox table. */
async function select(page, number) {
  await findRow(page, number)
  await page.locator('[data-testid=case-table] .el-table__row', { hasText: number }).locator('.el-checkbox').first().click()
}

test('the chief representative assigns several cases; the approver finds them under "mine"', async () => {
  const applicant = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[4])
  const clerk = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  const numbers = []
  for (let i = 0; i < 3; i++) numbers.push(await acceptedCase(applicant, clerk))
  // A fourth case already at its decision, which is the chief representative's role: an approver
  // cannot be given it, so the bulk answer refuses that one case and assigns the rest.
  // Two colleagues review and verify it: separation of duties wants two people.
  const reviewer = await staffPage(spec.browser, spec.baseUrl, 'approver.rsj.2')
  const verifier = await staffPage(spec.browser, spec.baseUrl, 'approver.rsj.3')
  const atDecision = await acceptedCase(applicant, clerk)
  await act(reviewer, atDecision, { action: 'complete_step', comment: '材料齐全' })
  await act(verifier, atDecision, { action: 'complete_step', comment: '复核无误' })

  const chief = await staffPage(spec.browser, spec.baseUrl, 'chief.rsj')
  await chief.goto('/workbench/inbox?status=in_progress&assignment=unassigned')
  await chief.getByTestId('assign-control').waitFor()
  await filterItem(chief, ITEM_NAME)
  for (const n of [...numbers, atDecision]) await select(chief, n)
  await chief.getByTestId('assignee-select').locator('.el-select__wrapper').click()
  await chief.getByTestId('assignee-approver.rsj.1').click()
  assert.match(await chief.getByTestId('assign-submit').innerText(), /4/)
  await screenshot(chief, 'workbench-assign')
  await chief.getByTestId('assign-submit').click()
  const results = chief.getByTestId('assign-results')
  await results.getByText('已将 3 件办件指派给 张炜琳').waitFor()
  const refused = results.locator('[data-testid^=assign-refused-]')
  assert.equal(await refused.count(), 1)
  assert.equal(await refused.first().getAttribute('data-testid'), `assign-refused-${atDecision}`)
  assert.match(await refused.first().innerText(), /张炜琳 不能办理该环节/)
  // The refused case stays unassigned, still listed under "unassigned".
  await findRow(chief, atDecision)
  await screenshot(chief, 'workbench-assign-results')
  // Under "unassigned" they are gone; under "all" each row names its assignee.
  await chief.locator('.el-loading-mask').first().waitFor({ state: 'detached' }).catch(() => {})
  assert.equal(await chief.getByTestId(`open-${numbers[0]}`).count(), 0)
  await chief.getByTestId('assignment-all').click()
  for (const n of numbers) {
    await findRow(chief, n)
    assert.equal(await chief.getByTestId(`assignee-of-${n}`).innerText(), '张炜琳')
  }

  // The chief representative's own page of a case: only reassignment is left to them.
  await openStaffCase(chief, numbers[2])
  await chief.getByTestId('case-action').getByTestId('assign-control').waitFor()
  assert.equal(await chief.getByTestId('form-complete-step').count(), 0)

  const approver = await staffPage(spec.browser, spec.baseUrl, 'approver.rsj.1')
  // An approver's inbox opens on the cases waiting on them; each row says which step it is at.
  await approver.goto('/workbench/inbox')
  assert.equal(await approver.getByTestId('assignment-mine').locator('input').isChecked(), true)
  for (const n of numbers) {
    await findRow(approver, n)
    assert.equal(await approver.getByTestId(`step-of-${n}`).innerText(), '审查')
  }
  assert.equal(await approver.getByTestId('assign-control').count(), 0, 'approvers do not assign')
  await screenshot(approver, 'workbench-inbox-mine')

  await openStaffCase(approver, numbers[0])
  const assigned = approver.getByTestId('case-timeline').locator('[data-kind=assigned]')
  await assigned.waitFor()
  assert.match(await assigned.innerText(), /马燕玲/)
  assert.match(await assigned.innerText(), /张炜琳/)
  await approver.getByTestId('step-comment').fill('材料齐全，符合条件')
  await approver.getByTestId('complete-step').click()
  await approver.getByTestId('case-timeline').getByText('材料齐全，符合条件').waitFor()
  // The steps with their assignee and the timeline naming who did what, in one view.
  await approver.getByTestId('case-steps').evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await approver.evaluate(() => window.scrollBy(0, -70))
  await screenshot(approver, 'case-detail-assigned')

  // Another approver of the department is offered nothing on a step assigned to a reviewer.
  await openStaffCase(reviewer, numbers[1])
  await reviewer.getByTestId('case-timeline').waitFor()
  assert.equal(await reviewer.getByTestId('case-action').count(), 0)

  // The public progress query says which unit acted, never who, and nothing of the assignment.
  const visitor = await newPage(spec.browser, spec.baseUrl)
  await visitor.goto('/progress')
  await visitor.getByTestId('progress-number').fill(numbers[0])
  await visitor.getByTestId('progress-phone').fill(APPLICANTS[4].slice(-4))
  await visitor.getByTestId('progress-submit').click()
  const timeline = visitor.getByTestId('progress-timeline')
  await timeline.getByText('金平区人力资源和社会保障局').waitFor()
  await timeline.getByText('社会民生类综合受理窗口（一）').waitFor()
  const said = await timeline.innerText()
  for (const name of ['张炜琳', '马燕玲', '蔡桂娥', '指派']) assert.ok(!said.includes(name), name)
  await screenshot(visitor, 'progress-units')

  for (const p of [applicant, clerk, chief, approver, reviewer, verifier, visitor]) {
    assert.deepEqual(p.errors, [])
    await p.context().close()
  }
})
