use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use proptest::prelude::*;

use super::*;
use crate::calendar::{Calendar, DayKind, DayOverride};

fn s(opens: (u32, u32), closes: (u32, u32)) -> Session {
    Session::hm(opens, closes).unwrap()
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The seeds' hall: 9–12 and 13:30–17:30 on working days, Tuesday and Thursday evenings until
/// 20:00 (白+黑), Saturday mornings (5+2).
fn hall() -> OpeningHours {
    OpeningHours {
        working_day: vec![s((9, 0), (12, 0)), s((13, 30), (17, 30))],
        extended: vec![
            Extension {
                weekday: 2,
                session: s((18, 0), (20, 0)),
            },
            Extension {
                weekday: 4,
                session: s((18, 0), (20, 0)),
            },
        ],
        saturday: vec![s((9, 0), (12, 0))],
        sunday: vec![],
    }
}

#[test]
fn a_week_of_the_seeds_hall() {
    let cal = Calendar::china_mainland();
    let hours = hall();
    assert_eq!(hours.check(), Ok(()));
    // 2026-12-07 is a Monday.
    let monday = hours.on(&cal, date("2026-12-07"));
    assert_eq!(monday.day_type, DayType::Working);
    assert_eq!(monday.sessions, hours.working_day);
    let tuesday = hours.on(&cal, date("2026-12-08"));
    assert_eq!(tuesday.sessions.len(), 3);
    assert_eq!(tuesday.sessions[2], s((18, 0), (20, 0)));
    let saturday = hours.on(&cal, date("2026-12-12"));
    assert_eq!(
        (saturday.day_type, saturday.sessions),
        (DayType::Weekend, vec![s((9, 0), (12, 0))])
    );
    let sunday = hours.on(&cal, date("2026-12-13"));
    assert_eq!(
        (sunday.day_type, sunday.sessions.len()),
        (DayType::Weekend, 0)
    );
}

#[test]
fn an_evening_that_begins_as_the_afternoon_ends_is_one_opening() {
    let mut hours = hall();
    hours.working_day = vec![s((8, 30), (17, 30))];
    hours.extended[0].session = s((17, 30), (20, 0));
    let cal = Calendar::china_mainland();
    assert_eq!(hours.check(), Ok(()));
    let tuesday = hours.on(&cal, date("2026-12-08"));
    assert_eq!(tuesday.sessions, vec![s((8, 30), (20, 0))]);
}

#[test]
fn holidays_close_and_make_up_days_open_as_working_days() {
    let cal = Calendar::china_mainland();
    let hours = hall();
    // National Day on a Thursday: closed, evening included.
    let national = hours.on(&cal, date("2026-10-01"));
    assert_eq!(national.day_type, DayType::Holiday);
    assert_eq!(national.name.as_deref(), Some("国庆节"));
    assert!(national.sessions.is_empty());
    // A Saturday inside the holiday is closed, weekend service or not.
    let holiday_saturday = hours.on(&cal, date("2026-10-03"));
    assert_eq!(
        (holiday_saturday.day_type, holiday_saturday.sessions.len()),
        (DayType::Holiday, 0)
    );
    // The Sunday worked for it opens with the working day's sessions.
    let make_up = hours.on(&cal, date("2026-09-20"));
    assert_eq!(make_up.day_type, DayType::MakeUp);
    assert_eq!(make_up.name.as_deref(), Some("国庆节调休"));
    assert_eq!(make_up.sessions, hours.working_day);
}

#[test]
fn a_regions_own_closure_closes_its_halls() {
    let closed = DayOverride {
        date: date("2026-12-09"),
        kind: DayKind::Holiday,
        name: "台风停工".into(),
    };
    let cal = Calendar::china_mainland().with_overrides(&[closed]);
    let day = hall().on(&cal, date("2026-12-09"));
    assert_eq!(
        (day.day_type, day.name.as_deref()),
        (DayType::Holiday, Some("台风停工"))
    );
    assert!(!hall().is_open(
        &cal,
        date("2026-12-09"),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap()
    ));
}

#[test]
fn is_open_from_opening_until_before_closing() {
    let cal = Calendar::china_mainland();
    let monday = date("2026-12-07");
    let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let hours = hall();
    assert!(!hours.is_open(&cal, monday, at(8, 59)));
    assert!(hours.is_open(&cal, monday, at(9, 0)));
    assert!(hours.is_open(&cal, monday, at(11, 59)));
    assert!(!hours.is_open(&cal, monday, at(12, 0)), "the lunch break");
    assert!(
        !hours.is_open(&cal, monday, at(18, 30)),
        "no evening on Mondays"
    );
    assert!(hours.is_open(&cal, date("2026-12-08"), at(18, 30)));
}

#[test]
fn faults_are_named_where_they_are() {
    let mut h = hall();
    h.working_day[1] = s((13, 30), (13, 0));
    assert_eq!(
        h.check(),
        Err(HoursError::ClosesBeforeOpening("working_day[1]".into()))
    );
    let mut h = hall();
    h.saturday.push(s((11, 0), (14, 0)));
    assert_eq!(h.check(), Err(HoursError::Overlap("saturday[0]".into())));
    let mut h = hall();
    h.extended[1].session = s((17, 0), (20, 0));
    assert_eq!(h.check(), Err(HoursError::Overlap("extended[1]".into())));
    let mut h = hall();
    h.extended[0].weekday = 6;
    assert_eq!(
        h.check(),
        Err(HoursError::Weekday("extended[0].weekday".into()))
    );
    let mut h = hall();
    h.extended.extend((0..3).map(|k| Extension {
        weekday: 2,
        session: s((20 + k, 0), (20 + k, 30)),
    }));
    assert_eq!(h.check(), Err(HoursError::TooMany("extended[0]".into())));
    for e in [
        HoursError::Overlap("x".into()),
        HoursError::TooMany("x".into()),
    ] {
        assert!(!e.message_zh().is_empty() && !e.code().is_empty());
    }
}

#[test]
fn times_are_read_and_written_as_hh_mm() {
    let text = r#"{"opens":"09:00","closes":"12:30"}"#;
    let session: Session = serde_json::from_str(text).unwrap();
    assert_eq!(session, s((9, 0), (12, 30)));
    assert_eq!(serde_json::to_string(&session).unwrap(), text);
    assert!(serde_json::from_str::<Session>(r#"{"opens":"9点","closes":"12:30"}"#).is_err());
}

fn session() -> impl Strategy<Value = Session> {
    (0u32..24 * 60, 1u32..8 * 60).prop_map(|(start, length)| {
        let end = (start + length).min(24 * 60 - 1);
        s((start / 60, start % 60), (end / 60, end % 60))
    })
}

fn hours() -> impl Strategy<Value = OpeningHours> {
    (
        prop::collection::vec(session(), 0..3),
        prop::collection::vec((1u8..=7, session()), 0..3),
        prop::collection::vec(session(), 0..2),
        prop::collection::vec(session(), 0..2),
    )
        .prop_map(|(working_day, extended, saturday, sunday)| OpeningHours {
            working_day,
            extended: extended
                .into_iter()
                .map(|(weekday, session)| Extension { weekday, session })
                .collect(),
            saturday,
            sunday,
        })
}

proptest! {
    /// Whatever the pattern and the day (2020–2027, the calendar's years): a holiday is closed,
    /// a day's sessions come in order, and of valid hours they never overlap; a working day has
    /// at least the working day's sessions, and a weekend not worked only the weekend's.
    #[test]
    fn every_day_follows_the_calendar(h in hours(), offset in 0u64..8 * 366) {
        let cal = Calendar::china_mainland();
        let day = date("2020-01-01").checked_add_days(Days::new(offset)).unwrap();
        let opening = h.on(&cal, day);
        prop_assert!(opening.sessions.windows(2).all(|w| w[0] <= w[1]));
        match opening.day_type {
            DayType::Holiday => {
                prop_assert!(opening.sessions.is_empty());
                prop_assert!(!cal.is_working_day(day) || cal.day_kind(day) == Some(DayKind::Holiday));
            }
            DayType::Working | DayType::MakeUp => {
                prop_assert!(cal.is_working_day(day));
                prop_assert!(h.working_day.iter().all(|s| opening.sessions.iter().any(|o| o.opens <= s.opens && s.closes <= o.closes)));
            }
            DayType::Weekend => {
                prop_assert!(!cal.is_working_day(day));
                let own = if day.weekday() == Weekday::Sat { &h.saturday } else { &h.sunday };
                prop_assert_eq!(&opening.sessions, &joined(own.clone()));
            }
        }
        if h.check().is_ok() {
            prop_assert!(opening.sessions.windows(2).all(|w| w[0].closes < w[1].opens));
            prop_assert!(opening.sessions.len() <= MAX_SESSIONS_PER_DAY);
        }
    }

}
