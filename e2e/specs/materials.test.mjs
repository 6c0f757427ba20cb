// Material uploads in a real browser: an applicant uploads materials into a draft (a wrong type
// is refused before anything is sent), the clerk previews them (an image inline, the PDF in the
// browser's viewer), and on a supplement notice the applicant uploads just the listed material;
// a material accepted as waived (容缺) is uploaded later from the case page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { screenshot, specSession } from '../lib/browser.mjs'
import { APPLICANTS, ITEM, applicantPage, applyOnline, openMyCase, openStaffCase, staffPage, waitStatus } from '../lib/cases.mjs'

const spec = specSession()

/** A real scan-like document, rendered by the browser itself: a PNG image and a PDF. */
async function documents(browser) {
  const page = await browser.newPage({ viewport: { width: 420, height: 300 } })
  await page.setContent(`<body style="margin:0;font:20px sans-serif;background:#fffdf5;border:6px double #b22;height:276px;padding:12px;box-sizing:border-box">
    <h2 style="text-align:center;color:#b22;margin:8px 0">营业执照（副本）</h2>
    <p>统一社会信用代码：91440511MA4UQ2XX1K</p><p>名称：汕头市金平区示例人力资源有限公司</p></body>`)
  const png = await page.screenshot()
  await page.setContent('<h1 style="font:28px sans-serif">人力资源服务许可申请表</h1><p>申请单位：汕头市金平区示例人力资源有限公司</p>')
  const pdf = await page.pdf({ format: 'A4' })
  await page.close()
  return { png, pdf }
}

/** The material's row in a materials table. */
const row = (page, table, code) => page.getByTestId(table).locator('tr', { has: page.getByTestId(`material-${code}`) })

async function upload(page, code, file) {
  await page.getByTestId(`upload-input-${code}`).setInputFiles(file)
}

