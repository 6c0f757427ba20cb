// Switching to English changes the whole chrome, and the choice survives a reload.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newPage, screenshot, specSession } from '../lib/browser.mjs'

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/

const spec = specSession()

test('English shows no Chinese in the navigation, the page chrome or Element Plus', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/')
  await page.getByTestId('nav').getByText('办事指南').waitFor()
  await page.getByTestId('lang-en').click()
  const nav = page.getByTestId('nav')
  await nav.getByText('Service guides').waitFor()
  for (const label of ['Home', 'Track a case', 'Window staff', 'Log in']) await nav.getByText(label).waitFor()
  assert.doesNotMatch(await nav.innerText(), CJK)
  const themes = page.getByTestId('themes')
  await themes.getByText('Social services').waitFor()
  assert.doesNotMatch(await themes.innerText(), CJK)
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
  await screenshot(page, 'portal-home-en')

  // Remembered across a reload; the item list's Element Plus texts follow too.
  await page.goto('/items?q=zzzz-no-such-item')
  await page.getByTestId('nav').getByText('Service guides').waitFor()
  await page.getByText('No service matches; change the filters').waitFor()
  assert.doesNotMatch(await page.locator('main').innerText(), CJK)
  await page.context().close()
})

test('Chinese is the default and shows no English chrome', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/progress')
  const nav = page.getByTestId('nav')
  await nav.getByText('进度查询').waitFor()
  assert.doesNotMatch(await nav.innerText(), /[A-Za-z]/)
  await page.context().close()
})
