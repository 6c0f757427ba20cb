// Item administration: the centre admin creates an item, meets the server's problem next to its
// field, fixes it, publishes, lets a window accept it and logs out; the public portal then finds
// the item and its guide says where to go.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { screenshot, specSession } from '../lib/browser.mjs'
import { staffPage } from '../lib/cases.mjs'
import { newPage } from '../lib/browser.mjs'

const spec = specSession()
const CODE = '440511-RSJ-901'
const NAME = '灵活就业人员社会保险补贴申领（试点）'

/** Picks `option` in the el-select marked `testid` (inside `scope`, the page by default). */
async function choose(page, testid, option, scope = page) {
  await scope.getByTestId(testid).locator('.el-select__wrapper').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
}

test('an admin creates and publishes an item and it appears in the portal', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'admin')
  await page.goto('/workbench')
  await page.getByTestId('menu-admin-items').click()
  await page.waitForURL(/\/workbench\/admin\/items$/)
  await page.getByTestId('admin-items').getByText('440511-RSJ-001').waitFor()
  await page.getByTestId('drafts').getByText('暂无草稿').waitFor()
  await screenshot(page, 'admin-items')

  // A new item, with one step short of its two-step workflow.
  await page.getByTestId('new-item').click()
  await page.waitForURL(/\/workbench\/admin\/items\/new$/)
  await page.getByTestId('field-implementation_code').fill(CODE)
  await page.getByTestId('field-name').fill(NAME)
  await choose(page, 'field-department', '（RSJ）')
  await choose(page, 'field-theme', '社会民生')
  await page.getByTestId('tab-public').click()
  await page.getByTestId('field-legal_basis').fill('《广东省人力资源和社会保障厅关于做好灵活就业人员社会保险补贴工作的通知》')
  await page.getByTestId('field-conditions').fill('本区户籍或常住的灵活就业人员，已按规定缴纳社会保险费')
  await page.getByTestId('field-result-name').fill('社会保险补贴核准通知')
  await page.getByTestId('field-consultation_phone').fill('0754-88639103')
  await page.getByTestId('field-complaint_phone').fill('0754-88639012')
  await page.getByTestId('field-location').fill('金平区行政服务中心一楼综合受理大厅')
  await page.getByTestId('tab-materials').click()
  await page.getByTestId('material-add').click()
  await page.getByTestId('material-0-name').fill('灵活就业人员社会保险补贴申请表')
  // The application form is the material's own: its fields, each with a sample value.
  for (const [j, label, sample] of [
    [0, '姓名', '张三'],
    [1, '公民身份号码', '44051119900101××××'],
    [2, '补贴申请理由', '本人为灵活就业人员，已按规定缴纳社会保险费'],
  ]) {
    await page.getByTestId('material-0-field-add').click()
    await page.getByTestId(`material-0-field-${j}-label`).fill(label)
    await page.getByTestId(`material-0-field-${j}-sample`).fill(sample)
  }
  await screenshot(page, 'admin-item-materials')
  await page.getByTestId('tab-steps').click()
  await page.getByTestId('step-add').click()
  await page.getByTestId('step-0-name').fill('审查')

  await page.getByTestId('save-draft').click()
  // The server's problem is next to the steps, and the tab says how many problems it holds.
  const stepsError = page.getByTestId('steps-error')
  await stepsError.getByText('办理环节应依次为：审查、审批').waitFor()
  assert.equal(await page.getByTestId('tab-steps-problems').innerText(), '1')
  await page.getByTestId('problem').getByText('事项定义有 1 处需要修改').waitFor()
  // Nothing typed was lost.
  assert.equal(await page.getByTestId('step-0-name').inputValue(), '审查')
  assert.equal(await page.getByTestId('field-name').inputValue(), NAME)
  await screenshot(page, 'admin-item-editor')

  // Fixed: the deciding step is added, and the item is published as version 1.
  await page.getByTestId('step-add').click()
  await choose(page, 'step-1-kind', '决定')
  await page.getByTestId('step-1-name').fill('审批')
  await choose(page, 'step-1-role', '首席代表')
  await page.getByTestId('publish').click()
  await page.waitForURL(new RegExp(`/workbench/admin/items/${CODE}$`))
  await page.getByText('当前第 1 版').waitFor()
  assert.equal(await page.getByTestId('steps-error').count(), 0)
  await page.getByTestId('tab-versions').click()
  await page.getByTestId('versions').getByText('第 1 版').waitFor()

  // The windows: the theme's windows may accept it, the others say why not.
  await page.getByTestId('tab-windows').click()
  const windows = page.getByTestId('item-windows')
  await windows.getByTestId('window-A01').waitFor()
  const refused = windows.getByTestId('refused-windows')
  await refused.getByText('综合窗口只受理本主题的事项').waitFor()
  await refused.getByTestId('refused-B01').waitFor()
  assert.equal(await windows.getByTestId('window-B01').count(), 0)
  await windows.getByTestId('window-A01').click()
  await windows.getByTestId('window-A02').click()
  await windows.getByTestId('save-windows').click()
  await page.getByText('受理窗口已保存').waitFor()
  await windows.getByText('已选 2 个窗口').waitFor()
  await screenshot(page, 'admin-item-windows')

  await page.getByTestId('logout').click()
  await page.waitForURL((u) => u.pathname === '/')
  assert.deepEqual(page.errors, [])
  await page.context().close()

  // The public finds it and its guide says where to go.
  const visitor = await newPage(spec.browser, spec.baseUrl)
  await visitor.goto('/')
  await visitor.getByTestId('home-search').fill('灵活就业')
  await visitor.getByTestId('home-search-submit').click()
  await visitor.waitForURL(/\/items\?q=/)
  await visitor.getByTestId('item-table').getByRole('link', { name: NAME }).click()
  await visitor.waitForURL(new RegExp(`/items/${CODE}$`))
  await visitor.getByTestId('guide-title').getByText(NAME).waitFor()
  await visitor.getByTestId('materials').getByText('灵活就业人员社会保险补贴申请表').waitFor()
  await visitor.getByTestId('materials').getByRole('link', { name: '空白表格' }).waitFor()
  await visitor.getByTestId('materials').getByRole('link', { name: '示例样表' }).waitFor()
  const form = await visitor.request.get(`/api/v1/items/${CODE}/forms/M01/sample`)
  assert.equal(form.status(), 200)
  assert.equal(form.headers()['content-type'], 'application/pdf')
  const where = visitor.getByTestId('guide-windows')
  await where.getByTestId('guide-window-A01').getByText('社会民生类综合受理窗口（一）').waitFor()
  await where.getByTestId('guide-window-A02').waitFor()
  assert.equal(await where.locator('[data-testid^=guide-window-]').count(), 2)
  assert.deepEqual(visitor.errors, [])
  await visitor.context().close()
})

