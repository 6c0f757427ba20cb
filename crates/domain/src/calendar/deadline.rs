//! Due dates: a time limit in working days, extended by the days the clock
//! was stopped for a special procedure (特别程序: hearing, inspection, expert
//! review …), which by law do not count towards the limit.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Calendar;

/// A period during which the clock of a case stood still.
///
/// The stop is in force on the working days `d` with `from < d <= to`: the day
/// the clock is stopped still counts towards the limit, the day it restarts
/// does not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockStop {
    pub from: NaiveDate,
    /// `None` while the clock is still stopped.
    pub to: Option<NaiveDate>,
}

impl ClockStop {
    /// Whether the clock is still stopped.
    pub fn is_open(&self) -> bool {
        self.to.is_none()
    }

    /// The last day of the stop as of `today`: `to`, or `today` while open.
    pub fn end(&self, today: NaiveDate) -> NaiveDate {
        self.to.unwrap_or(today)
    }
}

/// Stopped working days of one stop: working days d with from < d <= to (to = today while open).
///
/// For several stops, every working day covered by at least one of them is
/// counted once: overlapping stops do not count a day twice.
pub fn stopped_working_days(cal: &Calendar, stops: &[ClockStop], today: NaiveDate) -> u32 {
    let mut spans: Vec<(NaiveDate, NaiveDate)> = stops
        .iter()
        .map(|s| (s.from, s.end(today)))
        .filter(|(from, to)| to > from)
        .collect();
    spans.sort_unstable();

    // Merge the half-open spans (from, to] and count each merged span once.
    let mut total: u32 = 0;
    let mut current: Option<(NaiveDate, NaiveDate)> = None;
    for (from, to) in spans {
        current = match current {
            Some((cur_from, cur_to)) if from <= cur_to => Some((cur_from, cur_to.max(to))),
            Some((cur_from, cur_to)) => {
                total = total.saturating_add(cal.working_days_between(cur_from, cur_to));
                Some((from, to))
            }
            None => Some((from, to)),
        };
    }
    if let Some((cur_from, cur_to)) = current {
        total = total.saturating_add(cal.working_days_between(cur_from, cur_to));
    }
    total
}

/// Due date = add_working_days(start, days + every stopped working day).
///
/// `start` is the day of acceptance (受理); `days` the legal or promised limit
/// in working days, 0 for an immediate item (即办件). Saturates at
/// [`NaiveDate::MAX`].
pub fn due_date(
    cal: &Calendar,
    start: NaiveDate,
    days: u32,
    stops: &[ClockStop],
    today: NaiveDate,
) -> NaiveDate {
    let stopped = stopped_working_days(cal, stops, today);
    cal.add_working_days_u64(start, u64::from(days) + u64::from(stopped))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn stop(from: NaiveDate, to: Option<NaiveDate>) -> ClockStop {
        ClockStop { from, to }
    }

    #[test]
    fn one_stop_counts_from_exclusive_to_inclusive() {
        let cal = Calendar::weekends_only();
        // Mon 2 June 2025 to Fri 6 June: Tue, Wed, Thu, Fri.
        let s = [stop(ymd(2025, 6, 2), Some(ymd(2025, 6, 6)))];
        assert_eq!(stopped_working_days(&cal, &s, ymd(2025, 7, 1)), 4);
        // Stopped and restarted the same day: nothing.
        let s = [stop(ymd(2025, 6, 2), Some(ymd(2025, 6, 2)))];
        assert_eq!(stopped_working_days(&cal, &s, ymd(2025, 7, 1)), 0);
        // Nonsense (restart before stop): nothing.
        let s = [stop(ymd(2025, 6, 6), Some(ymd(2025, 6, 2)))];
        assert_eq!(stopped_working_days(&cal, &s, ymd(2025, 7, 1)), 0);
    }

    #[test]
    fn an_open_stop_runs_to_today() {
        let cal = Calendar::weekends_only();
        let s = [stop(ymd(2025, 6, 2), None)];
        assert!(s[0].is_open());
        assert_eq!(stopped_working_days(&cal, &s, ymd(2025, 6, 2)), 0);
        assert_eq!(stopped_working_days(&cal, &s, ymd(2025, 6, 3)), 1);
        // Through the weekend to Monday 9 June: 5.
        assert_eq!(stopped_working_days(&cal, &s, ymd(2025, 6, 9)), 5);
        // "today" before the stop: nothing yet.
        assert_eq!(stopped_working_days(&cal, &s, ymd(2025, 5, 30)), 0);
    }

    #[test]
    fn several_stops_add_up_and_overlaps_count_once() {
        let cal = Calendar::weekends_only();
        let a = stop(ymd(2025, 6, 2), Some(ymd(2025, 6, 4))); // Tue, Wed
        let b = stop(ymd(2025, 6, 9), Some(ymd(2025, 6, 10))); // Tue
        assert_eq!(
            stopped_working_days(&cal, &[a.clone(), b.clone()], ymd(2025, 7, 1)),
            3
        );
        assert_eq!(
            stopped_working_days(&cal, &[b, a.clone()], ymd(2025, 7, 1)),
            3
        );
        // Overlapping (Wed..Fri) with a: Tue, Wed, Thu, Fri.
        let c = stop(ymd(2025, 6, 3), Some(ymd(2025, 6, 6)));
        assert_eq!(
            stopped_working_days(&cal, &[a.clone(), c], ymd(2025, 7, 1)),
            4
        );
        // Abutting: (2, 4] and (4, 6] = (2, 6].
        let d = stop(ymd(2025, 6, 4), Some(ymd(2025, 6, 6)));
        assert_eq!(
            stopped_working_days(&cal, &[d, a.clone()], ymd(2025, 7, 1)),
            4
        );
        // The same stop twice counts once.
        assert_eq!(
            stopped_working_days(&cal, &[a.clone(), a], ymd(2025, 7, 1)),
            2
        );
    }

    #[test]
    fn due_date_adds_the_stopped_days() {
        let cal = Calendar::weekends_only();
        let start = ymd(2025, 6, 2); // Monday
        assert_eq!(due_date(&cal, start, 5, &[], start), ymd(2025, 6, 9));
        let s = [stop(ymd(2025, 6, 3), Some(ymd(2025, 6, 5)))]; // Wed, Thu
        assert_eq!(due_date(&cal, start, 5, &s, start), ymd(2025, 6, 11));
        // Immediate item accepted on a Saturday: due Monday.
        assert_eq!(
            due_date(&cal, ymd(2025, 6, 7), 0, &[], ymd(2025, 6, 7)),
            ymd(2025, 6, 9)
        );
        // Huge limits saturate rather than overflow.
        assert_eq!(
            due_date(&cal, start, u32::MAX, &s, start),
            cal.add_working_days(start, u32::MAX)
        );
    }

    #[test]
    fn clock_stop_serde() {
        let s: ClockStop = serde_json::from_str(r#"{"from":"2026-03-02","to":null}"#).unwrap();
        assert_eq!(s, stop(ymd(2026, 3, 2), None));
        assert_eq!(
            serde_json::to_string(&stop(ymd(2026, 3, 2), Some(ymd(2026, 3, 6)))).unwrap(),
            r#"{"from":"2026-03-02","to":"2026-03-06"}"#
        );
    }
}
