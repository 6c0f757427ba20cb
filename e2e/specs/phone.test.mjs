// Every citizen page on a phone (390×844): nothing wider than the screen, the header's menu,
// the materials and case list as cards, an upload from the phone, and the 适老化 switch.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newPage, screenshot, specSession, PHONE } from '../lib/browser.mjs'
import { APPLICANTS, applicantPage, applyOnline, waitStatus } from '../lib/cases.mjs'

const spec = specSession()
const WIDTH = PHONE.viewport.width
/** The applicant of this spec (an enterprise: the demo item is for enterprises). */
const PHONE_USER = APPLICANTS[5]

/**
 * Nothing on the page is wider than the screen. A phone zooms out to show a page that is too
 * wide, and `innerWidth` grows with it, so the page's width is held to the screen's, not to it.
 */
async function fitsScreen(page, name) {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }))
  assert.ok(scroll <= WIDTH, `${name}: the page is ${scroll} px wide on a ${WIDTH} px screen`)
  assert.equal(inner, WIDTH, `${name}: the browser zoomed out`)
}

/** A tap target at least `min` CSS pixels tall (and wide). */
async function tappable(locator, min = 40) {
  const box = await locator.boundingBox()
  assert.ok(box && box.height >= min && box.width >= min, `a target of ${box?.width}×${box?.height} px is too small for a finger`)
}

/** Opens the header's menu (the drawer) and resolves to it. */
async function openMenu(page) {
  await page.getByTestId('nav-menu-button').click()
  const drawer = page.getByTestId('nav-drawer')
  await drawer.getByTestId('drawer-nav-home').waitFor()
  return drawer
}

/** Chooses `testid` in the header's menu; the menu closes as the page opens. */
async function goByMenu(page, testid, url) {
  const drawer = await openMenu(page)
  await drawer.getByTestId(testid).click()
  await page.waitForURL(url)
  await drawer.waitFor({ state: 'hidden' })
}

