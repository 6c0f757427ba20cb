//! Printable documents (docs/adr/0006-printable-documents.md): the notices of a case (受理通知书,
//! 不予受理通知书, 补正材料通知书) and the blank and sample forms (空白表格, 示例样表) of an
//! item's materials, as A4 PDFs set in the system's CJK font.

pub mod font;
pub mod form;
pub mod notice;
pub mod pdf;

use chrono::{Datelike, NaiveDate};

/// A date as Chinese documents write it: 2026年11月21日.
pub fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The day of an instant (ms since the epoch) in China (UTC+8, no daylight saving).
pub fn china_date(at_ms: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(at_ms + 8 * 3600 * 1000).map(|t| t.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_chinese_and_in_china() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(date_zh(d), "2026年1月5日");
        // 2026-11-20 17:00 UTC is already the 21st in Shantou.
        let at = chrono::NaiveDateTime::parse_from_str("2026-11-20 17:00", "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
            .timestamp_millis();
        assert_eq!(china_date(at), NaiveDate::from_ymd_opt(2026, 11, 21));
    }
}
