// The filters of a staff list live in the address bar: a reload, or a link another clerk opens,
// shows the same list.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { screenshot, specSession } from '../lib/browser.mjs'
import { APPLICANTS, ITEM, applicantPage, staffPage, submittedCase } from '../lib/cases.mjs'

const spec = specSession()
const ITEM_NAME = '经营性人力资源服务机构从事职业中介活动许可'

test('a list keeps its tab and filters in the address bar across a reload', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'approver.rsj.1')
  // A shared link opens on its filters.
  await page.goto(`/workbench/inbox?item=${ITEM}&from=2026-01-01&to=2026-12-31`)
  const item = page.getByTestId('filter-item')
  await item.getByText(ITEM_NAME).waitFor()
  assert.equal(await page.getByTestId('filters').locator('.el-range-input').first().inputValue(), '2026-01-01')
  await page.getByTestId('case-table').waitFor()
  for (const name of await page.getByTestId('case-table').locator('tbody tr td:nth-child(4)').allInnerTexts()) {
    assert.equal(name.trim(), ITEM_NAME)
  }

  // A light chosen and applied goes into the address bar with the rest, and survives a reload.
  await page.getByTestId('filter-light').locator('.el-select').click()
  await page.getByRole('option', { name: '正常', exact: true }).click()
  await page.getByTestId('filter-apply').click()
  await page.waitForURL((u) => u.searchParams.get('light') === 'green' && u.searchParams.get('item') === ITEM)
  await page.reload()
  await page.getByTestId('filter-light').getByText('正常').waitFor()
  await item.getByText(ITEM_NAME).waitFor()
  const url = new URL(page.url())
  assert.equal(url.searchParams.get('from'), '2026-01-01')
  assert.equal(url.searchParams.get('to'), '2026-12-31')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('every desk finds a case by its applicant', async () => {
  const applicant = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[0])
  const number = await submittedCase(applicant)
  await applicant.context().close()
  const page = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  await page.goto('/workbench/acceptance')
  await page.getByTestId('case-table').waitFor()
  // One character is too little; the server says so under the box.
  await page.getByTestId('filter-search').fill('鸿')
  await page.getByTestId('filter-apply').click()
  await page.getByText('申请人名称中至少 2 个字').waitFor()
  await page.getByTestId('filter-search').fill('鸿泰印务')
  await page.getByTestId('filter-apply').click()
  await page.waitForURL((u) => u.searchParams.get('q') === '鸿泰印务')
  await page.getByTestId('case-table').getByText(number).waitFor()
  for (const who of await page.getByTestId('case-table').locator('tbody tr td:nth-child(4)').allInnerTexts()) {
    assert.match(who, /鸿泰/)
  }
  await screenshot(page, 'workbench-search')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
