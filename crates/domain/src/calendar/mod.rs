//! Working-day calendar and deadlines (C3).
//!
//! Legal and promised time limits (法定时限 / 承诺时限) are counted in working
//! days. A [`Calendar`] knows which days are worked: Monday to Friday, minus
//! the statutory holidays, plus the make-up working days (调休上班) on which a
//! Saturday or Sunday is worked. [`Calendar::china_mainland`] carries the State
//! Council's arrangements from `data/cn-holidays.txt`; a region lays its own
//! edits on top with [`Calendar::with_overrides`].
//!
//! Counting conventions, used everywhere in this module:
//! - "n working days after `start`" is the n-th working day strictly after
//!   `start`: the day of acceptance is not counted ([`Calendar::add_working_days`]);
//! - "working days between `from` and `to`" are the working days `d` with
//!   `from < d <= to` ([`Calendar::working_days_between`]).
//!
//! [`deadline`] turns a start date, a limit and the clock stops of a special
//! procedure (特别程序) into a due date; [`mod@light`] turns a due date into the
//! yellow/red lights of electronic supervision (电子监察).
//!
//! Dates far outside any realistic range are handled without panicking:
//! results that would fall after [`NaiveDate::MAX`] saturate to it.

mod data;
pub mod deadline;
pub mod light;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included, Unbounded};
use std::sync::{Arc, LazyLock};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

pub use data::{
    CHINA_MAINLAND_DATA, CHINA_MAINLAND_OFFICIAL_YEARS, CHINA_MAINLAND_PROVISIONAL_YEARS,
    CalendarDataError, parse_calendar_data,
};
pub use deadline::{ClockStop, due_date, stopped_working_days};
pub use light::{Light, LightBounds, light, light_bounds, unwarned};

/// What an override makes of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A day off (放假), whatever its weekday.
    Holiday,
    /// A worked day, in practice a make-up working day (调休上班) on a Saturday or Sunday.
    Workday,
}

impl DayKind {
    /// The spelling used in serde and in the data file: `holiday` or `workday`.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    /// Whether a day of this kind is worked.
    pub fn is_working(self) -> bool {
        self == DayKind::Workday
    }
}

/// One day that departs from (or is named on top of) the plain Monday–Friday rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayOverride {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// e.g. `春节`, `春节调休`.
    pub name: String,
}

/// Why a district may not set a day as asked: a holiday must fall on a day that would be worked
/// (Monday to Friday), a make-up working day on one that would not (a weekend). Either way
/// round, the edit would change no deadline and only mislead whoever reads the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DayEditError {
    #[error("{0} is a Saturday or Sunday, already a day off: it cannot be made a holiday")]
    HolidayOnWeekend(NaiveDate),
    #[error("{0} is a weekday, already worked: it cannot be made a make-up working day")]
    WorkdayOnWeekday(NaiveDate),
    #[error("a day's name is at most {MAX_DAY_NAME_CHARS} characters")]
    NameTooLong,
}

/// A day's name is a holiday's: 国庆节, 台风停工, 建区纪念日.
pub const MAX_DAY_NAME_CHARS: usize = 20;

impl DayEditError {
    /// Stable code for the API.
    pub fn code(self) -> &'static str {
        match self {
            DayEditError::HolidayOnWeekend(_) => "holiday_on_weekend",
            DayEditError::WorkdayOnWeekday(_) => "workday_on_weekday",
            DayEditError::NameTooLong => "too_long",
        }
    }

    /// The field of the day at fault.
    pub fn field(self) -> &'static str {
        match self {
            DayEditError::NameTooLong => "name",
            _ => "kind",
        }
    }

    pub fn message_zh(self) -> String {
        match self {
            DayEditError::HolidayOnWeekend(d) => {
                format!("{d} 是周末，本来就不上班，不能设为节假日")
            }
            DayEditError::WorkdayOnWeekday(d) => {
                format!("{d} 是工作日，本来就上班，不能设为调休上班日")
            }
            DayEditError::NameTooLong => format!("名称不能超过 {MAX_DAY_NAME_CHARS} 个字"),
        }
    }
}

