//! Electronic supervision (电子监察, C7): which cases carry a light, which stored lights have gone
//! stale on a given day, and the event that records a change of light.
//!
//! A database keeps each case's light beside its due date, so a supervision pass reads only the
//! cases whose light must change ([`stale_lights`]) instead of computing every case's light.

use chrono::NaiveDate;

use crate::calendar::{Calendar, Light, LightBounds};
use crate::case::event::LightChanged;
use crate::case::{Case, Entry, Event};

/// Working days before its due date a case turns yellow, unless the deployment says otherwise.
pub const DEFAULT_WARN_DAYS: u32 = 1;

/// The light supervision keeps for a case: the light of its overall deadline while the case is
/// open and has one (accepted, not yet decided). None before acceptance, and none once the case
/// is decided, refused, withdrawn or closed: its clock no longer runs.
///
/// A case whose clock is stopped (awaiting a supplement, in a special procedure) mostly keeps its
/// light: its due date moves on by each stopped working day, so the working days left stay as
/// they were when the clock stopped. (One stopped with none left is due on the last working day,
/// so it shows red on the days off between.)
pub fn watched_light(
    case: &Case,
    cal: &Calendar,
    today: NaiveDate,
    warn_days: u32,
) -> Option<Light> {
    if !case.status.is_open() {
        return None;
    }
    case.light(cal, today, warn_days)
}

/// Due dates from `from` to `to`, both included; `None` leaves that end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DueRange {
    pub fn contains(&self, due: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= due) && self.to.is_none_or(|t| due <= t)
    }
}

/// Cases whose due date lies in `due` and, where `immediate` is set, that are (or are not)
/// immediate: what the store can select from its due date and promised days columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueRule {
    pub due: DueRange,
    pub immediate: Option<bool>,
}

impl DueRule {
    pub fn holds(&self, due: NaiveDate, immediate: bool) -> bool {
        self.due.contains(due) && self.immediate.is_none_or(|i| i == immediate)
    }
}

/// Stored lights that may be wrong on a day: cases kept with `stored` that `rule` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleLights {
    pub stored: Light,
    pub rule: DueRule,
}

fn rule(from: Option<NaiveDate>, to: Option<NaiveDate>, immediate: Option<bool>) -> DueRule {
    DueRule {
        due: DueRange { from, to },
        immediate,
    }
}

