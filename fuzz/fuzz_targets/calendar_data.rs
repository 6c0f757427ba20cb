//! Holiday data files are edited by hand: the loader must never panic, must name a line that
//! exists, and what it loads must make a calendar that says what the file said.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onewindow_domain::calendar::{Calendar, parse_calendar_data};

fuzz_target!(|text: &str| {
    match parse_calendar_data(text) {
        Err(e) => assert!(e.line() >= 1 && e.line() <= text.lines().count(), "{e}"),
        Ok(days) => {
            let calendar = Calendar::weekends_only().with_overrides(&days);
            let again = Calendar::weekends_only().with_overrides(&calendar.overrides());
            for d in &days {
                assert_eq!(calendar.is_working_day(d.date), d.kind.is_working());
                assert_eq!(again.is_working_day(d.date), d.kind.is_working());
                assert_eq!(calendar.day_name(d.date), Some(d.name.as_str()));
            }
            if let Some(first) = days.first() {
                let _ = calendar.checked_add_working_days(first.date, 10);
            }
        }
    }
});