test('an applicant uploads online, the clerk previews, a supplement takes only what it lists', async () => {
  const { png, pdf } = await documents(spec.browser)
  const applicant = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[3])
  const posted = []
  applicant.on('request', (r) => r.method() === 'POST' && r.url().includes('/files') && posted.push(r.url()))

  await applicant.goto(`/items/${ITEM}`)
  await applicant.getByTestId('apply-online').click()
  await applicant.waitForURL(/\/my\/cases\/[0-9-]+$/)
  const number = new URL(applicant.url()).pathname.split('/').pop()
  await waitStatus(applicant, 'draft')
  await applicant.getByTestId('draft-materials').waitFor()

  await upload(applicant, 'M01', { name: '人力资源服务许可申请表.pdf', mimeType: 'application/pdf', buffer: pdf })
  await row(applicant, 'draft-materials', 'M01').getByTestId('file-M01').waitFor()
  await upload(applicant, 'M02', { name: '营业执照.png', mimeType: 'image/png', buffer: png })
  await row(applicant, 'draft-materials', 'M02').locator('img').waitFor()
  assert.equal(posted.length, 2)

  // A renamed file is refused by its content before anything is sent.
  await upload(applicant, 'M04', { name: '身份证明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('GIF89a not a pdf at all') })
  const refused = applicant.getByTestId('upload-error-M04')
  await refused.waitFor()
  assert.match(await refused.innerText(), /只能上传 PDF、JPG、PNG/)
  assert.equal(posted.length, 2, 'nothing was sent')
  assert.equal(await row(applicant, 'draft-materials', 'M04').getByTestId('file-M04').count(), 0)
  // The timeline records each upload.
  await applicant.getByTestId('case-timeline').getByText('营业执照.png').waitFor()
  await screenshot(applicant, 'materials-draft')
  // Sending waits for every required material: the page says which are missing; the one the
  // item allows on promise (容缺) may be asked to come later instead.
  const missing = applicant.getByTestId('draft-missing')
  for (const code of ['M03', 'M04', 'M05']) await missing.getByTestId(`missing-${code}`).waitFor()
  assert.equal(await applicant.getByTestId('submit-application').isDisabled(), true)
  await applicant.getByTestId('promise-M03').click()
  for (const code of ['M04', 'M05']) {
    await upload(applicant, code, { name: `${code}.pdf`, mimeType: 'application/pdf', buffer: pdf })
    await missing.getByTestId(`missing-${code}`).waitFor({ state: 'detached' })
  }
  await applicant.getByTestId('draft-submit').scrollIntoViewIfNeeded()
  await screenshot(applicant, 'draft-promise', { scrolled: true })
  await applicant.getByTestId('submit-application').click()
  await waitStatus(applicant, 'submitted')

  // The clerk checks what came beside each material of the checklist: the image inline (and
  // enlarged), the PDF in the browser's viewer; an online case is the applicant's to fill.
  const clerk = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  await openStaffCase(clerk, number)
  const checklist = clerk.getByTestId('checklist')
  const thumb = checklist.getByTestId('file-M02').locator('img')
  await thumb.waitFor()
  await clerk.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumb.elementHandle())
  assert.equal(await checklist.locator('input[type=file]').count(), 0)
  await screenshot(clerk, 'materials-checklist')
  await thumb.click()
  await clerk.locator('.el-image-viewer__wrapper').waitFor()
  await screenshot(clerk, 'materials-preview')
  await clerk.keyboard.press('Escape')
  await clerk.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' })
  const link = checklist.getByTestId('file-M01').getByRole('link', { name: '人力资源服务许可申请表.pdf' })
  const [viewer] = await Promise.all([clerk.context().waitForEvent('page'), link.click()])
  await viewer.waitForURL(/\/api\/v1\/cases\/[0-9-]+\/files\/\d+$/)
  const response = await clerk.request.get(await link.getAttribute('href'))
  assert.equal(response.status(), 200)
  assert.equal(response.headers()['content-type'], 'application/pdf')
  await viewer.close()

  // One notice names the premises proof as missing; the case detail then shows the materials
  // with the one the notice asks for.
  // The uploaded ones open as received, the promised M03 as waived; the clerk wants it now.
  assert.equal(await clerk.getByTestId('state-M01-received').locator('input').isChecked(), true)
  assert.equal(await clerk.getByTestId('state-M03-waived').locator('input').isChecked(), true)
  await clerk.getByTestId('state-M03-missing').click()
  await clerk.getByTestId('note-M03').fill('请上传租赁合同扫描件')
  await clerk.getByTestId('send-notice').click()
  await waitStatus(clerk, 'awaiting_supplement')
  await clerk.getByTestId('case-materials').getByTestId('requested-M03').waitFor()
  await clerk.locator('.el-message').waitFor({ state: 'detached' })
  await clerk.evaluate(() => window.scrollTo(0, 0))
  await screenshot(clerk, 'materials-staff')

  // The applicant may upload only the listed one.
  await openMyCase(applicant, number)
  await waitStatus(applicant, 'awaiting_supplement')
  const listed = applicant.getByTestId('supplement-materials')
  await listed.getByTestId('material-M03').waitFor()
  assert.equal(await listed.locator('[data-testid^=material-]').count(), 1, 'only the listed material')
  assert.equal(await applicant.locator('input[type=file]').count(), 1)
  await upload(applicant, 'M03', { name: '租赁合同.png', mimeType: 'image/png', buffer: png })
  await row(applicant, 'supplement-materials', 'M03').locator('img').waitFor()
  await screenshot(applicant, 'materials-supplement')
  await applicant.getByTestId('supplement-note').fill('已上传租赁合同扫描件')
  await applicant.getByTestId('provide-supplement').click()
  await waitStatus(applicant, 'submitted')

  await clerk.reload()
  await waitStatus(clerk, 'submitted')
  // After the supplement the checklist shows the new file, and opens with it received.
  await clerk.getByTestId('checklist').getByTestId('file-M03').locator('img').waitFor()
  assert.equal(await clerk.getByTestId('state-M03-received').locator('input').isChecked(), true)
  for (const p of [applicant, clerk]) {
    assert.deepEqual(p.errors, [])
    await p.context().close()
  }
})

test('a waived material still owed is uploaded from the case page', async () => {
  const { png } = await documents(spec.browser)
  const applicant = await applicantPage(spec.browser, spec.baseUrl, APPLICANTS[4])
  const number = await applyOnline(applicant, { promise: ['M03'] })
  const clerk = await staffPage(spec.browser, spec.baseUrl, 'clerk.a01')
  const due = new Date(Date.now() + 8 * 3600_000 + 7 * 86400_000).toISOString().slice(0, 10)
  const accepted = await clerk.request.post(`/api/v1/cases/${number}/actions`, {
    data: { action: 'accept', waived: [{ material: 'M03', due_on: due }], received: ['M01', 'M02', 'M04', 'M05'] },
  })
  assert.equal(accepted.status(), 200, await accepted.text())

  await openMyCase(applicant, number)
  await waitStatus(applicant, 'in_progress')
  const owed = applicant.getByTestId('owed-materials')
  await owed.getByTestId('material-M03').waitFor()
  assert.equal(await owed.locator('[data-testid^=material-]').count(), 1, 'only the owed material')
  await upload(applicant, 'M03', { name: '租赁合同.png', mimeType: 'image/png', buffer: png })
  await owed.getByTestId('file-M03').locator('img').waitFor()
  await applicant.getByTestId('case-timeline').getByText('租赁合同.png').waitFor()
  await screenshot(applicant, 'materials-waived')
  assert.deepEqual(applicant.errors, [])
  await applicant.context().close()
  await clerk.context().close()
})
