// Each hall's opening hours: the centre admin gives a community station Saturday and Sunday
// sessions (a Sunday session that closes as it opens is refused under its row), and the portal
// shows every hall's week, at desk and phone size, as the server laid it out on the calendar.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PHONE, newPage, screenshot, specSession } from '../lib/browser.mjs'
import { staffPage } from '../lib/cases.mjs'

const spec = specSession()
const HALL = 'H-XH'

/** A day's row in a list of days. */
const dayRow = (scope, date) => scope.getByTestId(`day-${date}`)

test('the admin sets a station’s weekend hours; a bad session is refused under its row', async () => {
  const page = await staffPage(spec.browser, spec.baseUrl, 'admin')
  await page.goto('/workbench/admin/organisation?tab=hours')
  await page.getByTestId('hours-form').waitFor()
  await page.getByTestId('hours-hall').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '新华社区服务站服务大厅' }).click()
  await page.getByTestId('hours-working-0-opens').waitFor()
  assert.equal(await page.getByTestId('hours-saturday').getByText('不开放').count(), 1, 'the station has no Saturday yet')

  await page.getByTestId('hours-saturday-add').click()
  await page.getByTestId('hours-sunday-add').click()
  // A second Sunday session starts where the first ends, closing as it opens: the server refuses.
  await page.getByTestId('hours-sunday-add').click()
  await page.getByTestId('hours-save').click()
  const error = page.locator('.el-form-item', { has: page.getByTestId('hours-sunday-1-opens') }).locator('.el-form-item__error')
  await error.getByText('结束时间须晚于开始时间').waitFor()
  await page.getByTestId('hours-sunday-1-remove').click()
  await page.getByTestId('hours-save').click()
  await page.locator('.el-message', { hasText: '已保存' }).waitFor()

  // The preview is the server's two weeks: every Saturday or Sunday it opens shows 09:00–12:00.
  const answer = await (await page.request.get(`/api/v1/opening-hours/${HALL}?days=14`)).json()
  assert.deepEqual(answer.hours.saturday, [{ opens: '09:00', closes: '12:00' }])
  const preview = page.getByTestId('hours-preview')
  for (const day of answer.days) {
    const row = dayRow(preview, day.date)
    await row.waitFor()
    if (day.type === 'weekend') assert.match(await row.innerText(), /09:00–12:00/)
    if (day.type === 'holiday') assert.match(await row.innerText(), /休息/)
  }
  await screenshot(page, 'admin-opening-hours')
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

for (const [size, options, shot] of [
  ['a desk', {}, 'portal-halls'],
  ['a phone', PHONE, 'phone-halls'],
]) {
  test(`the portal shows every hall’s week on ${size}`, async () => {
    const page = await newPage(spec.browser, spec.baseUrl, options)
    // An item's guide leads to the halls' week beside its own office hours.
    await page.goto('/items/440511-RSJ-005')
    await page.getByTestId('guide-halls').click()
    await page.waitForURL('**/halls')
    const halls = page.getByTestId('halls')
    await halls.getByTestId('hall-H1').waitFor()
    const week = await (await page.request.get('/api/v1/opening-hours?days=7')).json()
    assert.equal(await halls.locator('article').count(), week.length)
    const h1 = week.find((h) => h.hall === 'H1')
    const card = halls.getByTestId('hall-H1')
    assert.match(await card.innerText(), /金平区行政服务中心/)
    const today = h1.days[0]
    const todayLine = await card.getByTestId('hall-today').innerText()
    assert.match(todayLine, today.sessions.length ? new RegExp(`今日开放：${today.sessions[0].opens}`) : /今日不开放/)
    for (const day of h1.days) {
      const text = await dayRow(card, day.date).innerText()
      for (const s of day.sessions) assert.ok(text.includes(`${s.opens}–${s.closes}`), `${day.date}: ${text}`)
      if (!day.sessions.length) assert.match(text, /休息/)
    }
    // The centre's own hall comes first; a level shows only its halls.
    assert.equal(await halls.locator('article').first().getAttribute('data-testid'), 'hall-H1')
    if (options !== PHONE) {
      await page.getByTestId('hall-levels').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '社区服务站' }).click()
      await halls.getByTestId('hall-H1').waitFor({ state: 'detached' })
      assert.ok((await halls.locator('article').count()) >= 1)
      await halls.getByTestId('hall-H-XH').waitFor()
      await page.getByTestId('hall-levels').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '全部' }).click()
      await halls.getByTestId('hall-H1').waitFor()
    }
    if (options === PHONE) {
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(width <= 390, `the page is ${width}px wide on a 390px phone`)
    }
    await screenshot(page, shot)
    assert.deepEqual(page.errors, [])
    await page.context().close()
  })
}
