// Catalogue administration (centre admins): an item's next version as a draft, publishing it as a
// new version, the versions, and the windows that accept the item.
import { api, unwrap, unwrapEmpty, type Ok } from './client'
import type { ItemDefinition } from '../lib/itemDefinition'
import { ApiProblem } from '../lib/problem'

export type ItemDraftSummary = Ok<'/api/v1/item-drafts', 'get'>[number]
export type ItemDraft = Ok<'/api/v1/items/{code}/draft', 'get'>
export type ItemVersionInfo = Ok<'/api/v1/items/{code}/versions', 'get'>[number]
export type ItemWindow = Ok<'/api/v1/items/{code}/windows', 'get'>[number]

const at = (code: string) => ({ params: { path: { code } } })

export function listItemDrafts(): Promise<ItemDraftSummary[]> {
  return unwrap(api.GET('/api/v1/item-drafts'))
}

/** The answer, or null when the server says there is no such thing (404). */
export async function ifFound<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 404) return null
    throw e
  }
}

/** The item's draft, or null when it has none (the editor then starts from the current version). */
export function getItemDraft(code: string): Promise<ItemDraft | null> {
  return ifFound(unwrap(api.GET('/api/v1/items/{code}/draft', at(code))))
}

export function saveItemDraft(code: string, definition: ItemDefinition): Promise<ItemDraft> {
  return unwrap(api.PUT('/api/v1/items/{code}/draft', { ...at(code), body: definition }))
}

export function deleteItemDraft(code: string): Promise<void> {
  return unwrapEmpty(api.DELETE('/api/v1/items/{code}/draft', at(code)))
}

export function listItemVersions(code: string): Promise<ItemVersionInfo[]> {
  return unwrap(api.GET('/api/v1/items/{code}/versions', at(code)))
}

export function publishItem(code: string): Promise<{ code: string; version: number }> {
  return unwrap(api.POST('/api/v1/items/{code}/versions', at(code)))
}

export function listItemWindows(code: string): Promise<ItemWindow[]> {
  return unwrap(api.GET('/api/v1/items/{code}/windows', at(code)))
}

export function updateItemWindows(code: string, windows: string[]): Promise<ItemWindow[]> {
  return unwrap(api.PUT('/api/v1/items/{code}/windows', { ...at(code), body: { windows } }))
}
