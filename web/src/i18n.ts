import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import elZhCn from 'element-plus/es/locale/lang/zh-cn'
import elEn from 'element-plus/es/locale/lang/en'
import { zhCN, type MessageSchema } from './locales/zh-CN'
import { en } from './locales/en'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'
const STORAGE_KEY = 'ow.locale'

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v)
}

/** The remembered choice, else Chinese: the portal speaks Chinese first, whatever the browser says. */
export function initialLocale(storage: Pick<Storage, 'getItem'> | undefined): Locale {
  const saved = storage?.getItem(STORAGE_KEY)
  return isLocale(saved) ? saved : DEFAULT_LOCALE
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(typeof localStorage === 'undefined' ? undefined : localStorage),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, en },
})

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

export function setLocale(locale: Locale) {
  i18n.global.locale.value = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
  document.documentElement.lang = locale
}

/** Element Plus follows vue-i18n (used by <el-config-provider> in App.vue). */
export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? elEn : elZhCn))
