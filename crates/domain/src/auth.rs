//! Verification codes texted to a phone (registration, a forgotten password): how often one is
//! sent and how many wrong tries a phone gets (ADR 0031). Log-in attempts: how failures slow the
//! next attempt down (ADR 0033).

use chrono::NaiveDate;

/// The least time between two codes sent to one phone.
pub const CODE_GAP_MS: i64 = 60 * 1000;
/// How long a code stays valid.
pub const CODE_TTL_MS: i64 = 5 * 60 * 1000;
/// Codes one phone is sent in a day (China's).
pub const CODES_PER_DAY: i64 = 10;
/// Wrong tries one phone gets in a day, across all its codes: a new code does not bring new
/// tries, so six digits cannot be guessed by asking for codes again.
pub const TRIES_PER_DAY: i64 = 5;

/// What is kept of a phone's codes: the live one (as a hash, elsewhere), when it was sent and
/// expires, and the day's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRecord {
    pub sent_ms: i64,
    pub expires_ms: i64,
    /// The day the counts below are of.
    pub day: NaiveDate,
    pub sent_today: i64,
    pub wrong_today: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeRefusal {
    #[error("a code was sent less than a minute ago; try again in {wait_s} seconds")]
    TooSoon { wait_s: i64 },
    #[error("this phone was sent {CODES_PER_DAY} codes today; try again tomorrow")]
    DailyLimit,
}

impl CodeRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            CodeRefusal::TooSoon { .. } => "code_too_soon",
            CodeRefusal::DailyLimit => "code_daily_limit",
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            CodeRefusal::TooSoon { wait_s } => format!("验证码已发送，请 {wait_s} 秒后再试"),
            CodeRefusal::DailyLimit => {
                format!("该手机号今日已获取 {CODES_PER_DAY} 次验证码，请明日再试")
            }
        }
    }

    /// Seconds after which asking again may succeed, for `Retry-After`, given the seconds left
    /// of the day.
    pub fn retry_after_s(&self, rest_of_day_s: i64) -> i64 {
        match self {
            CodeRefusal::TooSoon { wait_s } => *wait_s,
            CodeRefusal::DailyLimit => rest_of_day_s.max(1),
        }
    }
}

/// The day's counts of `record` as of `today`: a new day starts from nothing.
fn of_today(record: Option<CodeRecord>, today: NaiveDate) -> (i64, i64) {
    match record {
        Some(r) if r.day == today => (r.sent_today, r.wrong_today),
        _ => (0, 0),
    }
}

/// Whether a new code may be sent to a phone with `record` at `now_ms` on `today`, and what is
/// kept once it is. The wrong tries of the day carry over to the new code.
pub fn send_code(
    record: Option<CodeRecord>,
    now_ms: i64,
    today: NaiveDate,
) -> Result<CodeRecord, CodeRefusal> {
    if let Some(r) = record
        && now_ms - r.sent_ms < CODE_GAP_MS
    {
        let wait_ms = CODE_GAP_MS - (now_ms - r.sent_ms);
        return Err(CodeRefusal::TooSoon {
            wait_s: (wait_ms + 999) / 1000,
        });
    }
    let (sent_today, wrong_today) = of_today(record, today);
    if sent_today >= CODES_PER_DAY {
        return Err(CodeRefusal::DailyLimit);
    }
    Ok(CodeRecord {
        sent_ms: now_ms,
        expires_ms: now_ms + CODE_TTL_MS,
        day: today,
        sent_today: sent_today + 1,
        wrong_today,
    })
}

/// A try of a code: whether it is accepted, and what is kept after it. A right code is accepted
/// while live and while the day's wrong tries are fewer than [`TRIES_PER_DAY`]; accepted, it is
/// spent and the day's wrong tries are forgiven. A wrong one counts.
pub fn try_code(
    record: CodeRecord,
    matches: bool,
    now_ms: i64,
    today: NaiveDate,
) -> (bool, CodeRecord) {
    let (sent_today, wrong_today) = of_today(Some(record), today);
    let live = record.expires_ms > now_ms && wrong_today < TRIES_PER_DAY;
    if matches && live {
        let spent = CodeRecord {
            expires_ms: 0,
            day: today,
            sent_today,
            wrong_today: 0,
            ..record
        };
        return (true, spent);
    }
    let counted = CodeRecord {
        day: today,
        sent_today,
        wrong_today: wrong_today + 1,
        ..record
    };
    (false, counted)
}

