//! Cross-cutting tests of the calendar: hand-counted 2026 cases and properties.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use proptest::prelude::*;

use super::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

// ---------------------------------------------------------------------------
// Hand-counted cases for 2026, from 国办发明电〔2025〕7号 (2025-11-04):
//   春节: 2月15日(周日)至23日(周一)放假调休, 共9天. 2月14日(周六)、2月28日(周六)上班.
//   中秋节: 9月25日(周五)至27日(周日)放假, 共3天.
//   国庆节: 10月1日(周四)至7日(周三)放假调休, 共7天. 9月20日(周日)、10月10日(周六)上班.
//
// February 2026                  March 2026
//  Mo  Tu  We  Th  Fr  Sa  Su     Mo  Tu  We  Th  Fr  Sa  Su
//                           1                              1
//   2   3   4   5   6   7   8      2   3   4   5   6   7   8
//   9  10  11  12  13  14* 15h     9  10  11  12  13  14  15
//  16h 17h 18h 19h 20h 21h 22h    16  17  18  19  20  21  22
//  23h 24  25  26  27  28*        23  24  25  26  27  28  29
//                                 30  31
// September 2026                 October 2026
//  Mo  Tu  We  Th  Fr  Sa  Su     Mo  Tu  We  Th  Fr  Sa  Su
//       1   2   3   4   5   6                  1h  2h  3h  4h
//   7   8   9  10  11  12  13      5h  6h  7h  8   9  10* 11
//  14  15  16  17  18  19  20*    12  13  14  15  16  17  18
//  21  22  23  24  25h 26h 27h    19  20  21  22  23  24  25
//  28  29  30                     26  27  28  29  30  31
// (h = holiday, * = make-up working day; November 2026 starts on a Sunday.)
// ---------------------------------------------------------------------------

#[test]
fn weekday_grid_of_the_hand_counts_is_right() {
    // The grids above were written by hand; make sure the weekdays are right.
    assert_eq!(ymd(2026, 2, 1).weekday(), Weekday::Sun);
    assert_eq!(ymd(2026, 2, 14).weekday(), Weekday::Sat);
    assert_eq!(ymd(2026, 2, 28).weekday(), Weekday::Sat);
    assert_eq!(ymd(2026, 3, 1).weekday(), Weekday::Sun);
    assert_eq!(ymd(2026, 9, 1).weekday(), Weekday::Tue);
    assert_eq!(ymd(2026, 9, 20).weekday(), Weekday::Sun);
    assert_eq!(ymd(2026, 10, 1).weekday(), Weekday::Thu);
    assert_eq!(ymd(2026, 10, 10).weekday(), Weekday::Sat);
    assert_eq!(ymd(2026, 11, 1).weekday(), Weekday::Sun);
}

#[test]
fn spring_festival_2026_accepted_on_the_last_working_day_before_the_break() {
    let cal = Calendar::china_mainland();
    // The last working day before the break is the make-up Saturday 14 Feb.
    let start = ymd(2026, 2, 14);
    assert!(cal.is_working_day(start));
    // After 14 Feb: 15–23 off; 24 Tue (1), 25 Wed (2), 26 Thu (3), 27 Fri (4),
    // 28 Sat make-up (5).
    assert_eq!(cal.add_working_days(start, 5), ymd(2026, 2, 28));
    // …then Mar 2–6 (6–10), Mar 9–13 (11–15), Mar 16–20 (16–20).
    assert_eq!(cal.add_working_days(start, 20), ymd(2026, 3, 20));

    // Accepted Friday 13 Feb: 14 Sat make-up (1), 24 (2), 25 (3), 26 (4), 27 (5).
    let start = ymd(2026, 2, 13);
    assert_eq!(cal.add_working_days(start, 5), ymd(2026, 2, 27));
    // …28 Sat (6), Mar 2–6 (7–11), Mar 9–13 (12–16), Mar 16, 17, 18, 19 (17–20).
    assert_eq!(cal.add_working_days(start, 20), ymd(2026, 3, 19));
    // An immediate item accepted that Friday is due that Friday.
    assert_eq!(cal.add_working_days(start, 0), start);
}