impl DayOverride {
    /// Whether a district may set this day as an edit of its own.
    pub fn check_edit(&self) -> Result<(), DayEditError> {
        if self.name.chars().count() > MAX_DAY_NAME_CHARS {
            return Err(DayEditError::NameTooLong);
        }
        match (self.kind, is_plain_weekday(self.date)) {
            (DayKind::Holiday, false) => Err(DayEditError::HolidayOnWeekend(self.date)),
            (DayKind::Workday, true) => Err(DayEditError::WorkdayOnWeekday(self.date)),
            _ => Ok(()),
        }
    }
}

/// Which days are working days.
///
/// Cheap to clone: the override table is shared until one of the clones is edited.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: Arc<BTreeMap<NaiveDate, (DayKind, String)>>,
}

static CHINA_MAINLAND: LazyLock<Calendar> = LazyLock::new(|| {
    let overrides = parse_calendar_data(CHINA_MAINLAND_DATA)
        .unwrap_or_else(|e| panic!("built-in data/cn-holidays.txt is invalid: {e}"));
    Calendar::weekends_only().with_overrides(&overrides)
});

/// Monday to Friday.
fn is_plain_weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// Monday to Friday working, no holidays.
    pub fn weekends_only() -> Calendar {
        Calendar::default()
    }

    /// Mainland China: the State Council's holiday arrangements 2020–2027 from
    /// `data/cn-holidays.txt` (2027 provisional, see
    /// [`CHINA_MAINLAND_PROVISIONAL_YEARS`]). Outside the covered years the
    /// plain Monday–Friday rule applies.
    pub fn china_mainland() -> Calendar {
        CHINA_MAINLAND.clone()
    }

    /// This calendar with `overrides` laid on top, in order: an override
    /// replaces whatever was known of its date, and a later override of the
    /// same date wins over an earlier one.
    pub fn with_overrides(&self, overrides: &[DayOverride]) -> Calendar {
        let mut days = self.days.as_ref().clone();
        for o in overrides {
            days.insert(o.date, (o.kind, o.name.clone()));
        }
        Calendar {
            days: Arc::new(days),
        }
    }

    /// Every day whose working status differs from plain Monday–Friday
    /// (a holiday on a weekday, a make-up working day on a weekend), sorted by date.
    ///
    /// Days off that fall on a weekend anyway are not reported; see
    /// [`Calendar::day_name`] for the names of those.
    /// `Calendar::weekends_only().with_overrides(&cal.overrides())` has the same
    /// working days as `cal`.
    pub fn overrides(&self) -> Vec<DayOverride> {
        self.days
            .iter()
            .filter(|(date, (kind, _))| kind.is_working() != is_plain_weekday(**date))
            .map(|(date, (kind, name))| DayOverride {
                date: *date,
                kind: *kind,
                name: name.clone(),
            })
            .collect()
    }

    /// The name given to `d` by the data or by an override (`春节`, `国庆节调休` …),
    /// also for a holiday that falls on a weekend.
    pub fn day_name(&self, d: NaiveDate) -> Option<&str> {
        self.days.get(&d).map(|(_, name)| name.as_str())
    }

    /// What the data or an override makes of `d`, if anything: also a holiday that falls on a
    /// weekend, so a hall open on ordinary weekends can close for it.
    pub fn day_kind(&self, d: NaiveDate) -> Option<DayKind> {
        self.days.get(&d).map(|(kind, _)| *kind)
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some((kind, _)) => kind.is_working(),
            None => is_plain_weekday(d),
        }
    }

    /// `d` itself if it is a working day, else the first working day after it
    /// (saturating at [`NaiveDate::MAX`]).
    pub fn next_working_day_on_or_after(&self, d: NaiveDate) -> NaiveDate {
        self.checked_next_working_day_on_or_after(d)
            .unwrap_or(NaiveDate::MAX)
    }

    /// The n-th working day strictly after `start` for n >= 1; for n == 0, the first working day on or after `start` (an immediate item is due the same working day).
    ///
    /// Saturates at [`NaiveDate::MAX`] when the answer would lie beyond it.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        self.checked_add_working_days(start, n)
            .unwrap_or(NaiveDate::MAX)
    }

    /// [`Calendar::add_working_days`], or `None` when the answer would lie
    /// beyond [`NaiveDate::MAX`].
    pub fn checked_add_working_days(&self, start: NaiveDate, n: u32) -> Option<NaiveDate> {
        self.add_working_days_u64(start, u64::from(n))
    }

    /// Number of working days d with from < d <= to (0 if to <= from).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        // Plain Monday–Friday count: every 7 consecutive days hold exactly 5
        // weekdays; the remaining < 7 days (the last ones, up to `to`) are
        // looked at one by one.
        let total = (to - from).num_days();
        let mut count = total / 7 * 5;
        for back in 0..total % 7 {
            // `to - back` stays within (from, to], so it exists.
            if let Some(d) = to.checked_sub_days(Days::new(back.unsigned_abs()))
                && is_plain_weekday(d)
            {
                count += 1;
            }
        }
        // Then the overrides inside (from, to].
        for (date, (kind, _)) in self.days.range((Excluded(from), Included(to))) {
            match (is_plain_weekday(*date), kind.is_working()) {
                (true, false) => count -= 1,
                (false, true) => count += 1,
                _ => {}
            }
        }
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    fn checked_next_working_day_on_or_after(&self, mut d: NaiveDate) -> Option<NaiveDate> {
        while !self.is_working_day(d) {
            d = d.succ_opt()?;
        }
        Some(d)
    }

    /// The core of [`Calendar::add_working_days`], wide enough for a limit plus
    /// stopped days without overflow.
    pub(crate) fn add_working_days_u64(&self, start: NaiveDate, n: u64) -> Option<NaiveDate> {
        if n == 0 {
            return self.checked_next_working_day_on_or_after(start);
        }
        let mut d = start;
        let mut remaining = n;
        while remaining > 0 {
            // Jump whole weeks while no override lies in the way: 7 days
            // without overrides are exactly 5 working days. Keep at least one
            // working day to find by stepping, so that we land on it.
            let weeks_wanted = (remaining - 1) / 5;
            if weeks_wanted > 0 {
                let weeks_free = match self.days.range((Excluded(d), Unbounded)).next() {
                    // d + 7w < next  <=>  7w <= (next - d) - 1
                    Some((next, _)) => ((*next - d).num_days() - 1) / 7,
                    None => i64::MAX,
                };
                let weeks = weeks_wanted.min(weeks_free.unsigned_abs());
                if weeks > 0 {
                    // If d + 7w is past the end of time, so is the answer,
                    // which lies after it (only 5w < remaining days are skipped).
                    d = d.checked_add_days(Days::new(7 * weeks))?;
                    remaining -= 5 * weeks;
                    continue;
                }
            }
            d = d.succ_opt()?;
            if self.is_working_day(d) {
                remaining -= 1;
            }
        }
        Some(d)
    }
}