/// Failed log-ins under one name from one client address before the next attempt must wait.
pub const FREE_PER_ADDRESS: i64 = 5;
/// Failed log-ins under one name from every address together before the next must wait: enough
/// that someone guessing from elsewhere does not stop the owner at once.
pub const FREE_PER_NAME: i64 = 20;
/// The first wait, doubled with each further failure up to [`MAX_WAIT_MS`].
pub const FIRST_WAIT_MS: i64 = 60 * 1000;
pub const MAX_WAIT_MS: i64 = 15 * 60 * 1000;

/// Failed log-ins kept for one key (a name, or a name from one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Throttle {
    pub failures: i64,
    /// No attempt is heard before this moment.
    pub wait_until_ms: i64,
}

/// The wait after `failures` failures in a row, `free` of them without one.
pub fn wait_after(failures: i64, free: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let doublings = (failures - free).min(10) as u32;
    (FIRST_WAIT_MS << doublings).min(MAX_WAIT_MS)
}

/// An attempt is refused until `wait_until_ms`; how long is left, for `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many failed log-ins; try again in {} seconds", (.retry_after_ms + 999) / 1000)]
pub struct Throttled {
    pub retry_after_ms: i64,
}

/// Reserves an attempt at `now_ms` under a key with `free` failures before a wait: refused while
/// the key must wait; otherwise counted as a failure before the password is checked (so attempts
/// made at once are counted one by one), and the wait that failure brings is set at once.
/// A right password then clears the key.
pub fn reserve_attempt(
    kept: Option<Throttle>,
    free: i64,
    now_ms: i64,
) -> Result<Throttle, Throttled> {
    let kept = kept.unwrap_or_default();
    if kept.wait_until_ms > now_ms {
        return Err(Throttled {
            retry_after_ms: kept.wait_until_ms - now_ms,
        });
    }
    let failures = kept.failures + 1;
    // No wait is no moment: an attempt whose clock was read a little earlier is not refused.
    let wait_until_ms = match wait_after(failures, free) {
        0 => 0,
        wait => now_ms + wait,
    };
    Ok(Throttle {
        failures,
        wait_until_ms,
    })
}

/// A staff session's default time without use before it ends (等保: 登录超时), beside its
/// absolute end.
pub const STAFF_IDLE_MS: i64 = 30 * 60 * 1000;

