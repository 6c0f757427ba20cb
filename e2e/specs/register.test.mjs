// An applicant registers online: shape errors before sending, the server's check-digit error next
// to its field, the text-message code (read from the server's outbox), then straight to /my.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newPage, screenshot, specSession } from '../lib/browser.mjs'
import { lastCode, readTextMessages } from '../lib/server.mjs'

const spec = specSession()
const PHONE = '13912340518'

test('an applicant registers with a verified phone and lands in their cases', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/my')
  await page.waitForURL((u) => u.pathname === '/login')
  await page.getByRole('tab', { name: '申请人' }).click()
  await page.getByTestId('login-to-register').click()
  await page.waitForURL((u) => u.pathname === '/register' && u.searchParams.get('redirect') === '/my')
  await page.getByTestId('register-name').waitFor()
  await screenshot(page, 'register')

  // Shape errors appear before anything is sent (other specs' cases send messages too).
  const sent = readTextMessages(spec.smsOutbox).length
  await page.getByTestId('register-submit').click()
  await page.getByText('请输入姓名或企业名称').waitFor()
  await page.getByText('请输入 18 位居民身份证号码').waitFor()
  await page.getByTestId('register-send-code').click()
  await page.getByText('请输入 11 位手机号码').waitFor()
  assert.equal(readTextMessages(spec.smsOutbox).length, sent, 'nothing was sent for a bad number')

  await page.getByTestId('register-name').fill('林晓彤')
  // Right shape, wrong check digit: only the server can tell, and says so next to the field.
  await page.getByTestId('register-identifier').fill('440511198806120323')
  await page.getByTestId('register-phone').fill(PHONE)
  await page.getByTestId('register-send-code').click()
  await page.getByTestId('register-code-sent').getByText('139****0518').waitFor()
  assert.match(await page.getByTestId('register-send-code').innerText(), /秒后可重新获取/)
  await page.getByTestId('register-code').fill(lastCode(spec.smsOutbox, '139****0518'))
  await page.getByTestId('register-password').fill('Lin@2026pass')
  await page.getByTestId('register-confirm').fill('Lin@2026pass')
  await page.getByTestId('register-consent-box').click()
  await page.getByTestId('register-submit').click()
  const idItem = page.locator('.el-form-item', { has: page.getByTestId('register-identifier') })
  await idItem.locator('.el-form-item__error').getByText('校验位不符').waitFor()
  await screenshot(page, 'register-error')

  // Nothing typed is lost: correct the one field and send again.
  assert.equal(await page.getByTestId('register-name').inputValue(), '林晓彤')
  await page.getByTestId('register-identifier').fill('440511198806120322')
  await page.getByTestId('register-submit').click()
  await page.waitForURL((u) => u.pathname === '/my')
  await page.getByTestId('whoami').getByText('139****0518').waitFor()
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
