// `npm test`: starts one server for every spec, runs specs/*.test.mjs with node:test, stops it.
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from './lib/server.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const specs = readdirSync(join(here, 'specs'))
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
  .map((f) => join('specs', f))

const srv = await startServer()
console.log(`e2e: server at ${srv.baseUrl}`)
let code = 1
try {
  code = await new Promise((ok) => {
    const p = spawn(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2), ...specs], {
      cwd: here,
      stdio: 'inherit',
      env: { ...process.env, E2E_BASE_URL: srv.baseUrl, E2E_SMS_OUTBOX: srv.smsOutbox },
    })
    p.once('exit', (c) => ok(c ?? 1))
  })
} finally {
  await srv.stop()
}
process.exit(code)
