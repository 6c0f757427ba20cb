// The back office as departments work: a verifier sends the case back to the review step with a
// reason, the reviewer does it again, the verifier asks for a supplement (the clock stops), and
// on another case the reviewer sends it back to the window, which then holds it to accept anew.
// A special procedure is started for the working days it needs, with its printed notice; the
// clerk serving a case reveals its applicant with a reason, and the supervisor cannot.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { screenshot, specSession } from '../lib/browser.mjs'
import { APPLICANTS, acceptedCase, act, applicantPage, openAction, openMyCase, openStaffCase, staffPage, waitStatus } from '../lib/cases.mjs'

const spec = specSession()

test('return to the step before, ask for a supplement, return to the window', async () => {
  const applicant = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[5])
  const clerk = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  const reviewer = await staffPage(spec.browser, spec.baseUrl, 'approver.rsj.1')
  const verifier = await staffPage(spec.browser, spec.baseUrl, 'approver.rsj.2')
  const number = await acceptedCase(applicant, clerk)
  await act(reviewer, number, { action: 'complete_step', comment: '材料齐全，符合条件' })

  // The verifier returns it to the review step: a reason is needed, and a confirmation.
  await openStaffCase(verifier, number)
  await openAction(verifier, '退回', 'form-return')
  await verifier.getByTestId('return-submit').click()
  await verifier.getByTestId('form-return').getByText('请填写此项').waitFor()
  assert.equal(await verifier.getByTestId('return-previous').locator('input').isChecked(), true)
  await verifier.getByTestId('return-reason').fill('未核对营业执照经营范围，请补充审查')
  await verifier.getByTestId('return-submit').scrollIntoViewIfNeeded()
  await screenshot(verifier, 'return-form', { scrolled: true })
  await verifier.getByTestId('return-submit').click()
  await verifier.locator('.return-confirm').getByRole('button', { name: '退回' }).click()
  await verifier.getByTestId('case-timeline').getByText('未核对营业执照经营范围，请补充审查').waitFor()
  await verifier.getByTestId('case-timeline').getByText('上一环节（审查）').waitFor()

  // The reviewer does the review again; the verifier then asks for a supplement.
  await openStaffCase(reviewer, number)
  await reviewer.getByTestId('step-comment').fill('已核对经营范围，符合条件')
  await reviewer.getByTestId('complete-step').click()
  await reviewer.getByTestId('case-timeline').getByText('已核对经营范围，符合条件').waitFor()
  await openStaffCase(verifier, number)
  await openAction(verifier, '补正告知', 'form-back-supplement')
  await verifier.getByTestId('back-supplement-submit').click()
  await verifier.getByText('请至少勾选一项材料').waitFor()
  await verifier.getByTestId('ask-M01-check').click()
  await verifier.getByTestId('ask-M01-note').fill('营业执照复印件未加盖公章')
  await verifier.getByTestId('back-supplement-submit').scrollIntoViewIfNeeded()
  await screenshot(verifier, 'back-office-supplement', { scrolled: true })
  await verifier.getByTestId('back-supplement-submit').click()
  await waitStatus(verifier, 'awaiting_supplement')
  const detail = await (await verifier.request.get(`/api/v1/cases/${number}`)).json()
  assert.ok(detail.case.stops.at(-1) && detail.case.stops.at(-1).to === null, 'the clock is stopped')

  // Another case goes back to the window: it waits there to be accepted again.
  const other = await acceptedCase(applicant, clerk)
  await openStaffCase(reviewer, other)
  await openAction(reviewer, '退回', 'form-return')
  assert.equal(await reviewer.getByTestId('return-previous').locator('input').isDisabled(), true, 'the first step has none before it')
  await reviewer.getByTestId('return-window').click()
  await reviewer.getByTestId('return-reason').fill('受理事项选择错误，应为变更许可')
  await reviewer.getByTestId('return-submit').click()
  await reviewer.locator('.return-confirm').getByRole('button', { name: '退回' }).click()
  await waitStatus(reviewer, 'submitted')
  await openStaffCase(clerk, other)
  await clerk.getByTestId('accept').waitFor()
  await clerk.getByTestId('case-timeline').getByText('受理事项选择错误，应为变更许可').waitFor()
})

test('a special procedure is told in working days, printed, and watched', async () => {
  const applicant = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[5])
  const clerk = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  const reviewer = await staffPage(spec.browser, spec.baseUrl, 'approver.rsj.1')
  const number = await acceptedCase(applicant, clerk)

  await openStaffCase(reviewer, number)
  await openAction(reviewer, '启动特别程序', 'form-special-start')
  await reviewer.getByTestId('special-procedure').locator('.el-select__wrapper').click()
  await reviewer.locator('.el-select-dropdown__item:visible', { hasText: '专家评审' }).click()
  await reviewer.getByTestId('special-reason').fill('场所消防条件需组织专家论证')
  // The time it needs is required, and the form says the most this procedure may take.
  await reviewer.getByTestId('special-start').click()
  await reviewer.getByTestId('form-special-start').getByText('请填写此项').waitFor()
  await reviewer.getByTestId('form-special-start').getByText('最多 30 个工作日').waitFor()
  await reviewer.getByTestId('special-days').locator('input').fill('10')
  await reviewer.getByTestId('special-start').scrollIntoViewIfNeeded()
  await screenshot(reviewer, 'special-procedure-start', { scrolled: true })
  await reviewer.getByTestId('special-start').click()
  await waitStatus(reviewer, 'suspended')
  const due = reviewer.getByTestId('special-procedure-due')
  await due.getByText(/专家评审.*预计于/).waitFor()
  await reviewer.getByTestId('case-timeline').getByText(/10 个工作日，至/).waitFor()
  // The applicant's notice of it (特别程序告知书) is on the case, for staff and applicant alike.
  const link = reviewer.getByTestId('notice-special_procedure')
  await link.waitFor()
  const pdf = await reviewer.request.get(await link.getAttribute('href'))
  assert.equal(pdf.status(), 200)
  assert.equal(pdf.headers()['content-type'], 'application/pdf')
  await screenshot(reviewer, 'special-procedure-under-way')
  await openMyCase(applicant, number)
  await applicant.getByTestId('notice-special_procedure').waitFor()
})

test('the clerk serving a case reveals its applicant, with a reason', async () => {
  const applicant = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[5])
  const clerk = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  const number = await acceptedCase(applicant, clerk)
  await openStaffCase(clerk, number)
  const header = clerk.getByTestId('case-header')
  await header.getByTestId('masked-applicant').waitFor()
  await header.getByTestId('reveal-applicant').click()
  const dialog = clerk.getByTestId('reveal-dialog')
  await dialog.getByTestId('reveal-submit').click()
  await dialog.getByText('请填写此项').waitFor()
  await dialog.getByRole('button', { name: '核对领取人身份' }).click()
  await screenshot(clerk, 'reveal-identity')
  await dialog.getByTestId('reveal-submit').click()
  const revealed = header.getByTestId('revealed-identity')
  await revealed.waitFor()
  assert.match(await revealed.innerText(), new RegExp(APPLICANTS[5]))
  // Whole-centre readers read the case but do not serve it: no reveal is offered.
  const supervisor = await staffPage(spec.browser, spec.baseUrl, 'supervisor.1')
  await openStaffCase(supervisor, number)
  await supervisor.getByTestId('masked-applicant').waitFor()
  assert.equal(await supervisor.getByTestId('reveal-applicant').count(), 0)
})
