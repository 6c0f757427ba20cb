//! 居民身份证号 (GB 11643-1999 citizen identification number): 6-digit address code,
//! 8-digit birth date, 3-digit sequence (odd for men), ISO 7064 MOD 11-2 check character.

use std::fmt;

use chrono::NaiveDate;
use serde::Deserialize;

use super::{CodeKind, IdentityError, mask_middle, region_code};

const KIND: CodeKind = CodeKind::ResidentId;
const LEN: usize = 18;
/// ISO 7064 MOD 11-2 weights (2^(17-i) mod 11) for characters 1–17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character indexed by the weighted sum mod 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Check character for the 17 body digits (ASCII digits; anything else counts as 0).
fn check_char(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b.wrapping_sub(b'0') % 10) * w)
        .sum();
    char::from(CHECK_CHARS[(sum % 11) as usize])
}

/// Whether the first two digits may start a resident ID number: a GB/T 2260 province, or 83,
/// the address code of residence permits for Taiwan residents (港澳台居民居住证 use 810000,
/// 820000 and 830000 and follow GB 11643, check character included).
fn is_id_province(code: &str) -> bool {
    code == "83" || region_code::is_province(code)
}

/// A resident ID number, canonical form with an upper-case `X`.
///
/// `Debug` shows the masked form, so the number does not leak into logs through `{:?}`.
#[derive(Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct ResidentId {
    text: String,
    birth_date: NaiveDate,
}

string_code!(ResidentId);

impl ResidentId {
    /// Earliest accepted birth date.
    pub const MIN_BIRTH_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
        Some(date) => date,
        None => NaiveDate::MIN,
    };

    /// The number of the person of the county `county` (six digits) born on `birth`, with the
    /// order code `order` (000–999, odd for men): its check character computed.
    pub fn from_parts(county: &str, birth: NaiveDate, order: u16) -> Result<Self, IdentityError> {
        let body = format!("{county}{}{:03}", birth.format("%Y%m%d"), order % 1000);
        let check = check_char(body.as_bytes());
        Self::parse(&format!("{body}{check}"))
    }

    /// Parses an 18-character number; accepts a lower-case `x` and surrounding whitespace.
    ///
    /// Checks, in this order: length, characters, province, birth date (a real date, not
    /// before 1900-01-01), check character. Birth dates in the future are not rejected here
    /// (there is no clock in the domain): use [`parse_on`](Self::parse_on) for input.
    pub fn parse(s: &str) -> Result<Self, IdentityError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(IdentityError::Empty { kind: KIND });
        }
        let len = s.chars().count();
        if len != LEN {
            return Err(IdentityError::WrongLength {
                kind: KIND,
                found: len,
            });
        }
        let mut text = String::with_capacity(LEN);
        for (i, c) in s.chars().enumerate() {
            let c = match c {
                '0'..='9' => c,
                'X' | 'x' if i == LEN - 1 => 'X',
                _ => {
                    return Err(IdentityError::BadCharacter {
                        kind: KIND,
                        position: i + 1,
                        found: c,
                    });
                }
            };
            text.push(c);
        }
        // ASCII from here on.
        if !is_id_province(&text[..2]) {
            return Err(IdentityError::UnknownRegion { kind: KIND });
        }
        let birth_date = parse_date(&text[6..14]).ok_or(IdentityError::BadBirthDate)?;
        if birth_date < Self::MIN_BIRTH_DATE {
            return Err(IdentityError::BirthDateTooEarly);
        }
        let expected = check_char(&text.as_bytes()[..LEN - 1]);
        let found = char::from(text.as_bytes()[LEN - 1]);
        if expected != found {
            return Err(IdentityError::BadCheckDigit {
                kind: KIND,
                expected,
                found,
            });
        }
        Ok(ResidentId { text, birth_date })
    }

    /// [`parse`](Self::parse), and also rejects a birth date after `today` (a birth date of
    /// today is accepted: newborns get registered).
    pub fn parse_on(s: &str, today: NaiveDate) -> Result<Self, IdentityError> {
        let id = Self::parse(s)?;
        if id.birth_date > today {
            return Err(IdentityError::BirthDateInFuture);
        }
        Ok(id)
    }

    /// The 18 characters, `X` upper-case.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Birth date (characters 7–14).
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Sex from the 17th digit: odd is male.
    pub fn is_male(&self) -> bool {
        self.text.as_bytes()[LEN - 2] % 2 == 1
    }

    /// The 6-digit address code (characters 1–6): the region of first registration, which may
    /// since have been renamed or merged, so it is not a [`RegionCode`](super::RegionCode).
    pub fn region_prefix(&self) -> &str {
        &self.text[..6]
    }

    /// First 4 and last 4 characters, the rest starred: `4405**********123X`.
    pub fn masked(&self) -> String {
        mask_middle(&self.text, 4, 4)
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResidentId").field(&self.masked()).finish()
    }
}

