// The API reference (接口文档) for integrators: read from the document the server serves, by tag,
// searchable, `$ref`s that lead to the schema, deep links, "try it" on a public GET, and a curl
// command (with the Origin the server checks) for what changes data. On a phone too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newPage, screenshot, specSession, PHONE } from '../lib/browser.mjs'

const spec = specSession()

/** The operation `method path` on the page (its first appearance). */
const operation = (page, method, path) => page.locator(`[data-testid="operation"][data-method="${method}"][data-path="${path}"]`).first()

/** Scrolls the element to the top of the window (for a screenshot of it). */
const toTop = (locator) => locator.evaluate((el) => el.scrollIntoView({ block: 'start' }))

/** Whether the element's top is within the window. */
async function inView(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect()
    return r.top >= -1 && r.top < window.innerHeight
  })
}

test('the API reference shows the live document, searches, follows a $ref and tries a public GET', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/')
  // Reached from the portal's footer.
  await page.getByTestId('footer-api-docs').click()
  await page.waitForURL(/\/developers\/api$/)
  await page.getByTestId('api-title').getByText('OneWindow API').waitFor()
  // The document the server serves now: its version, and the same operations.
  const served = await (await page.request.get('/api/openapi.json')).json()
  assert.match(await page.getByTestId('api-version').innerText(), new RegExp(served.info.version.replace(/\./g, '\\.')))
  const servedOps = Object.values(served.paths).reduce((n, item) => n + Object.keys(item).filter((k) => k !== 'parameters').length, 0)
  assert.match(await page.getByTestId('api-count').innerText(), new RegExp(`${servedOps}`))
  // Tags, in the order the document first names them, each with its operations.
  const tags = await page.getByTestId('tag-group').evaluateAll((els) => els.map((e) => e.dataset.tag))
  for (const tag of ['catalogue', 'cases', 'auth', 'organisation', 'health']) assert.ok(tags.includes(tag), `tag ${tag} in ${tags}`)
  const items = operation(page, 'get', '/api/v1/items')
  await items.waitFor()
  await items.getByText('公开').waitFor()
  await operation(page, 'post', '/api/v1/cases').getByText('需登录').waitFor()
  await page.mouse.move(0, 0) // no link under the pointer, highlighted
  await screenshot(page, 'api-docs')

  // The search filters by path, summary or tag, and the address keeps it.
  await page.getByTestId('api-search').fill('guide')
  await page.waitForURL(/[?&]q=guide/)
  assert.deepEqual(await page.getByTestId('operation').evaluateAll((els) => els.map((e) => `${e.dataset.method} ${e.dataset.path}`)), [
    'get /api/v1/items/{code}/guide',
  ])
  assert.deepEqual(await page.getByTestId('tag-group').evaluateAll((els) => els.map((e) => e.dataset.tag)), ['catalogue'])
  await page.getByTestId('api-search').fill('no such operation')
  await page.getByTestId('no-match').waitFor()
  await page.getByTestId('api-search').fill('GET /api/v1/items')
  await items.waitFor()

  // Opening an operation names it in the hash; its parameters, security and responses show.
  await items.locator('button.head').click()
  await page.waitForURL(/#op-list_items$/)
  await items.getByTestId('parameters').getByText('department', { exact: true }).waitFor()
  await items.getByTestId('security').getByText('公开，无需登录').waitFor()
  const ok = items.locator('[data-testid="responses"] [data-status="200"]')
  await ok.getByText('array[ItemSummary]').waitFor()
  await ok.getByTestId('schema-row').getByText('delegated', { exact: true }).waitFor()
  await items.locator('[data-status="4XX"]').getByTestId('schema-ref').getByText('Problem').waitFor()
  await toTop(items)
  await screenshot(page, 'api-docs-operation', { scrolled: true })

  // A $ref leads to the schema, opened, with its fields and the enum of the one it links on.
  await ok.getByTestId('schema-ref').filter({ hasText: 'ItemSummary' }).first().click()
  await page.waitForURL(/#schema-ItemSummary$/)
  const schema = page.locator('#schema-ItemSummary')
  await schema.getByTestId('schema-row').getByText('delegated', { exact: true }).waitFor()
  assert.ok(await inView(schema), 'the schema is scrolled to')
  await schema.getByTestId('schema-ref').filter({ hasText: 'Theme' }).click()
  await page.waitForURL(/#schema-Theme$/)
  await page.locator('#schema-Theme').getByTestId('schema-values').getByText('"social_livelihood"').waitFor()
  // Back returns to the schema before; its raw JSON is the second view.
  await page.goBack()
  await page.waitForURL(/#schema-ItemSummary$/)
  await schema.getByTestId('schema-raw-toggle').click()
  assert.match(await schema.getByTestId('schema-raw').innerText(), /"delegated": \{\s*"type": "boolean"/)
  await schema.getByTestId('schema-raw-toggle').click()
  await toTop(schema)
  await screenshot(page, 'api-docs-schema', { scrolled: true })

  // Try it: the catalogue list, filtered, answers 200 with JSON.
  const tryIt = items.getByTestId('try-it')
  await tryIt.getByTestId('try-param-q').fill('就业')
  assert.match(await tryIt.getByTestId('try-path').innerText(), /GET \/api\/v1\/items\?q=%E5%B0%B1%E4%B8%9A/)
  await tryIt.getByTestId('try-send').click()
  await tryIt.getByTestId('try-status').getByText(/^200/).waitFor()
  await tryIt.getByTestId('try-headers').getByText('application/json').waitFor()
  const body = JSON.parse(await tryIt.getByTestId('try-body').innerText())
  assert.ok(Array.isArray(body) && body.length > 0, 'the items found')
  assert.ok(body.some((i) => i.name.includes('就业')), JSON.stringify(body).slice(0, 200))
  await toTop(tryIt)
  await screenshot(page, 'api-docs-try-it', { scrolled: true })

  // A route for staff, tried without a session: the problem, as the server answers it.
  await page.getByTestId('api-search').fill('')
  const me = operation(page, 'get', '/api/v1/me')
  await me.locator('button.head').click()
  await me.getByTestId('try-send').click()
  await me.getByTestId('try-status').getByText(/^401/).waitFor()
  assert.match(await me.getByTestId('try-body').innerText(), /"code": "/)

  // Nothing that changes data is sent from the page: a curl command with the Origin instead.
  const create = operation(page, 'post', '/api/v1/cases')
  await create.locator('button.head').click()
  await create.getByTestId('request-body').getByText('item', { exact: true }).waitFor()
  assert.equal(await create.getByTestId('try-it').count(), 0)
  const curl = await create.getByTestId('curl').innerText()
  assert.ok(curl.startsWith(`curl -X POST '${spec.baseUrl}/api/v1/cases'`), curl)
  assert.ok(curl.includes(`-H 'Origin: ${spec.baseUrl}'`), curl)
  assert.ok(curl.includes('-b cookies.txt'), curl)
  assert.ok(curl.includes(`-H 'Content-Type: application/json'`), curl)
  assert.match(curl, /--data '\{\n\s+"item": "string"\n\}'/)
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('a link to an operation opens it where it is', async () => {
  const page = await newPage(spec.browser, spec.baseUrl)
  await page.goto('/developers/api#op-get_item_guide')
  const guide = operation(page, 'get', '/api/v1/items/{code}/guide')
  await guide.getByTestId('try-it').waitFor()
  await page.waitForFunction(() => {
    const r = document.getElementById('op-get_item_guide')?.getBoundingClientRect()
    return r && r.top >= -1 && r.top < 40
  })
  // The path parameter filled in, the guide of a real item answers.
  await guide.getByTestId('try-param-code').fill('440511-RSJ-001')
  await guide.getByTestId('try-send').click()
  await guide.getByTestId('try-status').getByText(/^200/).waitFor()
  assert.match(await guide.getByTestId('try-body').innerText(), /"implementation_code": "440511-RSJ-001"|"440511-RSJ-001"/)
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('the API reference fits a phone', async () => {
  const page = await newPage(spec.browser, spec.baseUrl, PHONE)
  await page.goto('/developers/api')
  await operation(page, 'get', '/api/v1/items').waitFor()
  const fits = async (what) => {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }))
    assert.ok(scroll <= PHONE.viewport.width, `${what}: the page is ${scroll} px wide`)
    assert.equal(inner, PHONE.viewport.width, `${what}: the browser zoomed out`)
  }
  await fits('the reference')
  await screenshot(page, 'phone-api-docs')

  const items = operation(page, 'get', '/api/v1/items')
  await items.locator('button.head').click()
  await items.getByTestId('try-param-q').fill('食品')
  await items.getByTestId('try-send').click()
  await items.getByTestId('try-status').getByText(/^200/).waitFor()
  await fits('an open operation')
  await toTop(items)
  await screenshot(page, 'phone-api-docs-operation', { scrolled: true })
  await toTop(items.getByTestId('try-it'))
  await screenshot(page, 'phone-api-docs-try-it', { scrolled: true })

  await items.locator('[data-status="200"]').getByTestId('schema-ref').filter({ hasText: 'ItemSummary' }).first().click()
  await page.waitForURL(/#schema-ItemSummary$/)
  await page.locator('#schema-ItemSummary').getByTestId('schema-row').first().waitFor()
  await fits('a schema')
  await screenshot(page, 'phone-api-docs-schema', { scrolled: true })
  assert.deepEqual(page.errors, [])
  await page.context().close()
})
