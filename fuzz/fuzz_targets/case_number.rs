//! Case numbers come from URLs and the public progress query: the parser must never panic, what
//! it accepts must be canonical, and its parts must build the same number again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onewindow_domain::identity::CaseNumber;

fuzz_target!(|s: &str| {
    let Ok(number) = CaseNumber::parse(s) else {
        return;
    };
    assert_eq!(CaseNumber::parse(number.as_str()).as_ref(), Ok(&number));
    let rebuilt = CaseNumber::new(number.district(), number.date(), number.sequence());
    assert_eq!(rebuilt.as_ref(), Ok(&number));
});
