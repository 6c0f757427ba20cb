// The catalogue (事项) and its public guides (办事指南, 十公开).
import { api, unwrap, type Ok } from './client'
import { themeValues, type components } from './schema'

export type ItemSummary = Ok<'/api/v1/items', 'get'>[number]
export type ItemGuide = Ok<'/api/v1/items/{code}/guide', 'get'>
/** A material of an item's definition. */
export type Material = components['schemas']['Material']
/** A material as the guide lists it, with the forms it offers. */
export type GuideMaterial = ItemGuide['materials'][number]
export type Theme = components['schemas']['Theme']

/** The themes of the comprehensive windows, in the order the hall shows them. */
export const THEMES = themeValues

export function isTheme(v: unknown): v is Theme {
  return typeof v === 'string' && (THEMES as readonly string[]).includes(v)
}

export interface ItemFilter {
  theme?: Theme
  department?: string
  q?: string
  /** Only the items this window accepts. */
  window?: string
}

export function listItems(filter: ItemFilter = {}): Promise<ItemSummary[]> {
  // Empty filters are left out rather than sent empty.
  const query: ItemFilter = {}
  if (filter.theme) query.theme = filter.theme
  if (filter.department) query.department = filter.department
  if (filter.q?.trim()) query.q = filter.q.trim()
  if (filter.window) query.window = filter.window
  return unwrap(api.GET('/api/v1/items', { params: { query } }))
}

export function getItemGuide(code: string): Promise<ItemGuide> {
  return unwrap(api.GET('/api/v1/items/{code}/guide', { params: { path: { code } } }))
}

/** Where a material's blank or sample form (a PDF the server renders) is downloaded. */
export function formUrl(code: string, material: string, variant: 'blank' | 'sample'): string {
  return `/api/v1/items/${encodeURIComponent(code)}/forms/${encodeURIComponent(material)}/${variant}`
}

export type Item = Ok<'/api/v1/items/{code}', 'get'>
export type ItemDefinition = Item['definition']
export type ItemStep = ItemDefinition['steps'][number]

/** An item's current published definition: materials, workflow steps (role, department, time limit). */
export function getItem(code: string): Promise<Item> {
  return unwrap(api.GET('/api/v1/items/{code}', { params: { path: { code } } }))
}
