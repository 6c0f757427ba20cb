import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { problemMessage, type Bilingual } from '../lib/problem'

/** Locale-aware helpers for pages: problem messages, dates, instants and money. */
export function useLocaleText() {
  const { locale } = useI18n()
  const tag = computed(() => (locale.value === 'en' ? 'en-GB' : 'zh-CN'))
  return {
    message: (p: Bilingual) => problemMessage(p, locale.value),
    /** A `YYYY-MM-DD` calendar date. */
    date: (d: string) =>
      new Intl.DateTimeFormat(tag.value, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: 'UTC' }).format(
        new Date(`${d}T00:00:00Z`),
      ),
    /** An instant (ms since the epoch), in the centre's time zone. */
    instant: (ms: number) =>
      new Intl.DateTimeFormat(tag.value, {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
        timeZone: 'Asia/Shanghai',
      }).format(new Date(ms)),
    /** An amount in fen (分) as yuan with two decimals. */
    yuan: (fen: number) => (fen / 100).toFixed(2),
  }
}
