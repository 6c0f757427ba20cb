// The centre admin's organisation and calendar pages: a field error shown next to its field, a new
// staff member who must replace the admin's password at first log-in, a holiday added to the
// calendar and removed again; screenshots of each page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newPage, screenshot, specSession } from '../lib/browser.mjs'
import { staffPage } from '../lib/cases.mjs'

const spec = specSession()

/** The error Element Plus shows under the form item holding `testid`. */
function fieldError(page, testid) {
  return page.locator('.el-form-item', { has: page.getByTestId(testid) }).locator('.el-form-item__error')
}

test('the admin sees every tab of the organisation page', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'admin')
  await page.goto('/workbench')
  await page.getByTestId('menu-admin-organisation').click()
  await page.getByTestId('department-table').getByText('金平区人力资源和社会保障局').waitFor()
  await screenshot(page, 'admin-organisation-departments')

  await page.getByRole('tab', { name: '窗口' }).click()
  await page.getByTestId('window-table').getByText('社会民生类综合受理窗口（一）').waitFor()
  // Opening a window's row lists the items it accepts.
  const a01 = page.getByTestId('window-table').locator('tr', { hasText: '社会民生类综合受理窗口（一）' })
  await a01.locator('.el-table__expand-icon').click()
  await page.getByTestId('window-items-A01').getByText('最低生活保障对象认定').waitFor()
  await screenshot(page, 'admin-organisation-windows')

  await page.getByRole('tab', { name: '授权' }).click()
  await page.getByTestId('delegation-RSJ').click()
  await page.getByTestId('delegation-items').locator('.el-switch').first().waitFor()
  await screenshot(page, 'admin-organisation-delegation')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('a field error from the server appears next to its field, and nothing typed is lost', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'admin')
  await page.goto('/workbench/admin/organisation?tab=departments')
  await page.getByTestId('department-create').click()
  // Checked in the page first: nothing is sent until the code has the right shape.
  await page.getByTestId('department-save').click()
  await fieldError(page, 'department-code').getByText('编码须为 2 至 10 位大写字母或数字').waitFor()
  // A well-formed code that is taken: only the server knows, and says so under the code.
  await page.getByTestId('department-code').fill('RSJ')
  await page.getByTestId('department-name').fill('金平区应急管理局')
  await page.getByTestId('department-short-name').fill('区应急局')
  await page.getByTestId('department-section').fill('行政审批科')
  await page.getByTestId('department-phone').fill('0754-88639199')
  await page.getByTestId('department-save').click()
  await fieldError(page, 'department-code').getByText('RSJ 已被使用').waitFor()
  assert.equal(await page.getByTestId('department-name').inputValue(), '金平区应急管理局')
  await screenshot(page, 'admin-organisation-field-error')
  // A document number pattern without the year is the server's to refuse, under its field.
  await page.getByTestId('department-code').fill('YJJ')
  await page.getByTestId('department-document-pattern').fill('金应急许第{seq}号')
  await page.getByTestId('department-save').click()
  await fieldError(page, 'department-document-pattern').getByText(/文号格式须含/).waitFor()
  // Corrected, it is saved and listed.
  await page.getByTestId('department-document-pattern').fill('金应急许〔{year}〕{seq}号')
  await page.getByTestId('department-save').click()
  await page.getByTestId('department-table').getByText('金平区应急管理局').waitFor()
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('the admin creates a staff member, who changes the first password at log-in', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'admin')
  await page.goto('/workbench/admin/organisation?tab=staff')
  await page.getByTestId('staff-table').getByText('clerk.a01', { exact: true }).waitFor()
  await screenshot(page, 'admin-organisation-staff')
  await page.getByTestId('staff-create').click()
  await page.getByTestId('staff-username').fill('clerk.a05')
  await page.getByTestId('staff-password').fill('Window@2027')
  await page.getByTestId('staff-name').fill('李晓敏')
  await page.getByTestId('staff-title').fill('社会民生类综合受理员')
  await page.getByTestId('staff-role-clerk').click()
  // A clerk needs a window: said under the window before anything is sent.
  await page.getByTestId('staff-save').click()
  await fieldError(page, 'staff-window').getByText('受理员和首席代表须选择所在窗口').waitFor()
  await page.getByTestId('staff-window').click()
  await page.locator('.el-select-dropdown__item', { hasText: 'A04 社会民生类综合受理窗口（四）' }).click()
  await screenshot(page, 'admin-organisation-staff-dialog')
  await page.getByTestId('staff-save').click()
  await page.getByTestId('staff-state-clerk.a05').waitFor()
  assert.equal(await page.getByTestId('staff-state-clerk.a05').innerText(), '正常')
  assert.deepEqual(page.errors, [])
  await page.context().close()

  const clerk = await newPage(spec.browser, spec.baseUrl)
  await clerk.goto('/login')
  await clerk.getByTestId('login-username').fill('clerk.a05')
  await clerk.getByTestId('login-password').fill('Window@2027')
  await clerk.getByTestId('login-submit').click()
  // The admin chose this password: the clerk must choose their own before anything else.
  await clerk.getByTestId('account-must-change').waitFor()
  await clerk.waitForURL(/\/workbench\/account/)
  await clerk.getByTestId('account-current-password').fill('Window@2027')
  await clerk.getByTestId('account-new-password').fill('Window@2027')
  await clerk.getByTestId('account-new-confirm').fill('Window@2027')
  await clerk.getByTestId('account-password-submit').click()
  await clerk.getByText('新密码不能与最近 5 次使用过的密码相同').waitFor()
  await clerk.getByTestId('account-new-password').fill('Lixm#2027own')
  await clerk.getByTestId('account-new-confirm').fill('Lixm#2027own')
  await screenshot(clerk, 'first-login-password')
  await clerk.getByTestId('account-password-submit').click()
  await clerk.waitForURL(/\/workbench$/)
  await clerk.getByTestId('whoami').getByText('李晓敏').waitFor()
  assert.match(await clerk.getByTestId('whoami').innerText(), /A04/)
  assert.deepEqual(clerk.errors, [])
  await clerk.context().close()
})