#[cfg(test)]
mod unit_tests {
    #[test]
    fn an_edit_must_change_whether_the_day_is_worked() {
        let day = |y, m, d, kind| super::DayOverride {
            date: chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            kind,
            name: "x".into(),
        };
        use super::{DayEditError, DayKind};
        // 2026-10-03 is a Saturday, 2026-10-05 a Monday.
        let saturday = day(2026, 10, 3, DayKind::Holiday);
        assert_eq!(
            saturday.check_edit(),
            Err(DayEditError::HolidayOnWeekend(saturday.date))
        );
        assert!(day(2026, 10, 5, DayKind::Holiday).check_edit().is_ok());
        assert!(day(2026, 10, 3, DayKind::Workday).check_edit().is_ok());
        let monday = day(2026, 10, 5, DayKind::Workday);
        assert_eq!(
            monday.check_edit(),
            Err(DayEditError::WorkdayOnWeekday(monday.date))
        );
        assert!(
            DayEditError::HolidayOnWeekend(saturday.date)
                .message_zh()
                .contains("周末")
        );
    }

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn holiday(d: NaiveDate) -> DayOverride {
        DayOverride {
            date: d,
            kind: DayKind::Holiday,
            name: "假".into(),
        }
    }

    fn workday(d: NaiveDate) -> DayOverride {
        DayOverride {
            date: d,
            kind: DayKind::Workday,
            name: "班".into(),
        }
    }

