// The public staff board (窗口人员公示).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newPage, screenshot, specSession } from '../lib/browser.mjs'

const spec = specSession()

test('the staff board shows name, unit and window of the public staff', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/staff')
  const board = page.getByTestId('staff-board')
  const clerk = board.locator('article', { hasText: '蔡桂娥' })
  await clerk.waitFor()
  assert.match(await clerk.innerText(), /A01/)
  assert.match(await clerk.innerText(), /社会民生类综合受理窗口（一）/)
  assert.equal(await clerk.locator('.photo').innerText(), '蔡')
  // The staff number (工号) by which a citizen names them to the supervision line beside it.
  assert.match(await clerk.getByTestId('staff-number').innerText(), /^工号 \d{4,}$/)
  assert.equal(await page.getByTestId('supervision-phone').innerText(), '监督电话：0754-88639000')
  assert.ok((await board.locator('article').count()) > 20)
  await screenshot(page, 'staff-board')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