/// `YYYYMMDD` (ASCII digits) to a date, `None` if not a calendar date.
pub(super) fn parse_date(digits: &str) -> Option<NaiveDate> {
    let year = digits.get(0..4)?.parse().ok()?;
    let month = digits.get(4..6)?.parse().ok()?;
    let day = digits.get(6..8)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn err(s: &str) -> IdentityError {
        ResidentId::parse(s).unwrap_err()
    }

    #[test]
    fn standard_sample_is_valid() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date(), date(1949, 12, 31));
        assert!(!id.is_male());
        assert_eq!(id.region_prefix(), "110105");
        assert_eq!(id.masked(), "1101**********002X");
    }

    #[test]
    fn other_valid_numbers() {
        let man = ResidentId::parse(" 440511199003071234\n").unwrap();
        assert_eq!(man.to_string(), "440511199003071234");
        assert!(man.is_male());
        assert_eq!(man.birth_date(), date(1990, 3, 7));
        assert_eq!(man.masked(), "4405**********1234");
        let woman = ResidentId::parse("440511198511150022").unwrap();
        assert!(!woman.is_male());
        // Check character 0, a leap day, Hong Kong residence-permit style address code.
        ResidentId::parse("440511200101010019").unwrap();
        ResidentId::parse("350102200002290019").unwrap();
        ResidentId::parse("810000199901010014").unwrap();
        // Lower-case x is accepted and canonicalised.
        let lower = ResidentId::parse("11010519491231002x").unwrap();
        assert_eq!(lower.as_str(), "11010519491231002X");
        assert_eq!(lower, ResidentId::parse("11010519491231002X").unwrap());
    }

    #[test]
    fn errors() {
        let kind = KIND;
        assert_eq!(err(""), IdentityError::Empty { kind });
        assert_eq!(
            err("110105491231002"),
            IdentityError::WrongLength { kind, found: 15 }
        );
        assert_eq!(
            err("11010519491231002X0"),
            IdentityError::WrongLength { kind, found: 19 }
        );
        assert_eq!(
            err("1101051949123100X2"),
            IdentityError::BadCharacter {
                kind,
                position: 17,
                found: 'X'
            }
        );
        assert_eq!(
            err("11010519491231002Y"),
            IdentityError::BadCharacter {
                kind,
                position: 18,
                found: 'Y'
            }
        );
        // Full-width digit: one character, reported at its character position.
        assert_eq!(
            err("1101051949123１002X"),
            IdentityError::BadCharacter {
                kind,
                position: 14,
                found: '１'
            }
        );
        assert_eq!(
            err("11010519491231002 "),
            ResidentId::parse("11010519491231002").unwrap_err()
        );
        assert_eq!(
            err("990105194912310027"),
            IdentityError::UnknownRegion { kind }
        );
        assert_eq!(
            err("000000194912310020"),
            IdentityError::UnknownRegion { kind }
        );
        assert_eq!(err("110105194902300020"), IdentityError::BadBirthDate);
        assert_eq!(err("110105194913010020"), IdentityError::BadBirthDate);
        assert_eq!(err("110105189912310020"), IdentityError::BirthDateTooEarly);
        assert_eq!(
            err("110105194912310021"),
            IdentityError::BadCheckDigit {
                kind,
                expected: 'X',
                found: '1'
            }
        );
        assert_eq!(err("110105194912310021").code(), "resident_id_check_digit");
    }

    #[test]
    fn parse_on_rejects_future_birth_dates() {
        // Born 2001-01-01.
        let s = "440511200101010019";
        assert_eq!(
            ResidentId::parse_on(s, date(2000, 12, 31)).unwrap_err(),
            IdentityError::BirthDateInFuture
        );
        assert!(ResidentId::parse_on(s, date(2001, 1, 1)).is_ok());
        assert!(ResidentId::parse_on(s, date(2026, 11, 21)).is_ok());
        // Other errors come first.
        assert_eq!(
            ResidentId::parse_on("440511200101010010", date(2000, 1, 1))
                .unwrap_err()
                .code(),
            "resident_id_check_digit"
        );
    }

    #[test]
    fn a_number_is_built_from_its_parts() {
        let id = ResidentId::from_parts("110105", date(1949, 12, 31), 2).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert!(ResidentId::from_parts("990105", date(1949, 12, 31), 2).is_err());
    }

    #[test]
    fn debug_is_masked() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(format!("{id:?}"), "ResidentId(\"1101**********002X\")");
    }

    #[test]
    fn serde_round_trip() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"11010519491231002X\"");
        assert_eq!(serde_json::from_str::<ResidentId>(&json).unwrap(), id);
        assert_eq!(
            serde_json::from_str::<ResidentId>("\"11010519491231002x\"").unwrap(),
            id
        );
        assert!(serde_json::from_str::<ResidentId>("\"110105194912310021\"").is_err());
    }

    fn id_provinces() -> Vec<String> {
        let mut v: Vec<String> = (10..100)
            .map(|n| n.to_string())
            .filter(|p| is_id_province(p))
            .collect();
        v.sort();
        v
    }

    /// A valid number: province, 4 digits, birth date 1900–2099, sequence, check character.
    fn valid_id() -> impl Strategy<Value = String> {
        (
            prop::sample::select(id_provinces()),
            0u32..10_000,
            0i64..73_049,
            0u32..1000,
        )
            .prop_map(|(province, rest, days, seq)| {
                let birth = ResidentId::MIN_BIRTH_DATE + chrono::Duration::days(days);
                let body = format!("{province}{rest:04}{}{seq:03}", birth.format("%Y%m%d"));
                format!("{body}{}", check_char(body.as_bytes()))
            })
    }

    proptest! {
        #[test]
        fn valid_numbers_round_trip(s in valid_id()) {
            let id = ResidentId::parse(&s).unwrap();
            prop_assert_eq!(id.to_string(), s.clone());
            prop_assert_eq!(parse_date(&s[6..14]), Some(id.birth_date()));
            prop_assert_eq!(ResidentId::parse(&s.to_lowercase()).unwrap(), id.clone());
            let masked = id.masked();
            prop_assert_eq!(&masked[..4], &s[..4]);
            prop_assert_eq!(&masked[14..], &s[14..]);
            prop_assert_eq!(&masked[4..14], "**********");
        }

        #[test]
        fn every_single_substitution_is_rejected(s in valid_id()) {
            // Every position, every other character allowed there.
            for pos in 0..LEN {
                let allowed: &[u8] = if pos == LEN - 1 { b"0123456789X" } else { b"0123456789" };
                for &replacement in allowed {
                    let mut bytes = s.clone().into_bytes();
                    if bytes[pos] == replacement {
                        continue;
                    }
                    bytes[pos] = replacement;
                    let changed = String::from_utf8(bytes).unwrap();
                    prop_assert!(ResidentId::parse(&changed).is_err(), "{} accepted", changed);
                }
            }
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = ResidentId::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_near_misses(s in "[0-9Xx ]{16,20}") {
            let _ = ResidentId::parse(&s);
        }
    }
}
