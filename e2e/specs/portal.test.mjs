// The public portal: home page themes, searching an item, its guide (十公开 and materials).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newPage, screenshot, specSession } from '../lib/browser.mjs'

const spec = specSession()

test('the home page shows the four themes, the departments and the search box', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/')
  const themes = page.getByTestId('themes')
  for (const name of ['社会民生', '注册登记', '经营许可', '投资建设']) {
    await themes.getByText(name, { exact: true }).waitFor()
  }
  // Item counts per theme come from the catalogue.
  await page.getByTestId('theme-social_livelihood').getByText(/\d+ 个事项/).waitFor()
  await page.getByRole('link', { name: '区人社局' }).waitFor()
  assert.equal(await page.getByTestId('nav').getByText('窗口人员公示').count(), 1)
  await screenshot(page, 'portal-home')

  // A theme card opens the list filtered by that theme.
  await page.getByTestId('theme-registration').click()
  await page.waitForURL(/\/items\?theme=registration/)
  await page.getByTestId('item-table').locator('tbody tr').first().waitFor()
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('searching an item and opening its guide shows the ten public elements and the materials', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/')
  await page.getByTestId('home-search').fill('就业创业证')
  await page.getByTestId('home-search-submit').click()
  await page.waitForURL(/\/items\?q=/)
  const row = page.getByTestId('item-table').getByRole('link', { name: '《就业创业证》申领' })
  await row.waitFor()
  assert.match(await page.getByTestId('item-count').innerText(), /共 \d+ 个事项/)
  await screenshot(page, 'item-list')

  await row.click()
  await page.waitForURL(/\/items\/440511-RSJ-001$/)
  await page.getByTestId('guide-title').getByText('《就业创业证》申领').waitFor()
  const ten = page.getByTestId('ten-public')
  for (const label of ['审批主体', '审批依据', '办理条件', '办事程序', '承诺时限', '收费标准', '收费依据', '办事结果', '咨询电话', '投诉电话']) {
    await ten.locator('.el-descriptions__label', { hasText: label }).first().waitFor()
  }
  await ten.getByText('金平区人力资源和社会保障局').or(ten.getByText('区人社局')).first().waitFor()
  const materials = page.getByTestId('materials')
  await materials.getByText('申请人居民身份证').waitFor()
  await materials.getByText('可容缺').first().waitFor()
  await materials.getByRole('link', { name: '空白表格' }).first().waitFor()
  // The link downloads the PDF the server renders for that material.
  const href = await materials.getByRole('link', { name: '空白表格' }).first().getAttribute('href')
  const form = await page.request.get(href)
  assert.equal(form.status(), 200, href)
  assert.equal(form.headers()['content-type'], 'application/pdf')
  await page.getByTestId('where').getByText('同区通办').or(page.getByTestId('where').getByText('全市通办')).first().waitFor()
  await screenshot(page, 'item-guide')
  await materials.scrollIntoViewIfNeeded()
  await page.evaluate(() => window.scrollBy(0, -90))
  await screenshot(page, 'item-guide-materials', { scrolled: true })
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('an unknown item shows the server problem with a retry', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/items/440511-NONE-404')
  const problem = page.getByTestId('problem')
  await problem.getByText('事项不存在或您无权查看').waitFor()
  await problem.getByRole('button', { name: '重试' }).waitFor()
  await page.context().close()
})

test('the words people use find the item: 餐饮, 营业执照, 就业证', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  for (const [words, name] of [
    ['餐饮', '食品经营许可'],
    ['营业执照', '有限责任公司设立登记'],
    ['就业证', '《就业创业证》申领'],
  ]) {
    await page.goto('/')
    await page.getByTestId('home-search').fill(words)
    await page.getByTestId('home-search-submit').click()
    await page.waitForURL((u) => u.searchParams.get('q') === words)
    await page.getByTestId('item-table').getByRole('link', { name, exact: true }).waitFor()
  }
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
