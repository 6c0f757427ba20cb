// Cases from both sides: an online application through acceptance, review, decision and issue;
// the one-time supplement notice; a refusal; and a stranger opening someone else's case.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { screenshot, specSession } from '../lib/browser.mjs'
import { readTextMessages } from '../lib/server.mjs'
import { APPLICANTS, ITEM_MATERIALS, applicantPage, applyOnline, checkReceived, filterItem, findRow, openMyCase, openStaffCase, staffPage, waitStatus } from '../lib/cases.mjs'

const ITEM_NAME = '经营性人力资源服务机构从事职业中介活动许可'
const spec = specSession()

/** Waits for the text message about case `number` to `phone` that matches `pattern`. */
async function textMessage(phone, number, pattern) {
  const to = `${phone.slice(0, 3)}****${phone.slice(7)}`
  for (let i = 0; i < 50; i++) {
    const mine = readTextMessages(spec.smsOutbox).filter((m) => m.to === to && m.text.includes(number))
    if (mine.some((m) => pattern.test(m.text))) return
    await new Promise((r) => setTimeout(r, 100))
  }
  assert.fail(`no text message to ${to} about ${number} matching ${pattern}`)
}
let walked // the case of the first walk, for the stranger test

test('apply online, accept, review, decide, issue: the applicant sees the result and every comment', async () => {
  const applicant = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[0])
  const number = await applyOnline(applicant, { draftShot: (p) => screenshot(p, 'apply-draft') })
  walked = number

  // The acceptance desk lists the hall's applications; the checklist accepts it.
  const clerk = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  await clerk.goto('/workbench/acceptance')
  await filterItem(clerk, ITEM_NAME)
  await (await findRow(clerk, number)).click()
  await clerk.getByTestId('acceptance-checklist').waitFor()
  await clerk.getByTestId('state-M03-waived').waitFor()
  // Each uploaded material opens as received; one the clerk finds missing blocks 受理.
  for (const code of ITEM_MATERIALS) {
    assert.equal(await clerk.getByTestId(`state-${code}-received`).locator('input').isChecked(), true, code)
  }
  await clerk.getByTestId('state-M02-missing').click()
  assert.equal(await clerk.getByTestId('accept').isDisabled(), true)
  await clerk.getByTestId('state-M02-received').click()
  await screenshot(clerk, 'acceptance-checklist')
  await clerk.getByTestId('accept').click()
  await waitStatus(clerk, 'in_progress')
  // The applicant is told by text message, with the date promised.
  await textMessage(APPLICANTS[0], number, /已受理，承诺于\d{4}年\d{1,2}月\d{1,2}日前办结/)

  // The approver's inbox, then the two review steps (the first by Ctrl+Enter from the keyboard).
  // Nobody has assigned the new case yet, so it is under all of the department's, not "mine".
  const approver = await staffPage(spec.browser, spec.baseUrl, 'approver.rsj.1')
  await approver.goto('/workbench/inbox?status=in_progress&assignment=all')
  await approver.getByTestId('case-table').locator('.el-table__row').first().waitFor()
  await screenshot(approver, 'workbench-inbox')
  await filterItem(approver, ITEM_NAME)
  await findRow(approver, number)
  await openStaffCase(approver, number)
  const comment = approver.getByTestId('step-comment')
  await comment.waitFor()
  assert.equal(await comment.evaluate((el) => el === document.activeElement), true, 'focus starts in the comment')
  // A reviewer recommends granting unless they choose to recommend denial.
  assert.equal(await approver.getByTestId('recommend-approve').locator('input').isChecked(), true)
  await approver.keyboard.type('材料齐全，符合条件')
  await approver.keyboard.press('Control+Enter')
  await approver.getByTestId('case-timeline').getByText('材料齐全，符合条件').waitFor()
  // Separation of duties: the reviewer may not also verify; the page says why it offers nothing.
  await approver.getByTestId('duties-separated').getByText('按职责分离要求').waitFor()
  assert.equal(await approver.getByTestId('step-comment').count(), 0)
  await screenshot(approver, 'case-detail-staff')
  const verifier = await staffPage(spec.browser, spec.baseUrl, 'approver.rsj.2')
  await openStaffCase(verifier, number)
  await verifier.getByTestId('step-comment').fill('复核无误，同意')
  await verifier.getByTestId('complete-step').click()
  await verifier.getByTestId('case-timeline').getByText('复核无误，同意').waitFor()
  // The decision belongs to the chief representative: no form for the approver.
  assert.equal(await verifier.getByTestId('form-decide').count(), 0)

  const chief = await staffPage(spec.browser, spec.baseUrl, 'chief.rsj')
  await openStaffCase(chief, number)
  // Neither outcome is chosen for the decider, and an opinion is needed either way.
  assert.equal(await chief.getByTestId('decision-approved').locator('input').isChecked(), false)
  assert.equal(await chief.getByTestId('decision-denied').locator('input').isChecked(), false)
  await chief.getByTestId('decide').click()
  await chief.getByTestId('form-decide').getByText('请选择准予或不予许可').waitFor()
  await chief.getByTestId('decision-approved').click()
  await chief.getByTestId('decide').click()
  await chief.getByTestId('form-decide').getByText('请填写此项').waitFor()
  // The decider confirms against what the decision document will say.
  await chief.getByTestId('decision-comment').fill('符合法定条件，准予许可')
  await chief.getByTestId('decide').click()
  const confirm = chief.locator('.decision-confirm')
  await confirm.getByText('准予行政许可').waitFor()
  await screenshot(chief, 'decision-confirm')
  await confirm.getByRole('button', { name: '作出决定' }).click()
  await waitStatus(chief, 'approved')
  await textMessage(APPLICANTS[0], number, /已作出决定（准予许可），请携带身份证件到统一出件窗口领取/)

  // The exit window issues it from the issue desk; it then shows under 已出件.
  const exit = await staffPage(spec.browser, spec.baseUrl, 'clerk.e02')
  await exit.goto('/workbench/issue')
  await filterItem(exit, ITEM_NAME)
  await findRow(exit, number)
  await screenshot(exit, 'issue-desk')
  await exit.getByTestId(`issue-${number}`).click()
  // Nobody named, nothing handed out: the form says what it needs.
  await exit.getByTestId('issue-submit').click()
  await exit.getByText('请填写领取人姓名').waitFor()
  // The enterprise's agent collects it: their ID number is not the applicant's, so without an
  // entrustment the server refuses; with one, the clerk confirms what will be recorded.
  await exit.getByTestId('issue-collector-name').fill('陈伟明')
  await exit.getByTestId('issue-collector-id').fill('11010519491231002X')
  await exit.getByTestId('issue-submit').click()
  await exit.locator('.issue-confirm').getByRole('button', { name: '出件' }).click()
  await exit.getByText('代领须出具申请人的书面委托书').waitFor()
  await exit.getByTestId('issue-by-agent').click()
  await exit.getByTestId('issue-entrustment').fill('授权委托书（2026-015）')
  await exit.getByTestId('issue-submit').click()
  const handOut = exit.locator('.issue-confirm')
  await handOut.getByText('陈伟明（身份证 1101**********002X），凭委托书代领').waitFor()
  await screenshot(exit, 'issue-confirm')
  await handOut.getByRole('button', { name: '出件' }).click()
  await exit.getByText(`办件 ${number} 已出件`).waitFor()
  await exit.getByTestId('tab-issued').click()
  await findRow(exit, number)

  // The applicant sees the result and every public comment.
  await openMyCase(applicant, number)
  await waitStatus(applicant, 'issued')
  const next = await applicant.getByTestId('next-line').innerText()
  assert.match(next, /E02/)
  const timeline = applicant.getByTestId('case-timeline')
  for (const text of ['材料齐全，符合条件', '复核无误，同意', '准予许可']) await timeline.getByText(text).first().waitFor()
  // The decision carries the department's document number (文号).
  await timeline.getByText(/金人社许〔\d{4}〕\d+号/).waitFor()
  // Who collected it, the ID number masked, and on what entrustment.
  await timeline.getByText('陈伟明（身份证 1101**********002X）').waitFor()
  await timeline.getByText('授权委托书（2026-015）').waitFor()
  // The receipt and the acceptance notice print as PDFs in the applicant's session.
  for (const kind of ['receipt', 'acceptance']) {
    const notice = applicant.getByTestId(`notice-${kind}`)
    const pdf = await applicant.request.get(await notice.getAttribute('href'))
    assert.equal(pdf.status(), 200)
    assert.equal(pdf.headers()['content-type'], 'application/pdf')
  }
  await screenshot(applicant, 'my-case')
  await applicant.goto('/my')
  await applicant.getByTestId(`open-${number}`).waitFor()
  await screenshot(applicant, 'my-cases')

  for (const p of [applicant, clerk, approver, chief, exit]) {
    assert.deepEqual(p.errors, [])
    await p.context().close()
  }
})

