// A citizen gets back in and keeps their account: a forgotten password reset by a text-message
// code, log-in by code, a new password and a new phone number on the account page; staff
// change their own password too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PASSWORD, PHONE, newPage, screenshot, specSession } from '../lib/browser.mjs'
import { lastCode } from '../lib/server.mjs'
import { applicantPage, staffPage } from '../lib/cases.mjs'

const spec = specSession()

async function logOut(page) {
  await page.request.post('/api/v1/auth/logout')
}

test('a forgotten password is reset by a code, and the code alone logs in', async () => {
  const page = await newPage(spec.browser, spec.baseUrl, PHONE)
  await page.goto('/login?as=applicant')
  await page.getByTestId('login-forgot').click()
  await page.waitForURL((u) => u.pathname === '/forgot-password')
  await page.getByTestId('forgot-phone').fill('13055838874')
  await page.getByTestId('forgot-send-code').click()
  await page.getByTestId('forgot-code-sent').getByText('130****8874').waitFor()
  await page.getByTestId('forgot-code').fill(lastCode(spec.smsOutbox, '130****8874'))
  await page.getByTestId('forgot-password').fill('Lai@2027reset')
  await page.getByTestId('forgot-confirm').fill('Lai@2027reset')
  await screenshot(page, 'phone-forgot-password')
  await page.getByTestId('forgot-submit').click()
  await page.waitForURL((u) => u.pathname === '/my')
  await logOut(page)

  // The old password no longer opens the account; the new one does.
  await page.goto('/login?as=applicant')
  await page.getByTestId('login-phone').fill('13055838874')
  await page.getByTestId('login-applicant-password').fill(PASSWORD)
  await page.getByTestId('login-applicant-submit').click()
  await page.getByText('账号或密码错误').waitFor()
  await page.getByTestId('login-applicant-password').fill('Lai@2027reset')
  await page.getByTestId('login-applicant-submit').click()
  await page.waitForURL((u) => u.pathname === '/my')
  await logOut(page)

  // Log-in by code, as another applicant: the phone, the code texted to it, nothing else.
  await page.goto('/login?as=applicant')
  await page.getByTestId('login-mode').getByText('验证码登录').click()
  await page.getByTestId('login-code-phone').fill('13353118081')
  await page.getByTestId('login-send-code').click()
  await page.getByTestId('login-code-sent').getByText('133****8081').waitFor()
  await page.getByTestId('login-code').fill(lastCode(spec.smsOutbox, '133****8081'))
  await screenshot(page, 'phone-code-login')
  await page.getByTestId('login-code-submit').click()
  await page.waitForURL((u) => u.pathname === '/my')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('an applicant changes the password and the phone on the account page', async () => {
  const page = await applicantPage(spec.browser, spec.baseUrl, '13920894004', PHONE)
  await page.goto('/my/account')
  await page.getByTestId('account-phone').getByText('139****4004').waitFor()
  await page.getByTestId('account-consent').or(page.getByText('窗口登记，书面同意')).waitFor()

  // A wrong current password is refused next to its field.
  await page.getByTestId('account-current-password').fill('not-my-password')
  await page.getByTestId('account-new-password').fill('Yang@2027new')
  await page.getByTestId('account-new-confirm').fill('Yang@2027new')
  await page.getByTestId('account-password-submit').click()
  await page.getByTestId('account-password').getByText('当前密码不正确').waitFor()
  await page.getByTestId('account-current-password').fill(PASSWORD)
  await page.getByTestId('account-password-submit').click()
  await page.getByText('密码已修改').waitFor()

  // A new phone number, verified by the code sent to it.
  await page.getByTestId('account-new-phone').fill('13912340777')
  await page.getByTestId('account-send-code').click()
  await page.getByTestId('account-code-sent').getByText('139****0777').waitFor()
  await page.getByTestId('account-code').fill(lastCode(spec.smsOutbox, '139****0777'))
  await page.getByTestId('account-phone-password').fill('Yang@2027new')
  await screenshot(page, 'phone-account', { scrolled: true })
  await page.getByTestId('account-phone-submit').click()
  await page.getByText('手机号已更换').waitFor()
  await page.getByTestId('account-phone').getByText('139****0777').waitFor()
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('the register page asks for consent to the user agreement and the privacy notice', async () => {
  const page = await newPage(spec.browser, spec.baseUrl, PHONE)
  await page.goto('/register')
  await page.getByTestId('register-submit').click()
  await page.getByText('请阅读并同意《用户协议》和《隐私政策》').waitFor()
  // The documents open beside the form, which keeps what was typed.
  const link = page.getByTestId('register-consent').getByRole('link', { name: '《隐私政策》' })
  assert.equal(await link.getAttribute('target'), '_blank')
  await page.goto(await link.getAttribute('href'))
  await page.getByTestId('legal-privacy').getByText('敏感个人信息').waitFor()
  await screenshot(page, 'phone-privacy')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('staff change their own password from the workbench menu', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'clerk.a04')
  await page.goto('/workbench')
  await page.getByTestId('menu-account').click()
  await page.waitForURL((u) => u.pathname === '/workbench/account')
  await page.getByTestId('account-info').getByText('clerk.a04').waitFor()
  await screenshot(page, 'staff-account')
  await page.getByTestId('account-current-password').fill(PASSWORD)
  await page.getByTestId('account-new-password').fill('Clerk@2027a04')
  await page.getByTestId('account-new-confirm').fill('Clerk@2027a04')
  await page.getByTestId('account-password-submit').click()
  await page.getByText('密码已修改').waitFor()
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
