//! Unified social credit codes come from forms and query strings: the parser must never panic,
//! and what it accepts must be canonical.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onewindow_domain::identity::CreditCode;

fuzz_target!(|s: &str| {
    let Ok(code) = CreditCode::parse(s) else {
        return;
    };
    assert_eq!(CreditCode::parse(code.as_str()).as_ref(), Ok(&code));
    assert_eq!(code.masked().chars().count(), code.as_str().chars().count());
    let _ = (
        code.registration_authority(),
        code.organisation_category(),
        code.region_code(),
        code.organisation_code(),
    );
});
