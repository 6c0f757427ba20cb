//! A hall's opening hours (开放时间, C10): a weekly pattern laid on the region's working-day
//! calendar.
//!
//! - A working day (工作日) has the hall's working-day sessions: morning and afternoon, with the
//!   lunch break between them. A make-up working day (调休上班) on a weekend is a working day too.
//! - Some weekdays add sessions after work: the seeds' "白+黑" evenings.
//! - A Saturday or Sunday that is not worked has the weekend sessions, if the hall offers "5+2"
//!   weekend service, and is closed otherwise.
//! - A holiday (放假) closes the hall, whatever its weekday: statutory holidays and the region's
//!   own closures, as the calendar says.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, DayKind};

/// Most sessions a hall opens in one day: morning, afternoon, evening and one more.
pub const MAX_SESSIONS_PER_DAY: usize = 4;

/// One opening of the doors: from `opens` until `closes`, as `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    #[serde(with = "hhmm")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00"))]
    pub opens: NaiveTime,
    #[serde(with = "hhmm")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12:00"))]
    pub closes: NaiveTime,
}

impl Session {
    /// A session from `opens` to `closes`, both `(hour, minute)`; `None` when either is no time.
    pub fn hm(opens: (u32, u32), closes: (u32, u32)) -> Option<Session> {
        Some(Session {
            opens: NaiveTime::from_hms_opt(opens.0, opens.1, 0)?,
            closes: NaiveTime::from_hms_opt(closes.0, closes.1, 0)?,
        })
    }

    fn overlaps(&self, other: &Session) -> bool {
        self.opens < other.closes && other.opens < self.closes
    }
}

/// Sessions a weekday adds after the working day (延时服务, the "白+黑" evenings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Extension {
    /// Monday = 1 … Friday = 5.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5, example = 2))]
    pub weekday: u8,
    pub session: Session,
}

/// A hall's weekly opening hours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpeningHours {
    /// A working day's sessions, make-up working days included.
    pub working_day: Vec<Session>,
    /// Sessions some weekdays add after work.
    pub extended: Vec<Extension>,
    /// A Saturday that is not worked (5+2 weekend service); none: closed.
    pub saturday: Vec<Session>,
    /// A Sunday that is not worked; none: closed.
    pub sunday: Vec<Session>,
}

/// Why a day has the sessions it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayType {
    /// Monday to Friday, worked.
    Working,
    /// A Saturday or Sunday worked in exchange for a holiday (调休上班).
    MakeUp,
    /// A Saturday or Sunday not worked.
    Weekend,
    /// A holiday or a closure of the region: closed.
    Holiday,
}

/// One day's opening, as a citizen reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayHours {
    pub date: NaiveDate,
    #[serde(rename = "type")]
    pub day_type: DayType,
    /// The holiday's or the make-up day's name, when the calendar gives one.
    pub name: Option<String>,
    /// In order, a session that begins as another ends joined to it; none: closed.
    pub sessions: Vec<Session>,
}

/// What is wrong with opening hours, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("{0}: a session must close after it opens")]
    ClosesBeforeOpening(String),
    #[error("{0}: sessions of one day overlap")]
    Overlap(String),
    #[error("{0}: the weekday must be 1 (Monday) to 5 (Friday)")]
    Weekday(String),
    #[error("{0}: at most {MAX_SESSIONS_PER_DAY} sessions a day")]
    TooMany(String),
}

impl HoursError {
    /// Stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            HoursError::ClosesBeforeOpening(_) => "closes_before_opening",
            HoursError::Overlap(_) => "sessions_overlap",
            HoursError::Weekday(_) => "bad_weekday",
            HoursError::TooMany(_) => "too_many_sessions",
        }
    }

    /// The field at fault, e.g. `working_day[1]` or `extended[0].weekday`.
    pub fn field(&self) -> &str {
        match self {
            HoursError::ClosesBeforeOpening(f)
            | HoursError::Overlap(f)
            | HoursError::Weekday(f)
            | HoursError::TooMany(f) => f,
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            HoursError::ClosesBeforeOpening(_) => "结束时间须晚于开始时间".to_owned(),
            HoursError::Overlap(_) => "同一天的时段不能重叠".to_owned(),
            HoursError::Weekday(_) => "延时服务只能设在周一至周五".to_owned(),
            HoursError::TooMany(_) => format!("每天最多 {MAX_SESSIONS_PER_DAY} 个时段"),
        }
    }
}

/// ISO weekday number, Monday = 1.
fn weekday_number(w: Weekday) -> u8 {
    w.number_from_monday() as u8
}