/// The cases showing `light` on the day of `bounds`, as rules any of which holds them: what a
/// list filtered by light selects.
pub fn lit(bounds: &LightBounds, light: Light) -> Vec<DueRule> {
    let LightBounds {
        today,
        yellow_until,
    } = *bounds;
    let warned = rule(Some(today), Some(yellow_until), Some(true));
    match light {
        Light::Red => today
            .pred_opt()
            .map(|y| rule(None, Some(y), None))
            .into_iter()
            .collect(),
        Light::Yellow => vec![DueRule {
            immediate: Some(false),
            ..warned
        }],
        Light::Green => [
            yellow_until.succ_opt().map(|g| rule(Some(g), None, None)),
            Some(warned),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

/// Stored lights that are wrong on the day of `bounds`: a case held by one of these must
/// change light, and no other case must.
///
/// As days pass with the calendar unchanged, lights only grow more severe (green → yellow → red),
/// so on an ordinary day only the green ranges and the first yellow one hold cases. The others
/// catch due dates that moved later (a calendar change, a shorter warning) or a day earlier than
/// the last pass. An immediate case is never yellow (see [`crate::calendar::unwarned`]).
/// Empty ranges are left out.
pub fn stale_lights(bounds: &LightBounds) -> Vec<StaleLights> {
    let LightBounds {
        today,
        yellow_until,
    } = *bounds;
    let yesterday = today.pred_opt();
    let first_green = yellow_until.succ_opt();
    let stale = |stored, rule| StaleLights { stored, rule };
    [
        Some(stale(
            Light::Green,
            rule(None, Some(yellow_until), Some(false)),
        )),
        yesterday.map(|y| stale(Light::Green, rule(None, Some(y), Some(true)))),
        yesterday.map(|y| stale(Light::Yellow, rule(None, Some(y), None))),
        first_green.map(|g| stale(Light::Yellow, rule(Some(g), None, None))),
        Some(stale(
            Light::Yellow,
            rule(Some(today), Some(yellow_until), Some(true)),
        )),
        Some(stale(Light::Red, rule(Some(today), None, None))),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The event that records a case's light changing from `from` to `to`, its due date being
/// `due_on`. Staff only: supervision is internal, the applicant sees the due date itself.
pub fn light_changed(from: Light, to: Light, due_on: NaiveDate) -> Entry {
    Entry {
        event: Event::LightChanged(LightChanged { from, to, due_on }),
        step: None,
        public: false,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use proptest::prelude::*;

    use super::*;
    use crate::calendar::{ClockStop, DayKind, DayOverride, light, light_bounds, unwarned};
    use crate::case::{CaseStatus, Channel};

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn case(status: CaseStatus, accepted_on: Option<NaiveDate>, days: u32) -> Case {
        let mut c = Case::new(Channel::Window, "440511", "P1", "X", 1, days, false, vec![]);
        c.status = status;
        c.accepted_on = accepted_on;
        c
    }

    #[test]
    fn only_open_accepted_cases_carry_a_light() {
        let cal = Calendar::weekends_only();
        let today = ymd(2025, 6, 4); // Wednesday
        let monday = ymd(2025, 6, 2);
        for status in CaseStatus::ALL {
            let accepted = case(status, Some(monday), 5);
            let expected = status.is_open().then_some(Light::Green);
            assert_eq!(
                watched_light(&accepted, &cal, today, 1),
                expected,
                "{status:?}"
            );
            assert_eq!(watched_light(&case(status, None, 5), &cal, today, 1), None);
        }
        // Due Monday 9 June: yellow on Friday, red on Tuesday.
        let c = case(CaseStatus::InProgress, Some(monday), 5);
        assert_eq!(
            watched_light(&c, &cal, ymd(2025, 6, 6), 1),
            Some(Light::Yellow)
        );
        assert_eq!(
            watched_light(&c, &cal, ymd(2025, 6, 10), 1),
            Some(Light::Red)
        );
    }

    #[test]
    fn a_stopped_clock_keeps_its_light() {
        let cal = Calendar::weekends_only();
        let mut c = case(CaseStatus::Suspended, Some(ymd(2025, 6, 2)), 5);
        // Stopped on Thursday 5 June with two working days left (yellow at warn 2).
        c.stops.push(ClockStop {
            from: ymd(2025, 6, 5),
            to: None,
        });
        for later in 0..30 {
            let today = ymd(2025, 6, 5) + Duration::days(later);
            assert_eq!(
                watched_light(&c, &cal, today, 2),
                Some(Light::Yellow),
                "{today}"
            );
        }
    }

    #[test]
    fn stale_ranges_on_a_plain_week() {
        let cal = Calendar::weekends_only();
        let b = light_bounds(&cal, ymd(2025, 6, 4), 2);
        let stale = |stored, from, to, immediate| StaleLights {
            stored,
            rule: rule(from, to, immediate),
        };
        let (tue, wed, sun, mon) = (
            ymd(2025, 6, 3),
            ymd(2025, 6, 4),
            ymd(2025, 6, 8),
            ymd(2025, 6, 9),
        );
        assert_eq!(
            stale_lights(&b),
            vec![
                stale(Light::Green, None, Some(sun), Some(false)),
                stale(Light::Green, None, Some(tue), Some(true)),
                stale(Light::Yellow, None, Some(tue), None),
                stale(Light::Yellow, Some(mon), None, None),
                stale(Light::Yellow, Some(wed), Some(sun), Some(true)),
                stale(Light::Red, Some(wed), None, None),
            ]
        );
        // At the ends of time, the empty ranges are left out.
        let end = light_bounds(&cal, NaiveDate::MAX, 2);
        assert_eq!(stale_lights(&end).len(), 5);
        let start = LightBounds {
            today: NaiveDate::MIN,
            yellow_until: NaiveDate::MIN,
        };
        assert_eq!(stale_lights(&start).len(), 4);
    }

    #[test]
    fn an_immediate_case_is_green_on_its_due_day_and_red_after() {
        let cal = Calendar::weekends_only();
        let wednesday = ymd(2025, 6, 4);
        let c = case(CaseStatus::InProgress, Some(wednesday), 0);
        assert_eq!(watched_light(&c, &cal, wednesday, 2), Some(Light::Green));
        assert_eq!(
            watched_light(&c, &cal, ymd(2025, 6, 5), 2),
            Some(Light::Red)
        );
        // A case promised one day is warned of as ever.
        let c = case(CaseStatus::InProgress, Some(wednesday), 1);
        assert_eq!(watched_light(&c, &cal, wednesday, 2), Some(Light::Yellow));
    }

    #[test]
    fn the_event_names_both_lights_and_the_due_date() {
        let e = light_changed(Light::Yellow, Light::Red, ymd(2025, 6, 9));
        assert_eq!(e.event.kind(), "light_changed");
        assert!(!e.public);
        assert_eq!(e.step, None);
        assert_eq!(
            e.event.payload_json(),
            r#"{"from":"yellow","to":"red","due_on":"2025-06-09"}"#
        );
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (0i64..3000).prop_map(|d| ymd(2020, 1, 1) + Duration::days(d))
    }

    fn light_strategy() -> impl Strategy<Value = Light> {
        prop_oneof![Just(Light::Green), Just(Light::Yellow), Just(Light::Red)]
    }

    /// A weekends-only calendar with some holidays and make-up working days around 2020–2028.
    fn calendar() -> impl Strategy<Value = Calendar> {
        proptest::collection::vec((date(), any::<bool>()), 0..40).prop_map(|days| {
            let overrides: Vec<DayOverride> = days
                .into_iter()
                .map(|(date, holiday)| DayOverride {
                    date,
                    kind: if holiday {
                        DayKind::Holiday
                    } else {
                        DayKind::Workday
                    },
                    name: "x".into(),
                })
                .collect();
            Calendar::weekends_only().with_overrides(&overrides)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The ranges find exactly the stored lights that differ from the day's light.
        #[test]
        fn stale_ranges_find_exactly_the_wrong_lights(
            cal in calendar(),
            today in date(),
            due_off in -60i64..60,
            warn_days in 0u32..10,
            stored in light_strategy(),
            immediate in any::<bool>(),
        ) {
            let due = today + Duration::days(due_off);
            let bounds = light_bounds(&cal, today, warn_days);
            let found = stale_lights(&bounds)
                .iter()
                .any(|s| s.stored == stored && s.rule.holds(due, immediate));
            let right = unwarned(light(&cal, due, today, warn_days), immediate);
            prop_assert_eq!(found, stored != right);
            prop_assert_eq!(bounds.classify_case(due, immediate), right);
            // A list filtered by a light selects exactly the cases showing it.
            for l in Light::ALL {
                let selected = lit(&bounds, l).iter().any(|r| r.holds(due, immediate));
                prop_assert_eq!(selected, l == right);
            }
        }

        /// With the calendar and the due date unchanged, a light only grows more severe, so a
        /// pass run each day need look only at green and yellow cases.
        #[test]
        fn lights_only_worsen_as_days_pass(
            cal in calendar(),
            today in date(),
            later in 0i64..40,
            due_off in -20i64..60,
            warn_days in 0u32..10,
        ) {
            let due = today + Duration::days(due_off);
            let tomorrow = today + Duration::days(later);
            prop_assert!(light(&cal, due, today, warn_days) <= light(&cal, due, tomorrow, warn_days));
        }

        /// The light kept for an open accepted case is the light of its stored due date.
        #[test]
        fn the_watched_light_is_the_light_of_the_due_date(
            cal in calendar(),
            accepted in date(),
            days in 0u32..40,
            later in 0i64..80,
            stopped in proptest::option::of((0i64..40, proptest::option::of(0i64..20))),
            warn_days in 0u32..10,
        ) {
            let mut c = case(CaseStatus::InProgress, Some(accepted), days);
            if let Some((from, len)) = stopped {
                let from = accepted + Duration::days(from);
                c.stops.push(ClockStop { from, to: len.map(|l| from + Duration::days(l)) });
            }
            let today = accepted + Duration::days(later);
            let due = c.due_on(&cal, today).unwrap();
            let bounds = light_bounds(&cal, today, warn_days);
            prop_assert_eq!(
                watched_light(&c, &cal, today, warn_days),
                Some(bounds.classify_case(due, days == 0))
            );
        }
    }
}
