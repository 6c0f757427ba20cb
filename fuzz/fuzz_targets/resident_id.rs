//! Resident ID numbers come from forms and query strings: the parser must never panic, and what
//! it accepts must be canonical (parsing its own text gives it back).
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use onewindow_domain::identity::ResidentId;

fuzz_target!(|s: &str| {
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).expect("valid date");
    let on = ResidentId::parse_on(s, today);
    let Ok(id) = ResidentId::parse(s) else {
        assert!(on.is_err(), "parse_on accepted what parse refused: {s:?}");
        return;
    };
    assert_eq!(ResidentId::parse(id.as_str()).as_ref(), Ok(&id));
    assert_eq!(on.is_ok(), id.birth_date() <= today);
    assert_eq!(id.masked().chars().count(), id.as_str().chars().count());
    let _ = (id.is_male(), id.region_prefix());
});
