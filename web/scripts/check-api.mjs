// Fails when src/api/schema.ts is not what openapi-typescript makes of openapi.json, i.e. when
// someone changed the OpenAPI document without `npm run gen:api` (or edited the output by hand).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const web = join(dirname(fileURLToPath(import.meta.url)), '..')
const committed = join(web, 'src/api/schema.ts')
const dir = mkdtempSync(join(tmpdir(), 'ow-api-'))
const fresh = join(dir, 'schema.ts')
try {
  // The same flags as `gen:api` in package.json.
  execFileSync(
    process.execPath,
    [join(web, 'node_modules/openapi-typescript/bin/cli.js'), join(web, 'openapi.json'), '--enum-values', '-o', fresh],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  let current
  try {
    current = readFileSync(committed, 'utf8')
  } catch {
    console.error('check:api: web/src/api/schema.ts is missing; run `npm run gen:api` in web/')
    process.exit(1)
  }
  if (readFileSync(fresh, 'utf8') !== current) {
    console.error(
      'check:api: web/src/api/schema.ts is out of date with web/openapi.json.\n' +
        '  Run `npm run gen:api` in web/, then fix the modules in web/src/api/ that no longer type-check.',
    )
    process.exit(1)
  }
  console.log('check:api: src/api/schema.ts matches openapi.json')
} finally {
  rmSync(dir, { recursive: true, force: true })
}
