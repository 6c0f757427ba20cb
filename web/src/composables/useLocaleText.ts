import { useI18n } from 'vue-i18n'
import { problemMessage, type Bilingual } from '../lib/problem'
import { formatDate, formatDateRange, formatInstant, formatWeekday } from '../lib/dates'
import { holidayName } from '../lib/holidayNames'
import { stepLabel, type KindedStep } from '../lib/stepNames'

/**
 * Locale-aware helpers for pages: problem messages, dates, instants, money, and the names the
 * server keeps in Chinese only (calendar days, workflow steps).
 */
export function useLocaleText() {
  const { locale, t } = useI18n()
  return {
    message: (p: Bilingual) => problemMessage(p, locale.value),
    /** A `YYYY-MM-DD` calendar date. */
    date: (d: string) => formatDate(d, locale.value),
    /** From one `YYYY-MM-DD` date to another. */
    dateRange: (from: string, to: string) => formatDateRange(from, to, locale.value),
    /** The short weekday of a `YYYY-MM-DD` date. */
    weekday: (d: string) => formatWeekday(d, locale.value),
    /** An instant (ms since the epoch), in the centre's time zone. */
    instant: (ms: number) => formatInstant(ms, locale.value),
    /** An amount in fen (分) as yuan with two decimals. */
    yuan: (fen: number) => (fen / 100).toFixed(2),
    /** A holiday's or make-up working day's name from the calendar. */
    holiday: (name: string) => holidayName(name, locale.value, (key, params) => t(key, params ?? {})),
    /** A workflow step: its name in Chinese, its kind otherwise. */
    step: (s: KindedStep) => stepLabel(s, locale.value, (k) => t(`caseView.stepKinds.${k}`)),
  }
}