/// The new idle end of a session used at `now`, if it is worth writing: each use moves the end
/// to `now + idle_ms`, but at most once a minute (or a quarter of the idle time, if shorter), so
/// reading pages does not become a write each.
pub fn idle_refresh(idle_until_ms: i64, idle_ms: i64, now_ms: i64) -> Option<i64> {
    let wanted = now_ms + idle_ms;
    let step = (idle_ms / 4).min(60 * 1000);
    (wanted - idle_until_ms >= step).then_some(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn one_code_a_minute_and_ten_a_day() {
        let first = send_code(None, 0, day(7)).unwrap();
        assert_eq!(
            send_code(Some(first), 59_000, day(7)),
            Err(CodeRefusal::TooSoon { wait_s: 1 })
        );
        let mut r = first;
        for i in 1..CODES_PER_DAY {
            r = send_code(Some(r), i * CODE_GAP_MS, day(7)).unwrap();
        }
        assert_eq!(r.sent_today, CODES_PER_DAY);
        assert_eq!(
            send_code(Some(r), 11 * CODE_GAP_MS, day(7)),
            Err(CodeRefusal::DailyLimit)
        );
        let tomorrow = send_code(Some(r), 11 * CODE_GAP_MS, day(8)).unwrap();
        assert_eq!(tomorrow.sent_today, 1);
    }

    #[test]
    fn a_new_code_keeps_the_wrong_tries_of_the_old_one() {
        let mut r = send_code(None, 0, day(7)).unwrap();
        for _ in 0..4 {
            r = try_code(r, false, 1_000, day(7)).1;
        }
        let r = send_code(Some(r), CODE_GAP_MS, day(7)).unwrap();
        assert_eq!(r.wrong_today, 4);
        let (ok, r) = try_code(r, false, CODE_GAP_MS + 1, day(7));
        assert!(!ok);
        // The fifth wrong try spends even the right code that follows.
        let (ok, _) = try_code(r, true, CODE_GAP_MS + 2, day(7));
        assert!(!ok);
    }

    #[test]
    fn a_right_code_is_spent_and_forgives_the_days_tries() {
        let r = send_code(None, 0, day(7)).unwrap();
        let r = try_code(r, false, 1, day(7)).1;
        let (ok, r) = try_code(r, true, 2, day(7));
        assert!(ok);
        assert_eq!(r.wrong_today, 0);
        assert!(!try_code(r, true, 3, day(7)).0, "used once");
        let late = send_code(Some(r), CODE_GAP_MS, day(7)).unwrap();
        assert!(
            !try_code(late, true, CODE_GAP_MS + CODE_TTL_MS, day(7)).0,
            "expired"
        );
    }

    proptest! {
        /// Whatever a caller does in one day, a phone is sent at most ten codes and at most five
        /// wrong tries are heard before a right code is refused.
        #[test]
        fn a_day_never_gives_more_than_its_codes_and_tries(
            steps in prop::collection::vec((0i64..120_000, 0u8..3), 1..200)
        ) {
            let today = day(7);
            let (mut record, mut now, mut sent, mut wrong_since_ok) = (None, 0i64, 0, 0);
            for (gap, what) in steps {
                now += gap;
                match what {
                    0 => if let Ok(r) = send_code(record, now, today) {
                        sent += 1;
                        record = Some(r);
                    },
                    kind => if let Some(r) = record {
                        let (ok, next) = try_code(r, kind == 1, now, today);
                        if ok {
                            prop_assert!(wrong_since_ok < TRIES_PER_DAY);
                            wrong_since_ok = 0;
                        } else if kind == 2 {
                            wrong_since_ok += 1;
                        }
                        record = Some(next);
                    },
                }
            }
            prop_assert!(sent <= CODES_PER_DAY);
        }
    }

    #[test]
    fn five_failures_from_one_address_then_waits_that_double() {
        let mut kept = None;
        for _ in 0..FREE_PER_ADDRESS - 1 {
            kept = Some(reserve_attempt(kept, FREE_PER_ADDRESS, 0).unwrap());
        }
        // The fifth attempt is heard, and brings the first wait with it.
        let fifth = reserve_attempt(kept, FREE_PER_ADDRESS, 0).unwrap();
        assert_eq!(fifth.wait_until_ms, FIRST_WAIT_MS);
        assert_eq!(
            reserve_attempt(Some(fifth), FREE_PER_ADDRESS, 1_000),
            Err(Throttled {
                retry_after_ms: FIRST_WAIT_MS - 1_000
            })
        );
        let sixth = reserve_attempt(Some(fifth), FREE_PER_ADDRESS, FIRST_WAIT_MS).unwrap();
        assert_eq!(sixth.wait_until_ms, FIRST_WAIT_MS + 2 * FIRST_WAIT_MS);
        assert_eq!(wait_after(100, FREE_PER_ADDRESS), MAX_WAIT_MS);
    }

    proptest! {
        /// However attempts arrive, no more are heard than the free ones: a guesser is slowed,
        /// never let through in a burst; and the free ones are heard in any order of clocks.
        #[test]
        fn attempts_at_one_moment_are_heard_at_most_free_times(
            clocks in prop::collection::vec(0i64..50, 1..200), free in 1i64..30
        ) {
            let mut kept = None;
            let mut heard = 0;
            for now in &clocks {
                if let Ok(next) = reserve_attempt(kept, free, *now) {
                    heard += 1;
                    kept = Some(next);
                }
            }
            prop_assert!(heard <= free as usize);
            prop_assert_eq!(heard, clocks.len().min(free as usize));
        }

        #[test]
        fn waits_never_shrink_nor_pass_the_cap(failures in 0i64..1_000, free in 1i64..30) {
            let w = wait_after(failures, free);
            prop_assert!(w <= MAX_WAIT_MS);
            prop_assert!(wait_after(failures + 1, free) >= w);
        }
    }

    #[test]
    fn a_session_in_use_moves_its_idle_end_at_most_once_a_minute() {
        let idle = STAFF_IDLE_MS;
        let opened = 0;
        let until = opened + idle;
        assert_eq!(idle_refresh(until, idle, 59_999), None);
        assert_eq!(idle_refresh(until, idle, 60_000), Some(60_000 + idle));
        // A short idle time moves on after a quarter of it.
        assert_eq!(idle_refresh(1_000, 1_000, 249), None);
        assert_eq!(idle_refresh(1_000, 1_000, 250), Some(1_250));
    }
}
