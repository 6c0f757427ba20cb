// Shared steps of the case specs: log in (through the API, in the page's own cookie jar), apply
// online, open a case, wait for its status, find a row in a paged list.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PASSWORD, newPage } from './browser.mjs'

/** The demo item of the case walks: three steps in 区人社局, the chief representative decides. */
export const ITEM = '440511-RSJ-005'
/** Its materials; M03 may be waived (容缺). */
export const ITEM_MATERIALS = ['M01', 'M02', 'M03', 'M04', 'M05']
/** Enterprise applicants of the demo centre (the item is for enterprises). */
export const APPLICANTS = ['13013499465', '13977254538', '13633295929', '13158354170', '13024936282', '13102622148']

async function login(page, path, data) {
  const r = await page.request.post(path, { data })
  if (!r.ok()) throw new Error(`login ${JSON.stringify(data)}: ${r.status()} ${await r.text()}`)
}

/** A fresh page logged in as a member of staff. */
export async function staffPage(browser, baseUrl, username) {
  const page = await newPage(browser, baseUrl)
  await login(page, '/api/v1/auth/staff/login', { username, password: PASSWORD })
  return page
}

/** A fresh page logged in as an applicant (by phone); `options` as for newPage (e.g. PHONE). */
export async function applicantPage(browser, baseUrl, phone, options) {
  const page = await newPage(browser, baseUrl, options)
  await login(page, '/api/v1/auth/applicant/login', { phone, password: PASSWORD })
  return page
}

/** Waits until the case header shows `status`. */
export async function waitStatus(page, status) {
  await page.getByTestId('case-header').locator(`[data-testid=case-status][data-status=${status}]`).waitFor()
}

/** A small one-page PDF, the demo's stand-in for a scan. */
export const SCAN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'crates', 'server', 'seed', 'demo', 'scan.pdf')

/**
 * From the item's guide: 在线申请 (a draft opens), optionally a screenshot of the draft; sending
 * waits until every required material has a file; then a scan for each (those in `promise` are
 * asked to be brought later, 容缺) and 提交申请. Resolves to the case number.
 */
export async function applyOnline(page, { item = ITEM, draftShot, promise = [] } = {}) {
  await page.goto(`/items/${item}`)
  await page.getByTestId('apply-online').click()
  await page.waitForURL(/\/my\/cases\/[0-9-]+$/)
  const number = new URL(page.url()).pathname.split('/').pop()
  await waitStatus(page, 'draft')
  await page.getByTestId('draft-materials').waitFor()
  await page.getByTestId('draft-missing').waitFor()
  assert.equal(await page.getByTestId('submit-application').isDisabled(), true, 'nothing is sent without its files')
  if (draftShot) await draftShot(page)
  const missing = page.getByTestId('draft-missing').locator('[data-testid^=missing-]')
  const codes = (await missing.evaluateAll((els) => els.map((e) => e.dataset.testid))).map((id) => id.slice('missing-'.length))
  for (const code of codes) {
    if (promise.includes(code)) {
      await page.getByTestId(`promise-${code}`).click()
      continue
    }
    await page.getByTestId(`upload-input-${code}`).setInputFiles(SCAN)
    await page.getByTestId(`missing-${code}`).waitFor({ state: 'detached' })
  }
  await page.getByTestId('submit-application').click()
  await waitStatus(page, 'submitted')
  return number
}

/** On the acceptance checklist, the clerk checks each of `codes` as received. */
export async function checkReceived(page, codes) {
  for (const code of codes) await page.getByTestId(`state-${code}-received`).click()
}

/** Opens a case on the staff side. */
export async function openStaffCase(page, number) {
  await page.goto(`/workbench/cases/${number}`)
  await page.getByTestId('case-header').waitFor()
}

/**
 * Opens the action panel titled `title` on a staff case page and waits until its form `form` has
 * finished opening: a click during the panel's transition may miss the button.
 */
export async function openAction(page, title, form) {
  const panel = page.getByTestId('case-action').locator('.el-collapse-item', { hasText: title })
  await panel.locator('.el-collapse-item__header').click()
  const open = page.locator('.el-collapse-item.is-active', { has: page.getByTestId(form) })
  await open.waitFor()
  await open.locator('.el-collapse-item__wrap:not([class*="collapse-transition"])').waitFor()
}

/** Opens a case on the applicant side. */
export async function openMyCase(page, number) {
  await page.goto(`/my/cases/${number}`)
  await page.getByTestId('case-header').waitFor()
}

/** The row link of `number` in a paged case table, pressing "load more" until it shows. */
export async function findRow(page, number) {
  const link = page.getByTestId(`open-${number}`)
  for (let i = 0; i < 20; i++) {
    await page.locator('[data-testid=case-table] .el-table__body').waitFor()
    await page.locator('.el-loading-mask').first().waitFor({ state: 'detached' }).catch(() => {})
    if (await link.isVisible()) return link
    const more = page.getByTestId('load-more')
    if (!(await more.isVisible())) break
    await more.click()
    await page.waitForTimeout(300)
  }
  await link.waitFor({ timeout: 2000 })
  return link
}

/** Chooses an item in the list filter (type to search, pick the option) and applies the filters. */
export async function filterItem(page, itemName) {
  await page.getByTestId('filter-item').locator('.el-select__wrapper').click()
  await page.keyboard.type(itemName.slice(0, 6))
  await page.locator('.el-select-dropdown__item:visible', { hasText: itemName }).first().click()
  await page.getByTestId('filter-apply').click()
}

/** One action on a case through the API, in the session of `page`. */
export async function act(page, number, body) {
  const r = await page.request.post(`/api/v1/cases/${number}/actions`, { data: body })
  assert.equal(r.status(), 200, await r.text())
}

/** Applies online through the API in the applicant's session, with a scan for each material. */
export async function submittedCase(applicant) {
  const created = await applicant.request.post('/api/v1/cases', { data: { item: ITEM } })
  assert.equal(created.status(), 201, await created.text())
  const { number } = await created.json()
  const scan = readFileSync(SCAN)
  for (const code of ITEM_MATERIALS) {
    const r = await applicant.request.post(`/api/v1/cases/${number}/materials/${code}/files?name=${code}.pdf`, {
      headers: { 'content-type': 'application/octet-stream' },
      data: scan,
    })
    assert.equal(r.status(), 201, await r.text())
  }
  await act(applicant, number, { action: 'submit' })
  return number
}

/** As submittedCase, then window A01 accepts it. */
export async function acceptedCase(applicant, clerk) {
  const number = await submittedCase(applicant)
  await act(clerk, number, { action: 'accept', waived: [], received: ITEM_MATERIALS })
  return number
}