#[test]
fn spring_festival_2026_accepted_online_in_the_middle_of_the_break() {
    let cal = Calendar::china_mainland();
    // Wednesday 18 Feb, 正月初二, accepted online.
    let start = ymd(2026, 2, 18);
    assert!(!cal.is_working_day(start));
    // Immediate item: the first working day on or after, Tuesday 24 Feb.
    assert_eq!(cal.add_working_days(start, 0), ymd(2026, 2, 24));
    // 24 (1), 25 (2), 26 (3), 27 (4), 28 Sat make-up (5).
    assert_eq!(cal.add_working_days(start, 1), ymd(2026, 2, 24));
    assert_eq!(cal.add_working_days(start, 5), ymd(2026, 2, 28));
    // Same count as from 14 Feb, since 15–23 are all off: 20 → Friday 20 March.
    assert_eq!(cal.add_working_days(start, 20), ymd(2026, 3, 20));
}

#[test]
fn spring_festival_2026_across_the_make_up_saturdays() {
    let cal = Calendar::china_mainland();
    // Accepted Monday 9 Feb, 5 working days: 10 (1), 11 (2), 12 (3), 13 (4),
    // 14 Sat make-up (5): due on a Saturday.
    assert_eq!(cal.add_working_days(ymd(2026, 2, 9), 5), ymd(2026, 2, 14));
    // Plain Monday–Friday would have said Monday 16 Feb.
    assert_eq!(
        Calendar::weekends_only().add_working_days(ymd(2026, 2, 9), 5),
        ymd(2026, 2, 16)
    );
    // Accepted Wednesday 25 Feb, 3 working days: 26 (1), 27 (2), 28 Sat (3).
    assert_eq!(cal.add_working_days(ymd(2026, 2, 25), 3), ymd(2026, 2, 28));
    // …and 4: Monday 2 March (Sunday 1 March is off).
    assert_eq!(cal.add_working_days(ymd(2026, 2, 25), 4), ymd(2026, 3, 2));
    // Working days in February after the 1st: 2–6 (5), 9–13 (5), 14 (1),
    // 24–27 (4), 28 (1) = 16.
    assert_eq!(
        cal.working_days_between(ymd(2026, 2, 1), ymd(2026, 2, 28)),
        16
    );
    // (13 Feb, 24 Feb]: 14 Sat make-up and 24 Tue.
    assert_eq!(
        cal.working_days_between(ymd(2026, 2, 13), ymd(2026, 2, 24)),
        2
    );
}

#[test]
fn mid_autumn_and_national_day_2026() {
    let cal = Calendar::china_mainland();
    // Accepted Friday 18 Sep, 5 working days: 19 Sat off, 20 Sun make-up (1),
    // 21 (2), 22 (3), 23 (4), 24 Thu (5).
    assert_eq!(cal.add_working_days(ymd(2026, 9, 18), 5), ymd(2026, 9, 24));
    // Accepted Saturday 19 Sep (online): the next working day is the make-up Sunday.
    assert_eq!(cal.add_working_days(ymd(2026, 9, 19), 0), ymd(2026, 9, 20));
    assert_eq!(cal.add_working_days(ymd(2026, 9, 19), 1), ymd(2026, 9, 20));

    // Accepted Thursday 24 Sep, the day before 中秋: 25–27 off, 28 (1), 29 (2),
    // 30 (3), Oct 1–7 off, 8 Thu (4), 9 Fri (5).
    let start = ymd(2026, 9, 24);
    assert_eq!(cal.add_working_days(start, 5), ymd(2026, 10, 9));
    // …10 Sat make-up (6), 12–16 (7–11), 19–23 (12–16), 26, 27, 28, 29 (17–20).
    assert_eq!(cal.add_working_days(start, 20), ymd(2026, 10, 29));

    // Accepted Wednesday 30 Sep, the last working day before 国庆:
    // 8 (1), 9 (2), 10 Sat make-up (3), 12 Mon (4), 13 Tue (5).
    let start = ymd(2026, 9, 30);
    assert_eq!(cal.add_working_days(start, 5), ymd(2026, 10, 13));
    // …14 (6), 15 (7), 16 (8), 19–23 (9–13), 26–30 (14–18), Nov 2 (19), Nov 3 (20).
    assert_eq!(cal.add_working_days(start, 20), ymd(2026, 11, 3));

    // Accepted online on Saturday 3 Oct, in the break: 8 (1) … 13 (5); immediate: 8 Oct.
    let start = ymd(2026, 10, 3);
    assert_eq!(cal.add_working_days(start, 0), ymd(2026, 10, 8));
    assert_eq!(cal.add_working_days(start, 5), ymd(2026, 10, 13));

    // (18 Sep, 10 Oct]: 20 Sep (1), 21–24 (5), 28–30 (8), 8 & 9 Oct (10), 10 Oct (11).
    assert_eq!(
        cal.working_days_between(ymd(2026, 9, 18), ymd(2026, 10, 10)),
        11
    );
}

