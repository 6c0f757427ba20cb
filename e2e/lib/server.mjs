// Starts the real OneWindow server for the browser tests: build (cargo, debug), seed the demo
// centre into a fresh SQLite file, serve on a free port, wait for /readyz. The binary serves
// web/dist itself (a debug build reads it from disk), so web/dist must be built first.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname, resolve } from 'node:path'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const WEB_DIST = join(ROOT, 'web', 'dist')
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target')
const BIN = process.env.ONEWINDOW_BIN ?? join(TARGET, 'debug', 'onewindow')

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })
}

function run(cmd, args, opts = {}) {
  return new Promise((ok, fail) => {
    const p = spawn(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts })
    p.once('error', fail)
    p.once('exit', (code, signal) =>
      code === 0 ? ok() : fail(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}`)),
    )
  })
}

async function waitReady(base, child, ms = 60_000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`onewindow serve exited with ${child.exitCode}`)
    try {
      const r = await fetch(`${base}/readyz`)
      if (r.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${base}/readyz did not answer within ${ms} ms`)
}

/**
 * Builds and starts everything; resolves to { baseUrl, smsOutbox, stop }. Set E2E_SKIP_BUILD=1 (or
 * ONEWINDOW_BIN) to use an existing binary.
 */
export async function startServer({ cases = 300 } = {}) {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`${WEB_DIST}/index.html is missing: run \`npm run build\` in web/ (or \`make web\`) first`)
  }
  if (!process.env.ONEWINDOW_BIN && process.env.E2E_SKIP_BUILD !== '1') {
    await run('cargo', ['build', '-p', 'onewindow-server'])
  }
  const dir = mkdtempSync(join(tmpdir(), 'onewindow-e2e-'))
  const database = `sqlite://${join(dir, 'e2e.db')}`
  // The development data key is written next to the database file, inside `dir`.
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' }
  delete env.DATABASE_URL
  await run(BIN, ['seed', 'demo', '--cases', String(cases), '--database', database], { env })

  const port = await freePort()
  // Text messages (verification codes) land in this file; specs read it (readTextMessages).
  const smsOutbox = join(dir, 'sms.jsonl')
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--database', database, '--sms-outbox', smsOutbox]
  const child = spawn(BIN, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] })
  const baseUrl = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitReady(baseUrl, child)
    return { baseUrl, smsOutbox, stop }
  } catch (e) {
    await stop()
    throw e
  }
}

/** The text messages the server sent so far, oldest first: `{ at_ms, to, text }`. */
export function readTextMessages(smsOutbox) {
  if (!existsSync(smsOutbox)) return []
  return readFileSync(smsOutbox, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l))
}

/** The six-digit code of the last text message sent to a masked number. */
export function lastCode(smsOutbox, masked) {
  const mine = readTextMessages(smsOutbox).filter((m) => m.to === masked)
  if (mine.length === 0) throw new Error(`no text message to ${masked}`)
  return mine.at(-1).text.match(/\d{6}/)[0]
}
