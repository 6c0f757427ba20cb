// Logging in: staff land on /workbench, applicants on /my; a protected page sends you to the
// login page and back.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newPage, screenshot, specSession, PASSWORD } from '../lib/browser.mjs'

const spec = specSession()

test('staff log in as clerk.a01 and land on the workbench, then log out', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/login')
  await page.getByTestId('login-username').waitFor()
  await screenshot(page, 'login')
  await page.getByTestId('login-username').fill('clerk.a01')
  await page.getByTestId('login-password').fill(PASSWORD)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(/\/workbench$/)
  const who = page.getByTestId('whoami')
  await who.getByText('当前登录：蔡桂娥').waitFor()
  await who.getByText('clerk.a01').waitFor()
  await who.getByText('社会民生类综合受理窗口（一）').waitFor()
  // The counts say whose cases they are: the clerk's hall's, not the clerk's own.
  await page.getByTestId('counts-title').getByText(/大厅的办件，按状态$/).waitFor()
  await screenshot(page, 'workbench')

  await page.getByTestId('logout').click()
  await page.waitForURL((u) => u.pathname === '/')
  await page.getByTestId('nav-login').waitFor()
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('a wrong password shows the server message', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/login')
  await page.getByTestId('login-username').fill('clerk.a02')
  await page.getByTestId('login-password').fill('not-the-password')
  await page.getByTestId('login-submit').click()
  await page.getByTestId('problem').getByText('账号或密码错误').waitFor()
  assert.match(new URL(page.url()).pathname, /^\/login$/)
  await page.context().close()
})

test('a protected page sends an applicant to log in and back', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/my')
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/my')
  await page.getByRole('tab', { name: '申请人' }).click()
  await page.getByTestId('login-phone').fill('13402028295')
  await page.getByTestId('login-applicant-password').fill(PASSWORD)
  await page.getByTestId('login-applicant-submit').click()
  await page.waitForURL(/\/my$/)
  await page.getByTestId('whoami').getByText('当前登录：吴桂钦').waitFor()
  await page.getByTestId('whoami').getByText('134****8295').waitFor()
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