impl OpeningHours {
    /// Checks every session and every day the pattern makes: each session closes after it
    /// opens, a day's sessions (a weekday's with its extensions) do not overlap and are at most
    /// [`MAX_SESSIONS_PER_DAY`], and extensions fall on Monday to Friday.
    pub fn check(&self) -> Result<(), HoursError> {
        let lists = [
            ("working_day", &self.working_day),
            ("saturday", &self.saturday),
            ("sunday", &self.sunday),
        ];
        for (name, sessions) in lists {
            for (i, s) in sessions.iter().enumerate() {
                if s.closes <= s.opens {
                    return Err(HoursError::ClosesBeforeOpening(format!("{name}[{i}]")));
                }
            }
            check_day(name, sessions.iter().copied().enumerate().collect())?;
        }
        for (i, e) in self.extended.iter().enumerate() {
            if !(1..=5).contains(&e.weekday) {
                return Err(HoursError::Weekday(format!("extended[{i}].weekday")));
            }
            if e.session.closes <= e.session.opens {
                return Err(HoursError::ClosesBeforeOpening(format!(
                    "extended[{i}].session"
                )));
            }
        }
        for weekday in 1..=5 {
            // A weekday's own extensions are named first when one overlaps, so the fault is
            // reported where it can be mended.
            let mut day: Vec<(usize, Session)> = self
                .extended
                .iter()
                .enumerate()
                .filter(|(_, e)| e.weekday == weekday)
                .map(|(i, e)| (i, e.session))
                .collect();
            let own = day.len();
            day.extend(self.working_day.iter().map(|s| (usize::MAX, *s)));
            if own > 0 {
                check_day("extended", day)?;
            }
        }
        Ok(())
    }

    /// The opening of `date` by `cal`, the calendar of the hall's region.
    pub fn on(&self, cal: &Calendar, date: NaiveDate) -> DayHours {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let name = cal.day_name(date).map(str::to_owned);
        let (day_type, mut sessions) = match cal.day_kind(date) {
            Some(DayKind::Holiday) => (DayType::Holiday, Vec::new()),
            _ if cal.is_working_day(date) && weekend => (DayType::MakeUp, self.working_day.clone()),
            _ if cal.is_working_day(date) => {
                let number = weekday_number(date.weekday());
                let extra = self
                    .extended
                    .iter()
                    .filter(|e| e.weekday == number)
                    .map(|e| e.session);
                let all = self.working_day.iter().copied().chain(extra).collect();
                (DayType::Working, all)
            }
            _ if date.weekday() == Weekday::Sat => (DayType::Weekend, self.saturday.clone()),
            _ => (DayType::Weekend, self.sunday.clone()),
        };
        sessions = joined(sessions);
        DayHours {
            date,
            day_type,
            name: name.filter(|_| matches!(day_type, DayType::Holiday | DayType::MakeUp)),
            sessions,
        }
    }

    /// Whether the doors are open at `time` on `date`: from a session's opening, until its
    /// closing (the closing minute is closed).
    pub fn is_open(&self, cal: &Calendar, date: NaiveDate, time: NaiveTime) -> bool {
        self.on(cal, date)
            .sessions
            .iter()
            .any(|s| s.opens <= time && time < s.closes)
    }
}

/// Sessions in order, one running straight into the next joined: an evening that begins as the
/// afternoon ends is, to whoever comes, one opening.
fn joined(mut sessions: Vec<Session>) -> Vec<Session> {
    sessions.sort();
    let mut out: Vec<Session> = Vec::with_capacity(sessions.len());
    for s in sessions {
        match out.last_mut() {
            Some(last) if last.closes == s.opens => last.closes = s.closes,
            _ => out.push(s),
        }
    }
    out
}

/// One day's sessions, each with the index it is reported under (`usize::MAX`: the working
/// day's, already checked on their own): at most [`MAX_SESSIONS_PER_DAY`], none overlapping.
fn check_day(name: &str, sessions: Vec<(usize, Session)>) -> Result<(), HoursError> {
    let at = |i: usize| format!("{name}[{i}]");
    if sessions.len() > MAX_SESSIONS_PER_DAY {
        let first_own = sessions.iter().map(|(i, _)| *i).min().unwrap_or(0);
        return Err(HoursError::TooMany(at(first_own)));
    }
    for (a, (i, s)) in sessions.iter().enumerate() {
        for (j, t) in sessions.iter().skip(a + 1) {
            if s.overlaps(t) {
                return Err(HoursError::Overlap(at((*i).min(*j))));
            }
        }
    }
    Ok(())
}

/// `HH:MM`, as people write opening hours.
mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a time as HH:MM")))
    }
}

#[cfg(test)]
mod tests;