test('the admin adds a holiday to the calendar', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'admin')
  await page.goto('/workbench')
  await page.getByTestId('menu-admin-calendar').click()
  await page.getByTestId('calendar-year').click()
  await page.locator('.el-select-dropdown__item', { hasText: '2027' }).click()
  await page.waitForURL(/year=2027/)
  // The national data already has National Day; 2027-12-24 is a plain Friday.
  await page.getByTestId('calendar-days').getByText('国庆节').first().waitFor()
  const before = await page.getByTestId('calendar-months').locator('li').nth(11).innerText()
  await screenshot(page, 'admin-calendar')
  await page.getByTestId('calendar-add').click()
  // Empty: both problems under their fields.
  await page.getByTestId('calendar-save').click()
  await fieldError(page, 'calendar-name').getByText('请填写名称').waitFor()
  // The range picker takes typed dates (Element Plus puts the test id on its first input).
  const range = page.locator('.el-date-editor--daterange input')
  await range.first().fill('2027-12-24')
  await range.nth(1).fill('2027-12-24')
  await range.nth(1).press('Enter')
  await page.getByTestId('calendar-name').fill('建区纪念日')
  await screenshot(page, 'admin-calendar-dialog')
  await page.getByTestId('calendar-save').click()
  await page.locator('.el-message', { hasText: '已保存 1 天' }).waitFor()
  await page.getByTestId('calendar-day-2027-12-24').waitFor()
  const row = page.getByTestId('calendar-days').locator('tr', { has: page.getByTestId('calendar-day-2027-12-24') })
  assert.match(await row.innerText(), /建区纪念日/)
  assert.match(await row.innerText(), /放假/)
  const after = await page.getByTestId('calendar-months').locator('li').nth(11).innerText()
  const days = (s) => Number(/(\d+)\s*天/.exec(s)[1])
  assert.equal(days(after), days(before) - 1, `${before} → ${after}`)
  assert.match(await row.innerText(), /本区调整/)
  await screenshot(page, 'admin-calendar-edited')

  // The district's own edit can be removed; the national holidays cannot.
  const national = page.getByTestId('calendar-days').locator('tr', { hasText: '国庆节' }).first()
  assert.equal(await national.getByText('删除').count(), 0)
  await page.getByTestId('calendar-remove-2027-12-24').click()
  await page.getByRole('dialog').getByRole('button', { name: '删除' }).click()
  await page.getByTestId('calendar-day-2027-12-24').waitFor({ state: 'detached' })
  const restored = await page.getByTestId('calendar-months').locator('li').nth(11).innerText()
  assert.equal(days(restored), days(before), `${before} → ${restored}`)
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
