// A case's materials (材料): the item's list with each material's uploaded files and whether the
// caller may upload now; the upload (the file's bytes as application/octet-stream); a file's URL.
import { api, unwrap, type Ok } from './client'
import type { components } from './schema'

export type CaseMaterials = Ok<'/api/v1/cases/{number}/materials', 'get'>
export type CaseMaterial = CaseMaterials['materials'][number]
export type CaseFile = components['schemas']['CaseFile']

export function listCaseMaterials(number: string): Promise<CaseMaterials> {
  return unwrap(api.GET('/api/v1/cases/{number}/materials', { params: { path: { number } } }))
}

/** Uploads `file` for `material` of the case (201 with the stored file). */
export function uploadCaseFile(number: string, material: string, file: File): Promise<CaseFile> {
  return unwrap(
    api.POST('/api/v1/cases/{number}/materials/{material}/files', {
      params: { path: { number, material }, query: { name: file.name } },
      headers: { 'Content-Type': 'application/octet-stream' },
      // The body is the file itself, unchanged.
      body: file as unknown as string,
      bodySerializer: (body: unknown) => body as File,
    }),
  )
}

/** Where the browser reads one file (needs the session; images inline, PDF in its viewer). */
export function caseFileUrl(number: string, seq: number): string {
  return `/api/v1/cases/${encodeURIComponent(number)}/files/${seq}`
}
