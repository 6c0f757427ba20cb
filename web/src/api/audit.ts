// The audit log (centre admin and supervisors): who did what, to what, when and from where.
import { api, unwrap } from './client'
import type { components, operations } from './schema'

export type AuditPage = components['schemas']['AuditPage']
export type AuditRecord = components['schemas']['AuditRecord']
export type AuditQuery = NonNullable<operations['list_audit']['parameters']['query']>

/** One page, newest first; `before` is the page before's `next_before`. */
export function listAudit(query: AuditQuery): Promise<AuditPage> {
  return unwrap(api.GET('/api/v1/audit', { params: { query } }))
}
