// The audit viewer: a failed log-in and a calendar edit show up in the log with their Chinese
// labels, the filters narrow it (and live in the address bar); supervisors read it too, clerks
// have no menu entry for it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { screenshot, specSession } from '../lib/browser.mjs'
import { staffPage } from '../lib/cases.mjs'

const spec = specSession()

/** The action codes of the rows shown, top to bottom. */
const actionsShown = (page) => page.getByTestId('audit-table').locator('[data-action]').evaluateAll((els) => els.map((e) => e.dataset.action))

/** Runs `act` (a search) and waits for the list its answer brings. */
async function searched(page, act) {
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/audit')
  await act()
  await answer
  await page.getByTestId('audit-table').locator('.el-loading-mask').waitFor({ state: 'detached' }).catch(() => {})
}

test('the admin finds a failed log-in and a calendar edit in the audit log', async () => {
  // Something to find: another account's wrong password, and a day added to the calendar and removed.
  const failed = await fetch(`${spec.baseUrl}/api/v1/auth/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'clerk.a03', password: 'not-the-password' }),
  })
  assert.equal(failed.status, 401)
  const page = await staffPage(spec.browser, spec.baseUrl, 'admin')
  const day = { date: '2027-12-24', kind: 'holiday', name: '建区纪念日' }
  assert.ok((await page.request.put('/api/v1/calendar/440511', { data: { days: [day] } })).ok())
  assert.ok((await page.request.delete('/api/v1/calendar/440511/days/2027-12-24')).ok())

  await page.goto('/workbench')
  await page.getByTestId('menu-admin-audit').click()
  await page.waitForURL('**/workbench/admin/audit')
  const table = page.getByTestId('audit-table')
  const failedRow = table.locator('tr', { hasText: 'clerk.a03' }).filter({ hasText: '登录失败' })
  await failedRow.first().waitFor()
  const edited = table.locator('tr', { has: page.locator('[data-action=calendar_edited]') }).first()
  assert.match(await edited.innerText(), /调整工作日历[\s\S]*440511 · 2027年12月24日 建区纪念日/)
  assert.match(await edited.innerText(), /admin/)
  assert.match(await table.locator('tr', { has: page.locator('[data-action=calendar_day_removed]') }).first().innerText(), /删除工作日历调整/)
  await screenshot(page, 'admin-audit')

  // By action: only failed log-ins, the clerk's among them; few enough for one page.
  await page.getByTestId('audit-action').click()
  await page.getByRole('option', { name: '登录失败', exact: true }).click()
  await searched(page, () => page.getByTestId('audit-search').click())
  await page.waitForURL((u) => u.searchParams.get('action') === 'login_failed')
  const failures = await actionsShown(page)
  assert.ok(failures.length > 0)
  assert.ok(failures.every((a) => a === 'login_failed'), failures.join())
  await failedRow.first().waitFor()
  assert.equal(await page.getByTestId('audit-load-more').count(), 0)
  await page.getByTestId('audit-all-loaded').waitFor()

  // By actor, every action: only what the clerk did.
  await page.getByTestId('audit-action').click()
  await page.getByRole('option', { name: '全部', exact: true }).click()
  await page.getByTestId('audit-actor').fill('clerk.a03')
  await searched(page, () => page.getByTestId('audit-actor').press('Enter'))
  await page.waitForURL((u) => u.searchParams.get('actor') === 'clerk.a03' && !u.searchParams.has('action'))
  const actors = await table.locator('[data-testid^=audit-actor-of-]').allInnerTexts()
  assert.ok(actors.length > 0)
  for (const a of actors) assert.match(a, /clerk\.a03/)

  // The filters survive a reload.
  await page.reload()
  assert.equal(await page.getByTestId('audit-actor').inputValue(), 'clerk.a03')
  await failedRow.first().waitFor()
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('a supervisor reads the audit log; a clerk has no entry for it', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'supervisor.1')
  await page.goto('/workbench')
  await page.getByTestId('menu-admin-audit').click()
  // The supervisor's own log-in is the newest entry.
  const mine = page.getByTestId('audit-table').locator('tr', { hasText: 'supervisor.1' }).filter({ hasText: '登录' })
  await mine.first().waitFor()
  assert.ok((await actionsShown(page)).length > 0)
  assert.deepEqual(page.errors, [])
  await page.context().close()

  const clerk = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  await clerk.goto('/workbench')
  await clerk.getByTestId('menu-account').waitFor()
  assert.equal(await clerk.getByTestId('menu-admin-audit').count(), 0)
  assert.equal((await clerk.request.get('/api/v1/audit')).status(), 403)
  assert.deepEqual(clerk.errors, [])
  await clerk.context().close()
})
