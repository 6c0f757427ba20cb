// Cases (办件): the public progress query, the caller's inbox and its counts, one case with its
// event log, online drafts, and every transition through the one actions endpoint.
import { api, unwrap, type Ok } from './client'
import { caseStatusValues, lightValues, type components, type paths } from './schema'
import type { AssignmentFilter } from './assignments'

type Schemas = components['schemas']

export type Progress = Ok<'/api/v1/progress', 'get'>
export type CaseStatus = Schemas['CaseStatus']
export type Light = Schemas['Light']
export type InboxPage = Ok<'/api/v1/cases', 'get'>
export type InboxRow = InboxPage['items'][number]
export type StatusCount = Schemas['StatusCount']
export type CaseDetail = Ok<'/api/v1/cases/{number}', 'get'>
export type CaseEvent = CaseDetail['events'][number]
export type StepView = CaseDetail['steps'][number]
export type Command = Schemas['Command']
export type ActionResult = Schemas['ActionResult']
export type CaseCreated = Schemas['CaseCreated']
export type SupplementItem = Schemas['SupplementItem']
export type WaiveRequest = Schemas['WaiveRequest']
export type SpecialProcedure = Schemas['SpecialProcedure']
export type SpecialProcedureLimit = Schemas['SpecialProcedureLimit']
export type Recommendation = Schemas['Recommendation']
export type Decision = Schemas['Decision']
export type ReturnTarget = Schemas['ReturnTarget']
export type MaterialProblem = Schemas['MaterialProblem']
export type IssueMethod = Schemas['IssueMethod']

/** Every case status, in the order a case moves through them (for tabs and filters). */
export const CASE_STATUSES = caseStatusValues
export const LIGHTS = lightValues
/** A desk of the workbench: which statuses its counts answer. */
export type Desk = NonNullable<NonNullable<paths['/api/v1/cases/counts']['get']['parameters']['query']>['desk']>

export function getProgress(number: string, phoneLast4: string): Promise<Progress> {
  return unwrap(api.GET('/api/v1/progress', { params: { query: { number, phone_last4: phoneLast4 } } }))
}

export interface InboxFilter {
  status?: CaseStatus
  /** A case number, an applicant's ID or phone number, or part of their name. */
  q?: string
  /** Back office: only the steps assigned to the caller, or to nobody yet. */
  assignment?: AssignmentFilter
  light?: Light
  item?: string
  department?: string
  window?: string
  /** Submitted on or after, `YYYY-MM-DD`. */
  from?: string
  /** Submitted on or before, `YYYY-MM-DD`. */
  to?: string
}

/** One page of the caller's inbox (scope decided by the server), sorted by deadline. */
export function listCases(filter: InboxFilter = {}, cursor?: string, limit = 20): Promise<InboxPage> {
  // Empty filters are left out rather than sent empty.
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(filter)) if (typeof v === 'string' && v.trim()) clean[k] = v.trim()
  const query: InboxFilter & { cursor?: string; limit: number } = { ...(clean as InboxFilter), limit }
  if (cursor) query.cursor = cursor
  return unwrap(api.GET('/api/v1/cases', { params: { query } }))
}

/**
 * Every status of the desk that the caller's inbox can hold, in the order a case moves through
 * them, each with its count (zeros included): the desk's tabs; optionally only as assigned.
 */
export function countCases(desk: Desk, assignment?: AssignmentFilter): Promise<StatusCount[]> {
  return unwrap(api.GET('/api/v1/cases/counts', { params: { query: { desk, assignment } } }))
}

export function getCase(number: string): Promise<CaseDetail> {
  return unwrap(api.GET('/api/v1/cases/{number}', { params: { path: { number } } }))
}

/**
 * A new case of `item` (201 Created): an applicant's online draft, or, when a clerk names the
 * `applicant`, an application registered and submitted at the clerk's window.
 */
export function createCase(item: string, applicant?: string): Promise<CaseCreated> {
  return unwrap(api.POST('/api/v1/cases', { body: applicant ? { item, applicant } : { item } }))
}

/** Which printable notice: the server's list (acceptance, refusal, supplement, decision). */
export type NoticeKind = paths['/api/v1/cases/{number}/notices/{kind}']['get']['parameters']['path']['kind']

/** The printable notice of a decision on a case (a PDF the server renders; needs the session). */
export function noticeUrl(number: string, kind: NoticeKind): string {
  return `/api/v1/cases/${encodeURIComponent(number)}/notices/${kind}`
}

/** Any transition of a case; the server decides whether the caller may. */
export function actOnCase(number: string, command: Command): Promise<ActionResult> {
  return unwrap(api.POST('/api/v1/cases/{number}/actions', { params: { path: { number } }, body: command }))
}