test('the public pages fit a phone, and the header folds into a menu', async () => {
  const page = await newPage(spec.browser, spec.baseUrl, PHONE)
  await page.goto('/')
  await page.getByTestId('theme-social_livelihood').getByText(/\d+ 个事项/).waitFor()
  // The bar keeps the brand and a menu button; the links and switches wait in the menu.
  assert.equal(await page.getByTestId('nav').count(), 0)
  await tappable(page.getByTestId('nav-menu-button'))
  await fitsScreen(page, 'home')
  await screenshot(page, 'phone-home')

  const drawer = await openMenu(page)
  for (const label of ['首页', '办事指南', '进度查询', '窗口人员公示', '登录', '适老模式']) await drawer.getByText(label, { exact: true }).waitFor()
  await drawer.getByTestId('lang-en').waitFor()
  await tappable(drawer.getByTestId('drawer-nav-items'))
  await tappable(drawer.getByTestId('elderly-switch'))
  await screenshot(page, 'phone-menu')
  await drawer.getByTestId('drawer-nav-items').click()
  await page.waitForURL(/\/items$/)
  await drawer.waitFor({ state: 'hidden' })

  // The catalogue: one card per item; a search narrows it.
  const list = page.getByTestId('item-list')
  await list.locator('li').first().waitFor()
  await fitsScreen(page, 'items')
  await page.getByTestId('filter-q').fill('就业创业证')
  await page.getByTestId('filter-submit').click()
  await page.waitForURL(/\/items\?q=/)
  const item = list.getByRole('link', { name: '《就业创业证》申领' })
  await item.waitFor()
  await fitsScreen(page, 'items filtered')
  await screenshot(page, 'phone-items')

  // The guide: the ten public elements, then the materials as cards.
  await item.click()
  await page.waitForURL(/\/items\/440511-RSJ-001$/)
  await page.getByTestId('guide-title').getByText('《就业创业证》申领').waitFor()
  const materials = page.getByTestId('material-cards')
  await materials.getByText('申请人居民身份证').waitFor()
  await materials.getByRole('link', { name: '空白表格' }).first().waitFor()
  await fitsScreen(page, 'guide')
  await screenshot(page, 'phone-guide')
  await materials.scrollIntoViewIfNeeded()
  await page.evaluate(() => window.scrollBy(0, -70))
  await screenshot(page, 'phone-guide-materials', { scrolled: true })

  // The progress query, its client-side check shown at the field.
  await goByMenu(page, 'drawer-nav-progress', /\/progress$/)
  await page.getByTestId('progress-number').fill('440511-20261121-0001238')
  await page.getByTestId('progress-phone').fill('8295')
  await page.getByTestId('progress-submit').click()
  await page.getByTestId('field-number').locator('.el-form-item__error').getByText('办件编号校验位不正确，请核对是否抄错').waitFor()
  await fitsScreen(page, 'progress')
  await screenshot(page, 'phone-progress')

  // Log-in, then registration from its applicant tab.
  await goByMenu(page, 'drawer-login', /\/login$/)
  await page.getByRole('tab', { name: '申请人', exact: true }).click()
  await page.getByTestId('login-phone').waitFor()
  await fitsScreen(page, 'login')
  await screenshot(page, 'phone-login')
  await page.getByTestId('login-to-register').click()
  await page.waitForURL(/\/register/)
  await page.getByTestId('register-send-code').waitFor()
  await fitsScreen(page, 'register')
  await tappable(page.getByTestId('register-send-code'))
  await screenshot(page, 'phone-register')

  // The window staff board: one card a row.
  await goByMenu(page, 'drawer-nav-staff', /\/staff$/)
  await page.getByTestId('staff-board').locator('article').first().waitFor()
  await fitsScreen(page, 'staff board')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('an applicant applies online, uploads from the phone and follows the case', async () => {
  const page = await applicantPage(spec.browser, spec.baseUrl, PHONE_USER, PHONE)
  const number = await applyOnline(page, {
    draftShot: async (p) => {
      // The draft: a card per material with its upload button, the missing list, 提交申请.
      const cards = p.getByTestId('draft-materials').getByTestId('materials-cards')
      await cards.locator('li').first().waitFor()
      assert.equal(await p.getByTestId('draft-materials').getByTestId('materials-table').count(), 0)
      await fitsScreen(p, 'draft')
      // The chooser offers the camera and still lets a PDF be picked: no `capture`.
      const input = cards.locator('input[type=file]').first()
      const accept = (await input.getAttribute('accept')).split(',')
      for (const kind of ['image/*', 'application/pdf']) assert.ok(accept.includes(kind), `accept="${accept}" lacks ${kind}`)
      assert.equal(await input.getAttribute('capture'), null)
      await tappable(cards.locator('button[data-testid^=upload-]').first())
      await screenshot(p, 'phone-my-case')
      await p.getByTestId('draft-missing').scrollIntoViewIfNeeded()
      await p.evaluate(() => window.scrollBy(0, -60))
      await screenshot(p, 'phone-draft', { scrolled: true })
    },
  })

  // Sent: what to do next says it waits for the window.
  await waitStatus(page, 'submitted')
  await page.getByTestId('next-step').locator('[data-testid=next-line]').getByText('申请已提交').waitFor()
  // The 已提交申请 toast would cover the header. It stays while the pointer rests on it, and the
  // tap on the full-width 提交申请 left the pointer where the toast shows; move it away.
  await page.mouse.move(5, PHONE.viewport.height - 5)
  await page.locator('.el-message').waitFor({ state: 'detached' })
  await fitsScreen(page, 'submitted case')
  await screenshot(page, 'phone-next')

  // My cases: a card per case; its link opens the case.
  await goByMenu(page, 'drawer-me', /\/my$/)
  const open = page.getByTestId('my-cases').getByTestId(`open-${number}`)
  await page.getByTestId('my-cases').locator('li').first().waitFor()
  for (let i = 0; i < 20 && !(await open.isVisible()); i++) {
    const more = page.getByTestId('load-more')
    if (!(await more.isVisible())) break
    await more.click()
    await page.waitForTimeout(300)
  }
  await open.waitFor({ timeout: 2000 })
  await fitsScreen(page, 'my cases')
  await screenshot(page, 'phone-my-cases')
  await open.click()
  await page.waitForURL(new RegExp(`/my/cases/${number}$`))
  await page.getByTestId('case-steps').waitFor()
  await fitsScreen(page, 'one case')

  // The same case through the public progress query (the account's pages link home only).
  await goByMenu(page, 'drawer-nav-home', /\/$/)
  await goByMenu(page, 'drawer-nav-progress', /\/progress$/)
  await page.getByTestId('progress-number').fill(number)
  await page.getByTestId('progress-phone').fill(PHONE_USER.slice(-4))
  await page.getByTestId('progress-submit').click()
  await page.getByTestId('progress-result').getByText(number).waitFor()
  await page.getByTestId('progress-status').waitFor()
  await fitsScreen(page, 'progress result')
  await screenshot(page, 'phone-progress-result')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('the large-text mode is one switch in the menu, remembered across a reload', async () => {
  const page = await applicantPage(spec.browser, spec.baseUrl, PHONE_USER, PHONE)
  const created = await page.request.post('/api/v1/cases', { data: { item: '440511-RSJ-005' } })
  assert.equal(created.status(), 201, await created.text())
  const { number } = await created.json()
  const elderly = () =>
    page.evaluate(() => ({
      on: document.documentElement.classList.contains('ow-elderly'),
      size: parseFloat(getComputedStyle(document.body).fontSize),
    }))

  await page.goto('/')
  await page.getByTestId('themes').waitFor()
  const before = await elderly()
  assert.equal(before.on, false)
  const drawer = await openMenu(page)
  const toggle = drawer.getByTestId('elderly-switch')
  assert.equal(await toggle.getAttribute('aria-checked'), 'false')
  await toggle.click()
  assert.equal(await toggle.getAttribute('aria-checked'), 'true')
  const after = await elderly()
  assert.equal(after.on, true)
  assert.ok(after.size >= before.size + 3, `the text grew from ${before.size} px to only ${after.size} px`)
  await page.keyboard.press('Escape')
  await drawer.waitFor({ state: 'hidden' })

  // Remembered: a reload (and any page after it) keeps it, and every page still fits.
  await page.reload()
  await page.getByTestId('themes').waitFor()
  assert.deepEqual(await elderly(), after)
  await fitsScreen(page, 'home, large text')
  await screenshot(page, 'phone-elderly')
  for (const [path, ready] of [
    ['/items/440511-RSJ-005', 'guide-title'],
    ['/progress', 'progress-number'],
    ['/my', 'my-cases'],
    [`/my/cases/${number}`, 'draft-missing'],
  ]) {
    await page.goto(path)
    await page.getByTestId(ready).first().waitFor()
    await fitsScreen(page, `${path}, large text`)
  }
  await screenshot(page, 'phone-elderly-case')

  // Off again from the menu, and that is remembered too.
  const again = await openMenu(page)
  await again.getByTestId('elderly-switch').click()
  await page.reload()
  await page.getByTestId('case-header').waitFor()
  assert.deepEqual(await elderly(), before)
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('on a desktop the header keeps its links, with the large-text switch beside the language', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/')
  const nav = page.getByTestId('nav')
  for (const label of ['首页', '办事指南', '进度查询', '窗口人员公示', '登录']) await nav.getByText(label, { exact: true }).waitFor()
  assert.equal(await page.getByTestId('nav-menu-button').count(), 0)
  const toggle = page.getByTestId('elderly-switch')
  await toggle.click()
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('ow-elderly')), true)
  assert.equal(await page.evaluate(() => localStorage.getItem('ow.elderly')), '1')
  await toggle.click()
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('ow-elderly')), false)
  assert.equal(await page.evaluate(() => localStorage.getItem('ow.elderly')), null)
  await page.context().close()
})