    #[test]
    fn weekends_only_works_monday_to_friday() {
        let cal = Calendar::weekends_only();
        // 2025-06-02 is a Monday.
        for offset in 0..7u64 {
            let d = ymd(2025, 6, 2) + Days::new(offset);
            assert_eq!(cal.is_working_day(d), offset < 5, "{d}");
        }
        assert!(cal.overrides().is_empty());
        // Friday + 1 working day = Monday; Saturday + 0 = Monday.
        assert_eq!(cal.add_working_days(ymd(2025, 6, 6), 1), ymd(2025, 6, 9));
        assert_eq!(cal.add_working_days(ymd(2025, 6, 7), 0), ymd(2025, 6, 9));
        assert_eq!(cal.add_working_days(ymd(2025, 6, 4), 0), ymd(2025, 6, 4));
        assert_eq!(cal.add_working_days(ymd(2025, 6, 2), 5), ymd(2025, 6, 9));
        assert_eq!(cal.add_working_days(ymd(2025, 6, 2), 10), ymd(2025, 6, 16));
        assert_eq!(
            cal.next_working_day_on_or_after(ymd(2025, 6, 8)),
            ymd(2025, 6, 9)
        );
    }

    #[test]
    fn working_days_between_counts_the_half_open_interval() {
        let cal = Calendar::weekends_only();
        let mon = ymd(2025, 6, 2);
        assert_eq!(cal.working_days_between(mon, mon), 0);
        assert_eq!(cal.working_days_between(mon, ymd(2025, 6, 1)), 0);
        // Tue..Fri
        assert_eq!(cal.working_days_between(mon, ymd(2025, 6, 6)), 4);
        // Tue..Sun
        assert_eq!(cal.working_days_between(mon, ymd(2025, 6, 8)), 4);
        // Tue..next Mon
        assert_eq!(cal.working_days_between(mon, ymd(2025, 6, 9)), 5);
        // Saturday to Monday: only the Monday.
        assert_eq!(
            cal.working_days_between(ymd(2025, 6, 7), ymd(2025, 6, 9)),
            1
        );
        // A whole non-leap year from 31 Dec: 2025 has 261 weekdays.
        assert_eq!(
            cal.working_days_between(ymd(2024, 12, 31), ymd(2025, 12, 31)),
            261
        );
        // With overrides: a holiday on Wednesday, a workday on Saturday.
        let cal = cal.with_overrides(&[holiday(ymd(2025, 6, 4)), workday(ymd(2025, 6, 7))]);
        assert_eq!(cal.working_days_between(mon, ymd(2025, 6, 8)), 4);
        assert_eq!(cal.working_days_between(mon, ymd(2025, 6, 4)), 1);
        assert_eq!(
            cal.working_days_between(ymd(2025, 6, 4), ymd(2025, 6, 7)),
            3
        );
    }