#[test]
fn clock_stops_and_lights_in_2026() {
    let cal = Calendar::china_mainland();
    // 20 working days from Friday 13 Feb is Thursday 19 March (counted above).
    // A hearing stops the clock from Monday 2 March to Friday 6 March:
    // 3, 4, 5, 6 March = 4 stopped working days, so 24 working days:
    // …Mar 19 (20), 20 (21), 23 (22), 24 (23), 25 (24).
    let stops = [ClockStop {
        from: ymd(2026, 3, 2),
        to: Some(ymd(2026, 3, 6)),
    }];
    let today = ymd(2026, 3, 10);
    assert_eq!(stopped_working_days(&cal, &stops, today), 4);
    assert_eq!(
        due_date(&cal, ymd(2026, 2, 13), 20, &stops, today),
        ymd(2026, 3, 25)
    );

    // An open stop from Tuesday 24 Feb, today Monday 2 March:
    // 25, 26, 27, 28 (make-up Saturday), 2 March = 5.
    let open = [ClockStop {
        from: ymd(2026, 2, 24),
        to: None,
    }];
    assert_eq!(stopped_working_days(&cal, &open, ymd(2026, 3, 2)), 5);

    // Due Tuesday 24 Feb, seen on Friday 13 Feb: (13, 24] holds 14 Feb and
    // 24 Feb, 2 working days.
    let due = ymd(2026, 2, 24);
    let friday = ymd(2026, 2, 13);
    assert_eq!(light(&cal, due, friday, 3), Light::Yellow);
    assert_eq!(light(&cal, due, friday, 2), Light::Yellow);
    assert_eq!(light(&cal, due, friday, 1), Light::Green);
    assert_eq!(light(&cal, due, ymd(2026, 2, 25), 3), Light::Red);
    // Bounds on 13 Feb with 2 warning days: the 3rd working day after is
    // 25 Feb (14, 24, 25), so yellow runs to 24 Feb.
    let b = light_bounds(&cal, friday, 2);
    assert_eq!(b.yellow_until, ymd(2026, 2, 24));
}

// ---------------------------------------------------------------------------
// Properties, over dates in 2020–2027.
// ---------------------------------------------------------------------------

const DAYS_2020_TO_2027: i64 = 2922; // 2020-01-01 ..= 2027-12-31

fn date_2020_2027() -> impl Strategy<Value = NaiveDate> {
    (0..DAYS_2020_TO_2027).prop_map(|offset| ymd(2020, 1, 1) + Duration::days(offset))
}

fn day_override() -> impl Strategy<Value = DayOverride> {
    (date_2020_2027(), any::<bool>()).prop_map(|(date, holiday)| DayOverride {
        date,
        kind: if holiday {
            DayKind::Holiday
        } else {
            DayKind::Workday
        },
        name: "区域调整".into(),
    })
}

/// The mainland calendar, sometimes with a region's random edits on top.
fn calendar() -> impl Strategy<Value = Calendar> {
    prop_oneof![
        Just(Calendar::china_mainland()),
        Just(Calendar::weekends_only()),
        prop::collection::vec(day_override(), 0..40)
            .prop_map(|o| Calendar::china_mainland().with_overrides(&o)),
    ]
}

