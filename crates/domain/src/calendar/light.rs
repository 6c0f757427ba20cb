//! Yellow and red lights of electronic supervision (电子监察 黄牌/红牌预警).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Calendar;

/// How close a case is to its due date. Ordered by severity: `Green < Yellow < Red`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// Comfortably within the limit.
    Green,
    /// Due within `warn_days` working days (黄牌预警).
    Yellow,
    /// Past the due date (红牌).
    Red,
}

impl Light {
    pub const ALL: [Light; 3] = [Light::Green, Light::Yellow, Light::Red];

    /// The spelling of serde and of the database: `green`, `yellow` or `red`.
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }

    pub fn parse(s: &str) -> Option<Light> {
        Light::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// Red when today > due; Yellow when today <= due and working_days_between(today, due) <= warn_days; else Green.
pub fn light(cal: &Calendar, due: NaiveDate, today: NaiveDate, warn_days: u32) -> Light {
    if today > due {
        Light::Red
    } else if cal.working_days_between(today, due) <= warn_days {
        Light::Yellow
    } else {
        Light::Green
    }
}

/// Date bounds so that a database can filter by light without computing it per row:
/// red ⇔ due < today; yellow ⇔ today <= due <= yellow_until; green ⇔ due > yellow_until.
///
/// Always `today <= yellow_until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LightBounds {
    pub today: NaiveDate,
    pub yellow_until: NaiveDate,
}

impl LightBounds {
    /// The light of a due date, from the bounds alone; equal to [`light`]
    /// for the calendar, day and warning the bounds were made with.
    pub fn classify(&self, due: NaiveDate) -> Light {
        if due < self.today {
            Light::Red
        } else if due <= self.yellow_until {
            Light::Yellow
        } else {
            Light::Green
        }
    }

    /// The light of a case due on `due`; an immediate case is never warned of (see
    /// [`unwarned`]).
    pub fn classify_case(&self, due: NaiveDate, immediate: bool) -> Light {
        unwarned(self.classify(due), immediate)
    }
}

/// An immediate case (即办件, promised the day it is accepted) is decided while the applicant
/// waits: on its due day it is on time, not nearly late, so it is green until it is red.
pub fn unwarned(light: Light, immediate: bool) -> Light {
    if immediate && light == Light::Yellow {
        Light::Green
    } else {
        light
    }
}

/// The bounds for [`light`] on `today`.
///
/// `working_days_between(today, due)` grows with `due`, one working day at a
/// time; it first exceeds `warn_days` on the (`warn_days` + 1)-th working day
/// after today. So the yellow dates are exactly `today ..` the day before that
/// working day.
pub fn light_bounds(cal: &Calendar, today: NaiveDate, warn_days: u32) -> LightBounds {
    let yellow_until = match cal.add_working_days_u64(today, u64::from(warn_days) + 1) {
        // The first green due date is strictly after today, so it has a
        // predecessor and that predecessor is >= today.
        Some(first_green) => first_green.pred_opt().unwrap_or(today),
        // No working day that far before the end of time: never green.
        None => NaiveDate::MAX,
    };
    LightBounds {
        today,
        yellow_until,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn light_on_a_plain_week() {
        let cal = Calendar::weekends_only();
        let today = ymd(2025, 6, 4); // Wednesday
        assert_eq!(light(&cal, ymd(2025, 6, 3), today, 2), Light::Red);
        assert_eq!(light(&cal, today, today, 0), Light::Yellow);
        assert_eq!(light(&cal, ymd(2025, 6, 5), today, 0), Light::Green);
        assert_eq!(light(&cal, ymd(2025, 6, 6), today, 2), Light::Yellow); // Thu, Fri
        // Saturday, Sunday add nothing; Monday is the third.
        assert_eq!(light(&cal, ymd(2025, 6, 8), today, 2), Light::Yellow);
        assert_eq!(light(&cal, ymd(2025, 6, 9), today, 2), Light::Green);

        let b = light_bounds(&cal, today, 2);
        assert_eq!(b.today, today);
        assert_eq!(b.yellow_until, ymd(2025, 6, 8));
        assert_eq!(light_bounds(&cal, today, 0).yellow_until, today);
    }

    #[test]
    fn lights_are_ordered_by_severity_and_serialise_snake_case() {
        assert!(Light::Green < Light::Yellow && Light::Yellow < Light::Red);
        assert_eq!(serde_json::to_string(&Light::Yellow).unwrap(), "\"yellow\"");
        let l: Light = serde_json::from_str("\"red\"").unwrap();
        assert_eq!(l, Light::Red);
        for l in Light::ALL {
            assert_eq!(
                serde_json::to_string(&l).unwrap(),
                format!("\"{}\"", l.as_str())
            );
            assert_eq!(Light::parse(l.as_str()), Some(l));
        }
        assert_eq!(Light::parse("amber"), None);
    }

    #[test]
    fn bounds_at_the_end_of_time() {
        let cal = Calendar::weekends_only();
        let b = light_bounds(&cal, NaiveDate::MAX, 3);
        assert_eq!(b.yellow_until, NaiveDate::MAX);
        assert_eq!(
            b.classify(NaiveDate::MAX),
            light(&cal, NaiveDate::MAX, NaiveDate::MAX, 3)
        );
        let b = light_bounds(&cal, NaiveDate::MIN, u32::MAX);
        assert_eq!(b.yellow_until, NaiveDate::MAX);
    }
}