    #[test]
    fn overrides_replace_and_later_wins() {
        let wed = ymd(2025, 6, 4);
        let sat = ymd(2025, 6, 7);
        let cal = Calendar::weekends_only().with_overrides(&[holiday(wed), workday(sat)]);
        assert!(!cal.is_working_day(wed));
        assert!(cal.is_working_day(sat));
        assert_eq!(cal.overrides(), vec![holiday(wed), workday(sat)]);

        // A later override of the same date wins, in one call or in two.
        let back = cal.with_overrides(&[holiday(sat), workday(sat)]);
        assert!(back.is_working_day(sat));
        let back = cal.with_overrides(&[workday(wed)]);
        assert!(back.is_working_day(wed));
        // Wednesday is an ordinary working day again: no longer reported.
        assert_eq!(back.overrides(), vec![workday(sat)]);
        // The original is untouched.
        assert!(!cal.is_working_day(wed));

        // A named holiday on a Sunday changes nothing and is not reported,
        // but keeps its name.
        let sun = ymd(2025, 6, 8);
        let named = cal.with_overrides(&[holiday(sun)]);
        assert_eq!(named.overrides().len(), 2);
        assert_eq!(named.day_name(sun), Some("假"));
        assert_eq!(named.day_name(ymd(2025, 6, 9)), None);
    }

    #[test]
    fn overrides_round_trip_through_weekends_only() {
        let cal = Calendar::china_mainland();
        let rebuilt = Calendar::weekends_only().with_overrides(&cal.overrides());
        let mut d = ymd(2019, 12, 1);
        while d <= ymd(2028, 1, 31) {
            assert_eq!(cal.is_working_day(d), rebuilt.is_working_day(d), "{d}");
            d = d.succ_opt().unwrap();
        }
        let all = cal.overrides();
        assert!(all.windows(2).all(|w| w[0].date < w[1].date));
    }

    #[test]
    fn day_kind_serde_is_snake_case() {
        assert_eq!(
            serde_json::to_string(&DayKind::Holiday).unwrap(),
            "\"holiday\""
        );
        assert_eq!(
            serde_json::to_string(&DayKind::Workday).unwrap(),
            "\"workday\""
        );
        let o: DayOverride =
            serde_json::from_str(r#"{"date":"2026-02-14","kind":"workday","name":"春节调休"}"#)
                .unwrap();
        assert_eq!(o.date, ymd(2026, 2, 14));
        assert_eq!(o.kind, DayKind::Workday);
        assert_eq!(o.kind.as_str(), "workday");
    }

    #[test]
    fn extreme_dates_saturate_instead_of_panicking() {
        let cal = Calendar::weekends_only();
        assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(cal.checked_add_working_days(NaiveDate::MAX, 1), None);
        assert_eq!(
            cal.add_working_days(NaiveDate::MAX - Days::new(10), u32::MAX),
            NaiveDate::MAX
        );
        assert!(cal.add_working_days(NaiveDate::MIN, u32::MAX) > NaiveDate::MIN);
        let all = cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
        assert!(all > 60_000_000);
        let cal = cal.with_overrides(&[holiday(NaiveDate::MAX)]);
        let _ = cal.next_working_day_on_or_after(NaiveDate::MAX);
    }

    /// The week-jumping `add_working_days` and the arithmetic
    /// `working_days_between` agree with plain day-by-day stepping.
    #[test]
    fn fast_paths_agree_with_stepping() {
        let cal = Calendar::china_mainland();
        let naive_add = |start: NaiveDate, n: u32| {
            if n == 0 {
                let mut d = start;
                while !cal.is_working_day(d) {
                    d = d.succ_opt().unwrap();
                }
                return d;
            }
            let (mut d, mut left) = (start, n);
            while left > 0 {
                d = d.succ_opt().unwrap();
                if cal.is_working_day(d) {
                    left -= 1;
                }
            }
            d
        };
        let mut start = ymd(2019, 12, 20);
        while start <= ymd(2027, 12, 31) {
            for n in [0, 1, 4, 5, 6, 11, 23, 60, 250] {
                assert_eq!(
                    cal.add_working_days(start, n),
                    naive_add(start, n),
                    "{start} + {n}"
                );
            }
            let mut naive = 0;
            let mut d = start;
            for _ in 0..40 {
                d = d.succ_opt().unwrap();
                naive += u32::from(cal.is_working_day(d));
                assert_eq!(cal.working_days_between(start, d), naive, "({start}, {d}]");
            }
            start = start + Days::new(3);
        }
    }
}