test('an admin edits a published item: each problem sits at its material, the draft is saved, listed and discarded', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'admin')
  await page.goto('/workbench/admin/items/440511-RSJ-001')
  await page.getByTestId('editor-title').getByText('《就业创业证》申领').waitFor()
  await page.getByText('当前第 1 版').waitFor()
  await page.getByTestId('tab-materials').click()
  await page.getByTestId('material-1-name').fill('')
  await page.getByTestId('material-2-code').fill('M01')
  await page.getByTestId('save-draft').click()
  await page.getByTestId('material-1').getByText('请填写第2项材料的名称').waitFor()
  await page.getByTestId('material-2').getByText('材料编号 M01 重复，同一事项内材料编号须唯一').waitFor()
  assert.equal(await page.getByTestId('tab-materials-problems').innerText(), '2')
  assert.equal(await page.getByTestId('material-2-code').inputValue(), 'M01')

  await page.getByTestId('material-1-name').fill('《就业创业登记申请表》（2027年版）')
  await page.getByTestId('material-2-code').fill('M03')
  await page.getByTestId('save-draft').click()
  await page.getByTestId('draft-state').getByText('第 1 版的修改草稿').waitFor()
  assert.equal(await page.getByTestId('tab-materials-problems').count(), 0)

  await page.goto('/workbench/admin/items')
  await page.getByTestId('draft-440511-RSJ-001').click()
  await page.getByTestId('draft-state').waitFor()
  await page.getByTestId('tab-materials').click()
  assert.equal(await page.getByTestId('material-1-name').inputValue(), '《就业创业登记申请表》（2027年版）')
  await page.getByTestId('discard').click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await page.getByText('草稿已放弃').waitFor()
  // The editor goes back to the published version.
  await page.getByTestId('draft-state').waitFor({ state: 'detached' })
  await page.getByTestId('tab-materials').click()
  assert.equal(await page.getByTestId('material-1-name').inputValue(), '《就业创业登记申请表》')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