test('supplement: the notice names a missing material, the applicant answers, the clerk accepts', async () => {
  const applicant = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[1])
  const number = await applyOnline(applicant)

  const clerk = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  await openStaffCase(clerk, number)
  await clerk.getByTestId('state-M02-faulty').click()
  await clerk.getByTestId('note-M02').fill('请提交营业执照副本复印件')
  await clerk.getByTestId('notice-preview').getByText('营业执照').waitFor()
  await screenshot(clerk, 'acceptance-desk')
  await clerk.getByTestId('send-notice').click()
  await waitStatus(clerk, 'awaiting_supplement')
  await textMessage(APPLICANTS[1], number, /需要补正材料：营业执照/)

  await openMyCase(applicant, number)
  await waitStatus(applicant, 'awaiting_supplement')
  const items = applicant.getByTestId('supplement-items').locator('li')
  assert.equal(await items.count(), 1)
  assert.equal(await items.first().getAttribute('data-material'), 'M02')
  assert.match(await items.first().innerText(), /营业执照/)
  assert.match(await items.first().innerText(), /请提交营业执照副本复印件/)
  await screenshot(applicant, 'my-case-supplement')
  await applicant.getByTestId('supplement-note').fill('已到窗口补交营业执照副本复印件')
  await applicant.getByTestId('provide-supplement').click()
  await waitStatus(applicant, 'submitted')

  await clerk.reload()
  await waitStatus(clerk, 'submitted')
  await checkReceived(clerk, ITEM_MATERIALS)
  await clerk.getByTestId('accept').click()
  await waitStatus(clerk, 'in_progress')
  for (const p of [applicant, clerk]) {
    assert.deepEqual(p.errors, [])
    await p.context().close()
  }
})

