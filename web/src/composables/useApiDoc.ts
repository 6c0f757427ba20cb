// The OpenAPI document the server serves, loaded once per visit of the API reference and indexed
// for it: operations by tag, by anchor, and the component schemas.
import { computed, provide, inject, type ComputedRef, type InjectionKey } from 'vue'
import { useRequest } from './useRequest'
import { loadApiDocument } from '../api/apiDocs'
import { indexDocument } from '../lib/apiIndex'
import type { OpenApiDocument } from '../lib/openapi'

export function useApiDoc() {
  const request = useRequest(loadApiDocument)
  const index = computed(() => (request.data.value ? indexDocument(request.data.value) : undefined))
  return { ...request, index }
}

/** The document, for the components deep in the page that resolve `$ref`s (SchemaView, TryIt). */
const DOC: InjectionKey<ComputedRef<OpenApiDocument>> = Symbol('openapi-document')

export function provideApiDocument(doc: ComputedRef<OpenApiDocument>) {
  provide(DOC, doc)
}

export function useApiDocument(): ComputedRef<OpenApiDocument> {
  const doc = inject(DOC)
  if (!doc) throw new Error('useApiDocument() outside the API reference page')
  return doc
}