fn holiday(date: NaiveDate) -> DayOverride {
    DayOverride {
        date,
        kind: DayKind::Holiday,
        name: "新增假日".into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_deadline_is_a_working_day(cal in calendar(), start in date_2020_2027(), n in 0u32..60) {
        let due = cal.add_working_days(start, n);
        prop_assert!(cal.is_working_day(due));
        prop_assert!(due >= start);
        if n >= 1 {
            prop_assert!(due > start);
        }
        prop_assert!(cal.is_working_day(cal.next_working_day_on_or_after(start)));
    }

    #[test]
    fn a_new_holiday_never_moves_a_deadline_earlier(
        cal in calendar(),
        start in date_2020_2027(),
        n in 0u32..60,
        extra in date_2020_2027(),
    ) {
        let with_holiday = cal.with_overrides(&[holiday(extra)]);
        prop_assert!(with_holiday.add_working_days(start, n) >= cal.add_working_days(start, n));
        let stops = [ClockStop { from: start, to: Some(start + Duration::days(10)) }];
        let today = start + Duration::days(20);
        prop_assert!(
            due_date(&with_holiday, start, n, &stops, today) >= due_date(&cal, start, n, &stops, today)
        );
    }

    #[test]
    fn stopping_the_clock_for_k_working_days_moves_the_due_date_by_k(
        cal in calendar(),
        start in date_2020_2027(),
        days in 1u32..60,
        stop_offset in 0i64..60,
        stop_len in 0i64..30,
        open in any::<bool>(),
    ) {
        let from = start + Duration::days(stop_offset);
        let end = from + Duration::days(stop_len);
        let stop = if open {
            ClockStop { from, to: None }
        } else {
            ClockStop { from, to: Some(end) }
        };
        let today = end;
        let k = stopped_working_days(&cal, std::slice::from_ref(&stop), today);
        prop_assert_eq!(k, cal.working_days_between(from, end));
        let without = due_date(&cal, start, days, &[], today);
        prop_assert_eq!(without, cal.add_working_days(start, days));
        prop_assert_eq!(
            due_date(&cal, start, days, &[stop], today),
            cal.add_working_days(without, k)
        );
    }

    #[test]
    fn add_working_days_is_monotonic_in_n_and_in_start(
        cal in calendar(),
        start in date_2020_2027(),
        later in 0i64..30,
        n in 0u32..60,
    ) {
        prop_assert!(cal.add_working_days(start, n) <= cal.add_working_days(start, n + 1));
        if n >= 1 {
            prop_assert!(cal.add_working_days(start, n) < cal.add_working_days(start, n + 1));
        }
        let start2 = start + Duration::days(later);
        prop_assert!(cal.add_working_days(start, n) <= cal.add_working_days(start2, n));
    }

    #[test]
    fn working_days_between_inverts_add_working_days(
        cal in calendar(),
        start in date_2020_2027(),
        n in 1u32..60,
    ) {
        let due = cal.add_working_days(start, n);
        prop_assert_eq!(cal.working_days_between(start, due), n);
        // And the day before the due date is one short.
        prop_assert_eq!(cal.working_days_between(start, due - Duration::days(1)), n - 1);
    }

    #[test]
    fn working_days_between_is_additive(
        cal in calendar(),
        a in date_2020_2027(),
        b_off in 0i64..100,
        c_off in 0i64..100,
    ) {
        let b = a + Duration::days(b_off);
        let c = b + Duration::days(c_off);
        prop_assert_eq!(
            cal.working_days_between(a, c),
            cal.working_days_between(a, b) + cal.working_days_between(b, c)
        );
    }

    #[test]
    fn light_agrees_with_its_bounds(
        cal in calendar(),
        today in date_2020_2027(),
        due_off in -40i64..120,
        warn_days in 0u32..15,
    ) {
        let due = today + Duration::days(due_off);
        let bounds = light_bounds(&cal, today, warn_days);
        prop_assert!(bounds.today == today && bounds.yellow_until >= today);
        let l = light(&cal, due, today, warn_days);
        prop_assert_eq!(l, bounds.classify(due));
        // The bounds, spelt out as a database would use them.
        let expected = if due < bounds.today {
            Light::Red
        } else if due <= bounds.yellow_until {
            Light::Yellow
        } else {
            Light::Green
        };
        prop_assert_eq!(l, expected);
    }

    #[test]
    fn light_bounds_are_tight(cal in calendar(), today in date_2020_2027(), warn_days in 0u32..15) {
        let b = light_bounds(&cal, today, warn_days);
        prop_assert_eq!(light(&cal, b.yellow_until, today, warn_days), Light::Yellow);
        prop_assert_eq!(
            light(&cal, b.yellow_until + Duration::days(1), today, warn_days),
            Light::Green
        );
    }
}
