// The public progress query: client-side check of the number, the server's answer at the field,
// and a real case's status and timeline.
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newPage, screenshot, specSession, PASSWORD, PHONE } from '../lib/browser.mjs'
import { SCAN } from '../lib/cases.mjs'

let known
const spec = specSession(async () => {
  known = await applicantCase('13402028295')
})

/**
 * A case of the demo applicant with this phone: the applicant applies online through the API
 * (draft, a scan for each required material, then submit), so the test does not depend on what the seeded history happens to hold.
 */
async function applicantCase(phone) {
  const login = await fetch(`${spec.baseUrl}/api/v1/auth/applicant/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: PASSWORD }),
  })
  assert.equal(login.status, 200, await login.clone().text())
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const headers = { cookie, 'content-type': 'application/json' }
  const created = await fetch(`${spec.baseUrl}/api/v1/cases`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ item: '440511-MZJ-004' }),
  })
  assert.equal(created.status, 201, await created.clone().text())
  const { number } = await created.json()
  // Online, each required material has a file before the application is sent.
  const guide = await (await fetch(`${spec.baseUrl}/api/v1/items/440511-MZJ-004/guide`)).json()
  for (const m of guide.materials.filter((m) => m.required)) {
    const uploaded = await fetch(`${spec.baseUrl}/api/v1/cases/${number}/materials/${m.code}/files?name=${m.code}.pdf`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/octet-stream' },
      body: readFileSync(SCAN),
    })
    assert.equal(uploaded.status, 201, await uploaded.clone().text())
  }
  const submitted = await fetch(`${spec.baseUrl}/api/v1/cases/${number}/actions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ action: 'submit' }),
  })
  assert.equal(submitted.status, 200, await submitted.clone().text())
  return { number, last4: phone.slice(-4) }
}

const fieldError = (page, field) => page.getByTestId(`field-${field}`).locator('.el-form-item__error')

test('a malformed number is refused before anything is sent', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/progress')
  await page.getByTestId('progress-number').fill('440511-20261121-0001238')
  await page.getByTestId('progress-phone').fill('8295')
  await page.getByTestId('progress-submit').click()
  await fieldError(page, 'number').getByText('办件编号校验位不正确，请核对是否抄错').waitFor()
  await page.context().close()
})

test('a wrong phone shows the server message next to the field', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/progress')
  await page.getByTestId('progress-number').fill(known.number)
  const wrong = known.last4 === '0000' ? '1111' : '0000'
  await page.getByTestId('progress-phone').fill(wrong)
  await page.getByTestId('progress-submit').click()
  await fieldError(page, 'phone').getByText('办件不存在或您无权查看').waitFor()
  assert.equal(await page.getByTestId('progress-result').count(), 0)
  await screenshot(page, 'progress')
  await page.context().close()
})

test('the right number and phone show the status and the public timeline', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/progress')
  await page.getByTestId('progress-number').fill(known.number)
  await page.getByTestId('progress-phone').fill(known.last4)
  await page.getByTestId('progress-submit').click()
  const result = page.getByTestId('progress-result')
  await result.getByText(known.number).waitFor()
  await page.getByTestId('progress-status').waitFor()
  await page.getByTestId('progress-timeline').or(result.getByText('暂无公开的办理记录')).first().waitFor()
  await screenshot(page, 'progress-result')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('the QR code of a notice opens the query with the number filled in', async () => {
  const page = await newPage(spec.browser, spec.baseUrl, PHONE)
  // The link the notices print as their QR code.
  await page.goto(`/progress?number=${known.number}`)
  assert.equal(await page.getByTestId('progress-number').inputValue(), known.number)
  // Only the four digits remain, and the cursor waits there.
  await page.keyboard.type(known.last4)
  assert.equal(await page.getByTestId('progress-phone').inputValue(), known.last4)
  await page.getByTestId('progress-submit').click()
  await page.getByTestId('progress-result').getByText(known.number).waitFor()
  await screenshot(page, 'phone-progress-scanned')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
