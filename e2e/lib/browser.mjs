// One Chromium per spec file (Debian's, at /usr/bin/chromium), pages at 1440×900 (or a phone's
// 390×844), and the screenshots every spec leaves in docs/screenshots/.
import { before, after } from 'node:test'
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, startServer } from './server.mjs'

export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots')
export const PASSWORD = 'OneWindow@2026'

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/**
 * The server for a spec: the one run.mjs started (E2E_BASE_URL), or one of its own when a spec
 * file is run alone (`node --test specs/portal.test.mjs`).
 */
export async function server() {
  if (process.env.E2E_BASE_URL) {
    return { baseUrl: process.env.E2E_BASE_URL, smsOutbox: process.env.E2E_SMS_OUTBOX, stop: async () => {} }
  }
  return startServer()
}

/**
 * The server and the browser all tests of a spec file share: started before its first test,
 * stopped after its last. Tests read `spec.browser`, `spec.baseUrl` and `spec.smsOutbox`; `prepare(spec)`, when
 * given, runs once they are up (root hooks of a file do not wait for each other).
 */
export function specSession(prepare) {
  const spec = { browser: undefined, baseUrl: undefined, smsOutbox: undefined }
  let srv
  before(async () => {
    srv = await server()
    spec.baseUrl = srv.baseUrl
    spec.smsOutbox = srv.smsOutbox
    spec.browser = await launch()
    await prepare?.(spec)
  })
  after(async () => {
    await spec.browser?.close()
    await srv?.stop()
  })
  return spec
}

/**
 * A phone's screen, for `newPage(browser, baseUrl, PHONE)`: 390×844 CSS pixels, touch, the mobile
 * viewport rules (`<meta name=viewport>` counts). One device pixel per CSS pixel keeps the
 * screenshots small.
 */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }

/**
 * A fresh browser context (no cookies, no localStorage) and page at 1440×900, in Chinese;
 * `options` (e.g. PHONE) override the context's settings.
 */
export async function newPage(browser, baseUrl, options = {}) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...options,
  })
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(e))
  // The server's Content-Security-Policy: anything it blocks is a fault of the page.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) errors.push(m.text())
  })
  page.errors = errors
  return page
}

/**
 * Saves docs/screenshots/<name>.png of the viewport, after fonts and spinners have settled. The
 * page is shown from its top (a focused field may have scrolled it) unless `{ scrolled: true }`.
 */
export async function screenshot(page, name, { scrolled = false } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.evaluate(() => document.fonts.ready)
  if (!scrolled) await page.evaluate(() => window.scrollTo(0, 0))
  await page.locator('.el-loading-mask').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {})
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled' })
}
