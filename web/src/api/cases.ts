// Cases (办件). For now the public progress query; the inboxes and actions come with the workbench.
import { api, unwrap, type Ok } from './client'

export type Progress = Ok<'/api/v1/progress', 'get'>
export type CaseStatus = Progress['status']

export function getProgress(number: string, phoneLast4: string): Promise<Progress> {
  return unwrap(api.GET('/api/v1/progress', { params: { query: { number, phone_last4: phoneLast4 } } }))
}
