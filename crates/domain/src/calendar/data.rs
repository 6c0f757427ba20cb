//! The holiday data file format and its loader.
//!
//! One day per line, `#` starts a comment, blank lines are ignored:
//!
//! ```text
//! # 二、春节: 2月15日至23日放假调休, 共9天. 2月14日(周六)、2月28日(周六)上班.
//! 2026-02-14 workday 春节调休
//! 2026-02-15 holiday 春节
//! ```
//!
//! Fields are separated by spaces or tabs; the name is the rest of the line
//! and may not be empty. A date may appear only once per file.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::NaiveDate;

use super::{DayKind, DayOverride};

/// The built-in mainland China data (`crates/domain/data/cn-holidays.txt`).
pub const CHINA_MAINLAND_DATA: &str = include_str!("../../data/cn-holidays.txt");

/// Years of the built-in data that follow a published State Council notice.
pub const CHINA_MAINLAND_OFFICIAL_YEARS: RangeInclusive<i32> = 2020..=2026;

/// Years of the built-in data that are provisional: statutory days only, no
/// make-up working days, until the State Council's notice for the year is
/// published and copied into the data file.
pub const CHINA_MAINLAND_PROVISIONAL_YEARS: RangeInclusive<i32> = 2027..=2027;

/// Longest piece of offending input quoted back in an error.
const QUOTE_MAX_CHARS: usize = 40;

/// What is wrong with a line of calendar data. Line numbers start at 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarDataError {
    #[error("line {line}: missing {field} (expected `YYYY-MM-DD holiday|workday NAME`)")]
    MissingField { line: usize, field: &'static str },
    #[error("line {line}: {found:?} is not a date of the form YYYY-MM-DD")]
    BadDate { line: usize, found: String },
    #[error("line {line}: {found:?} is not a day kind (expected `holiday` or `workday`)")]
    BadKind { line: usize, found: String },
    #[error("line {line}: {date} is already given on line {first_line}")]
    DuplicateDate {
        line: usize,
        date: NaiveDate,
        first_line: usize,
    },
}

impl CalendarDataError {
    /// The 1-based line the error is on.
    pub fn line(&self) -> usize {
        match self {
            CalendarDataError::MissingField { line, .. }
            | CalendarDataError::BadDate { line, .. }
            | CalendarDataError::BadKind { line, .. }
            | CalendarDataError::DuplicateDate { line, .. } => *line,
        }
    }
}

/// Parses calendar data (see the module docs for the format) into overrides,
/// in file order. Never panics, whatever the input.
pub fn parse_calendar_data(text: &str) -> Result<Vec<DayOverride>, CalendarDataError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut overrides = Vec::new();
    let mut first_line_of: HashMap<NaiveDate, usize> = HashMap::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.split('#').next().unwrap_or_default().trim();
        if content.is_empty() {
            continue;
        }
        let (date_text, rest) = split_field(content);
        let (kind_text, rest) = split_field(rest);
        let name = rest.trim();

        let date = parse_date(date_text).ok_or_else(|| CalendarDataError::BadDate {
            line,
            found: quote(date_text),
        })?;
        let kind = match kind_text {
            "holiday" => DayKind::Holiday,
            "workday" => DayKind::Workday,
            "" => {
                return Err(CalendarDataError::MissingField {
                    line,
                    field: "day kind",
                });
            }
            other => {
                return Err(CalendarDataError::BadKind {
                    line,
                    found: quote(other),
                });
            }
        };
        if name.is_empty() {
            return Err(CalendarDataError::MissingField {
                line,
                field: "name",
            });
        }
        if let Some(&first_line) = first_line_of.get(&date) {
            return Err(CalendarDataError::DuplicateDate {
                line,
                date,
                first_line,
            });
        }
        first_line_of.insert(date, line);
        overrides.push(DayOverride {
            date,
            kind,
            name: name.to_owned(),
        });
    }
    Ok(overrides)
}

/// The first whitespace-separated field of `s` and what follows it.
fn split_field(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(at) => s.split_at(at),
        None => (s, ""),
    }
}

