// One error type for everything the API can answer: application/problem+json (docs/API-DESIGN.md),
// a network failure, or a response that is not a problem at all.
import { zhCN } from '../locales/zh-CN'
import { en } from '../locales/en'

export interface FieldProblem {
  field: string
  code: string
  message_zh: string
  message_en: string
}

/** What both ApiProblem and FieldProblem carry: a message in each language. */
export interface Bilingual {
  message_zh: string
  message_en: string
}

export class ApiProblem extends Error implements Bilingual {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string
  readonly message_zh: string
  readonly message_en: string
  readonly errors: FieldProblem[]

  constructor(p: {
    status: number
    code: string
    title?: string
    detail?: string
    message_zh: string
    message_en: string
    errors?: FieldProblem[]
  }) {
    super(p.message_en)
    this.name = 'ApiProblem'
    this.status = p.status
    this.code = p.code
    this.title = p.title ?? ''
    this.detail = p.detail ?? p.message_en
    this.message_zh = p.message_zh
    this.message_en = p.message_en
    this.errors = p.errors ?? []
  }

  /** The body of a failed response, with the status it came with. */
  static fromResponse(status: number, body: unknown): ApiProblem {
    if (isProblemBody(body)) {
      return new ApiProblem({
        status: typeof body.status === 'number' ? body.status : status,
        code: body.code,
        title: typeof body.title === 'string' ? body.title : undefined,
        detail: typeof body.detail === 'string' ? body.detail : undefined,
        message_zh: body.message_zh,
        message_en: body.message_en,
        errors: Array.isArray(body.errors) ? body.errors.filter(isFieldProblem) : [],
      })
    }
    return ApiProblem.unexpected(status)
  }

  static network(): ApiProblem {
    return new ApiProblem({
      status: 0,
      code: 'network_error',
      message_zh: zhCN.errors.network,
      message_en: en.errors.network,
    })
  }

  static unexpected(status: number): ApiProblem {
    const fill = (s: string) => s.replace('{status}', String(status))
    return new ApiProblem({
      status,
      code: 'unexpected_response',
      message_zh: fill(zhCN.errors.unexpected),
      message_en: fill(en.errors.unexpected),
    })
  }

  /** The field error for `field`, if the server named one. */
  fieldError(field: string): FieldProblem | undefined {
    return this.errors.find((e) => e.field === field)
  }
}

/** The message for the reader's language: Chinese for zh*, English otherwise. */
export function problemMessage(p: Bilingual, locale: string): string {
  const zh = locale.toLowerCase().startsWith('zh')
  const first = zh ? p.message_zh : p.message_en
  return first || (zh ? p.message_en : p.message_zh)
}

/** Anything caught from an API call, as an ApiProblem (a bug in our code stays visible in the console). */
export function toProblem(e: unknown): ApiProblem {
  if (e instanceof ApiProblem) return e
  if (e instanceof TypeError) return ApiProblem.network()
  console.error(e)
  return ApiProblem.unexpected(0)
}

function isFieldProblem(v: unknown): v is FieldProblem {
  const o = v as Record<string, unknown> | null
  return (
    !!o &&
    typeof o.field === 'string' &&
    typeof o.code === 'string' &&
    typeof o.message_zh === 'string' &&
    typeof o.message_en === 'string'
  )
}

function isProblemBody(
  v: unknown,
): v is { code: string; message_zh: string; message_en: string; status?: unknown; title?: unknown; detail?: unknown; errors?: unknown } {
  const o = v as Record<string, unknown> | null
  return !!o && typeof o === 'object' && typeof o.code === 'string' && typeof o.message_zh === 'string' && typeof o.message_en === 'string'
}
