// A walk-in at the window, from the keyboard alone: the clerk finds no such applicant, registers
// them, picks an item of the window by typing, registers the case, and accepts it on the checklist.
// An immediate item is accepted, decided and handed out at the same window without leaving the page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { screenshot, specSession } from '../lib/browser.mjs'
import { checkReceived, staffPage, waitStatus } from '../lib/cases.mjs'

const spec = specSession()

/** Presses Tab until the element with `testid` has the focus (at most `limit` times). */
async function tabTo(page, testid, limit = 60) {
  for (let i = 0; i < limit; i++) {
    const here = await page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid'))
    if (here === testid) return
    await page.keyboard.press('Tab')
  }
  assert.fail(`Tab never reached ${testid}`)
}

/** Tabs to a material's row of the checklist and marks it 已收取 from the keyboard. */
async function checkByKeyboard(page, group) {
  const here = () => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid'))
  for (let i = 0; i < 60 && !(await here())?.startsWith(`${group}-`); i++) await page.keyboard.press('Tab')
  const received = page.getByTestId(`${group}-received`).locator('input')
  for (let i = 0; i < 4 && !(await received.isChecked()); i++) {
    await page.keyboard.press((await here()) === `${group}-received` ? 'Space' : 'ArrowLeft')
  }
  assert.equal(await received.isChecked(), true, `${group} marked received from the keyboard`)
}

test('a clerk registers and accepts a walk-in application using only the keyboard', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  await page.goto('/workbench/acceptance/new')
  const identifier = page.getByTestId('new-case-identifier')
  await identifier.waitFor()
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid=new-case-identifier]'))
  await screenshot(page, 'new-case')

  // A wrong shape is caught before anything is sent.
  await page.keyboard.type('4405111988')
  await page.keyboard.press('Enter')
  await page.getByText('请输入 18 位居民身份证号码或统一社会信用代码').waitFor()

  // Nobody has this ID: register them where they stand.
  await identifier.fill('')
  await page.keyboard.type('440511198806120330')
  await page.keyboard.press('Enter')
  await page.getByTestId('new-case-newcomer').waitFor()
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid=new-case-name]'))
  await page.keyboard.type('郑海燕')
  await page.keyboard.press('Tab')
  await page.keyboard.type('13912340330')
  await page.keyboard.press('Enter')
  await page.getByTestId('new-case-found').getByText('139****0330').waitFor()

  // The item list of window A01 filters as the clerk types.
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid=new-case-item]'))
  await page.keyboard.type('最低生活保障')
  await page.getByRole('option', { name: /最低生活保障对象认定/ }).waitFor()
  await page.keyboard.press('Enter')
  await screenshot(page, 'new-case-item')
  await tabTo(page, 'new-case-submit')
  await page.keyboard.press('Enter')

  // The case page: nothing was scanned, so the clerk checks each material the applicant handed
  // in (Tab to its row, then the arrow key moves it from 缺少 to 已收取); then Tab to 受理 and Enter.
  await page.waitForURL(/\/workbench\/cases\/[0-9-]+$/)
  await page.getByTestId('acceptance-checklist').waitFor()
  await waitStatus(page, 'submitted')
  const groups = await page.locator('[data-testid^=state-M]').evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-testid')).filter((id) => /^state-M\d+$/.test(id)),
  )
  assert.ok(groups.length > 0)
  for (const group of groups) await checkByKeyboard(page, group)
  await tabTo(page, 'accept')
  await page.keyboard.press('Enter')
  await waitStatus(page, 'in_progress')
  await page.getByTestId('notice-acceptance').waitFor()
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('an immediate item is accepted, decided and handed out on one screen at the window', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  await page.goto('/workbench/acceptance/new')
  await page.getByTestId('new-case-identifier').fill('440513199710233936')
  await page.keyboard.press('Enter')
  await page.getByTestId('new-case-found').waitFor()
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid=new-case-item]'))
  await page.keyboard.type('就业创业证')
  await page.getByRole('option', { name: /《就业创业证》申领/ }).click()
  await page.getByTestId('new-case-submit').click()
  await page.waitForURL(/\/workbench\/cases\/[0-9-]+$/)
  const number = page.url().split('/').at(-1)
  await page.getByTestId('acceptance-checklist').waitFor()
  await checkReceived(page, ['M01', 'M02'])
  await page.getByTestId('accept').click()
  await waitStatus(page, 'in_progress')

  // The same page now offers the decision: the item is delegated to the window, on the spot.
  await page.getByTestId('form-decide').waitFor()
  await page.getByTestId('decision-approved').click()
  await page.getByTestId('decision-comment').fill('材料齐全，当场办结')
  await page.getByTestId('decide').click()
  await page.locator('.decision-confirm').getByRole('button', { name: '作出决定' }).click()
  await waitStatus(page, 'approved')

  // And then the hand-out, at this same window, to the applicant in person.
  await page.getByTestId('issue-form').waitFor()
  await page.getByTestId('issue-collector-name').fill('吴桂钦')
  await page.getByTestId('issue-collector-id').fill('440513199710233936')
  await screenshot(page, 'immediate-issue', { scrolled: true })
  await page.getByTestId('issue-submit').click()
  await page.locator('.issue-confirm').getByRole('button', { name: '出件' }).click()
  await waitStatus(page, 'issued')
  const detail = await (await page.request.get(`/api/v1/cases/${number}`)).json()
  const roles = detail.events.filter((e) => ['accepted', 'decided', 'issued'].includes(e.kind)).map((e) => [e.kind, e.actor_role, e.window])
  assert.deepEqual(roles, [
    ['accepted', 'clerk', 'A01'],
    ['decided', 'clerk', 'A01'],
    ['issued', 'clerk', 'A01'],
  ])
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