test('refusal: reason, legal basis and redirect are required and reach the applicant', async () => {
  const applicant = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[2])
  const number = await applyOnline(applicant)

  const clerk = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  await openStaffCase(clerk, number)
  await clerk.getByTestId('refuse-reason').fill('申请事项不属于本机关职权范围')
  await clerk.getByTestId('refuse').click()
  await clerk.getByText('请填写法律依据').waitFor()
  await clerk.getByTestId('refuse-basis').fill('《中华人民共和国行政许可法》第三十二条')
  await clerk.getByTestId('refuse-redirect').fill('汕头市人力资源和社会保障局')
  await clerk.getByTestId('refuse').click()
  await waitStatus(clerk, 'refused')

  await openMyCase(applicant, number)
  await waitStatus(applicant, 'refused')
  const refusal = await applicant.getByTestId('refusal').innerText()
  for (const text of ['申请事项不属于本机关职权范围', '《中华人民共和国行政许可法》第三十二条', '汕头市人力资源和社会保障局']) assert.ok(refusal.includes(text), text)
  assert.equal(await applicant.getByTestId('withdraw').count(), 0, 'a refused case cannot be withdrawn')
  await screenshot(applicant, 'my-case-refused')
  for (const p of [applicant, clerk]) {
    assert.deepEqual(p.errors, [])
    await p.context().close()
  }
})

test("another applicant opening someone else's case gets the friendly refusal page", async () => {
  assert.ok(walked, 'the first walk ran')
  const stranger = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[3])
  await stranger.goto(`/my/cases/${walked}`)
  await stranger.getByTestId('case-no-access').getByText('办件不存在或无权查看').waitFor()
  await screenshot(stranger, 'case-refused-access')
  await stranger.getByTestId('case-no-access-back').click()
  await stranger.waitForURL((u) => u.pathname === '/my')
  assert.deepEqual(stranger.errors, [])
  await stranger.context().close()
})