/// Exactly `YYYY-MM-DD`, ASCII digits, a real calendar day.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(number(&b[0..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7])?, number(&b[8..10])?)
}

fn quote(s: &str) -> String {
    let mut chars = s.chars();
    let mut out: String = chars.by_ref().take(QUOTE_MAX_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Weekday};
    use proptest::prelude::*;

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_lines_comments_and_blanks() {
        let text = "\u{feff}# header\n\n2026-02-14 workday 春节调休\r\n\t2026-02-15\tholiday  春节 # 腊月二十八\n   # indented comment\n2026-10-01 holiday 国庆节 中秋节\n";
        let got = parse_calendar_data(text).unwrap();
        assert_eq!(
            got,
            vec![
                DayOverride {
                    date: ymd(2026, 2, 14),
                    kind: DayKind::Workday,
                    name: "春节调休".into()
                },
                DayOverride {
                    date: ymd(2026, 2, 15),
                    kind: DayKind::Holiday,
                    name: "春节".into()
                },
                DayOverride {
                    date: ymd(2026, 10, 1),
                    kind: DayKind::Holiday,
                    name: "国庆节 中秋节".into()
                },
            ]
        );
        assert_eq!(parse_calendar_data("").unwrap(), vec![]);
        assert_eq!(parse_calendar_data("# only\n\n").unwrap(), vec![]);
    }

    #[test]
    fn errors_carry_the_line_number() {
        let ok = "# c\n2026-02-15 holiday 春节\n";
        let cases: &[(&str, CalendarDataError)] = &[
            (
                "2026-02-30 holiday 春节",
                CalendarDataError::BadDate {
                    line: 3,
                    found: "2026-02-30".into(),
                },
            ),
            (
                "2026-2-16 holiday 春节",
                CalendarDataError::BadDate {
                    line: 3,
                    found: "2026-2-16".into(),
                },
            ),
            (
                "+2026-02-16 holiday 春节",
                CalendarDataError::BadDate {
                    line: 3,
                    found: "+2026-02-16".into(),
                },
            ),
            (
                "２０２６-02-16 holiday 春节",
                CalendarDataError::BadDate {
                    line: 3,
                    found: "２０２６-02-16".into(),
                },
            ),
            (
                "holiday 2026-02-16 春节",
                CalendarDataError::BadDate {
                    line: 3,
                    found: "holiday".into(),
                },
            ),
            (
                "2026-02-16 Holiday 春节",
                CalendarDataError::BadKind {
                    line: 3,
                    found: "Holiday".into(),
                },
            ),
            (
                "2026-02-16 放假 春节",
                CalendarDataError::BadKind {
                    line: 3,
                    found: "放假".into(),
                },
            ),
            (
                "2026-02-16",
                CalendarDataError::MissingField {
                    line: 3,
                    field: "day kind",
                },
            ),
            (
                "2026-02-16 holiday",
                CalendarDataError::MissingField {
                    line: 3,
                    field: "name",
                },
            ),
            (
                "2026-02-16 holiday # 春节",
                CalendarDataError::MissingField {
                    line: 3,
                    field: "name",
                },
            ),
            (
                "2026-02-15 workday 春节调休",
                CalendarDataError::DuplicateDate {
                    line: 3,
                    date: ymd(2026, 2, 15),
                    first_line: 2,
                },
            ),
        ];
        for (bad_line, expected) in cases {
            let text = format!("{ok}{bad_line}\n2026-02-17 holiday 春节\n");
            let err = parse_calendar_data(&text).unwrap_err();
            assert_eq!(&err, expected, "{bad_line}");
            assert_eq!(err.line(), 3);
            assert!(err.to_string().starts_with("line 3: "), "{err}");
        }
    }

    #[test]
    fn long_offending_input_is_quoted_short() {
        let long = "x".repeat(10_000);
        let err = parse_calendar_data(&format!("2026-01-01 {long} 名")).unwrap_err();
        assert!(err.to_string().len() < 200, "{err}");
    }

    #[test]
    fn built_in_data_is_valid_and_matches_the_notices_counts() {
        let all = parse_calendar_data(CHINA_MAINLAND_DATA).unwrap();
        // Counts per arrangement year (the 2023 notice starts on 2022-12-31).
        let year_of = |o: &DayOverride| {
            if o.date == ymd(2022, 12, 31) {
                2023
            } else {
                o.date.year()
            }
        };
        let count = |year: i32, kind: DayKind| {
            all.iter()
                .filter(|o| year_of(o) == year && o.kind == kind)
                .count()
        };
        // (year, days off in the notice's spans, weekend days worked)
        let expected = [
            (2020, 30, 6), // 2019-11-21 notice + the 2020-01-26 extension
            (2021, 31, 7),
            (2022, 31, 7),
            (2023, 27, 7),
            (2024, 28, 8),
            (2025, 28, 5),
            (2026, 33, 6),
            (2027, 13, 0), // provisional: statutory days only
        ];
        for (year, off, worked) in expected {
            assert_eq!(count(year, DayKind::Holiday), off, "{year} days off");
            assert_eq!(count(year, DayKind::Workday), worked, "{year} days worked");
        }
        assert_eq!(
            all.len(),
            expected.iter().map(|(_, o, w)| o + w).sum::<usize>()
        );

        // Every make-up working day is a Saturday or a Sunday.
        for o in all.iter().filter(|o| o.kind == DayKind::Workday) {
            assert!(
                matches!(o.date.weekday(), Weekday::Sat | Weekday::Sun),
                "{o:?}"
            );
        }
        // Every provisional day says so in its name.
        for o in all
            .iter()
            .filter(|o| CHINA_MAINLAND_PROVISIONAL_YEARS.contains(&o.date.year()))
        {
            assert!(o.name.contains("暂定"), "{o:?}");
        }
        // The years the constants claim are the years the file holds.
        for o in &all {
            let y = year_of(o);
            assert!(
                CHINA_MAINLAND_OFFICIAL_YEARS.contains(&y)
                    || CHINA_MAINLAND_PROVISIONAL_YEARS.contains(&y),
                "{o:?}"
            );
        }
    }

    #[test]
    fn the_2020_extension_cancels_the_1_february_make_up_day() {
        let all = parse_calendar_data(CHINA_MAINLAND_DATA).unwrap();
        let feb1 = all.iter().find(|o| o.date == ymd(2020, 2, 1)).unwrap();
        assert_eq!(feb1.kind, DayKind::Holiday);
        // 24 January to 2 February: ten days off in a row.
        let mut d = ymd(2020, 1, 24);
        while d <= ymd(2020, 2, 2) {
            assert!(
                all.iter()
                    .any(|o| o.date == d && o.kind == DayKind::Holiday),
                "{d}"
            );
            d = d.succ_opt().unwrap();
        }
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(text in "\\PC*") {
            let _ = parse_calendar_data(&text);
        }

        #[test]
        fn never_panics_on_line_shaped_text(
            lines in prop::collection::vec(
                "[0-9+\\-]{0,12}[ \t]{0,2}(holiday|workday|[a-z]{0,8})[ \t]{0,2}[^\n#]{0,6}(#.*)?",
                0..20,
            )
        ) {
            let text = lines.join("\n");
            if let Err(e) = parse_calendar_data(&text) {
                prop_assert!(e.line() >= 1 && e.line() <= lines.len());
            }
        }

        #[test]
        fn round_trips_what_it_parses(
            days in prop::collection::btree_map(0i64..3000, (any::<bool>(), "[^\\s#][^\n\r#]{0,10}"), 0..30)
        ) {
            let base = ymd(2020, 1, 1);
            let mut text = String::new();
            let mut expected = Vec::new();
            for (offset, (holiday, name)) in &days {
                let date = base + chrono::Duration::days(*offset);
                let kind = if *holiday { DayKind::Holiday } else { DayKind::Workday };
                text.push_str(&format!("{date} {} {name}\n", kind.as_str()));
                expected.push(DayOverride { date, kind, name: name.trim().to_owned() });
            }
            prop_assert_eq!(parse_calendar_data(&text).unwrap(), expected);
        }
    }
}
