//! Mainland China mobile numbers: 11 digits, `1[3-9]` then 9 digits.

use std::fmt;

use serde::Deserialize;

use super::{CodeKind, IdentityError, mask_middle};

const KIND: CodeKind = CodeKind::PhoneNumber;
const LEN: usize = 11;

/// A mainland mobile number, canonical form the 11 digits without country code.
///
/// `Debug` shows the masked form, so the number does not leak into logs through `{:?}`.
#[derive(Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct PhoneNumber(String);

string_code!(PhoneNumber);

impl PhoneNumber {
    /// Parses a mobile number. Surrounding whitespace is trimmed, spaces and hyphens between
    /// digits are ignored (`138 1234 5678`, `138-1234-5678`), and a `+86` or `86` country
    /// code is stripped. Any other `+` country code is [`IdentityError::NotMainlandMobile`].
    pub fn parse(s: &str) -> Result<Self, IdentityError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(IdentityError::Empty { kind: KIND });
        }
        let (rest, offset, plus) = match s.strip_prefix('+') {
            Some(r) => match r.strip_prefix("86") {
                Some(r) => (r, 3, true),
                None => return Err(IdentityError::NotMainlandMobile),
            },
            None => (s, 0, false),
        };
        let mut digits = String::with_capacity(LEN + 2);
        for (i, c) in rest.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' => {}
                _ => {
                    return Err(IdentityError::BadCharacter {
                        kind: KIND,
                        position: offset + i + 1,
                        found: c,
                    });
                }
            }
        }
        if !plus && digits.len() == LEN + 2 && digits.starts_with("86") {
            digits.drain(..2);
        }
        if digits.len() != LEN {
            return Err(IdentityError::WrongLength {
                kind: KIND,
                found: digits.len(),
            });
        }
        let b = digits.as_bytes();
        if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
            return Err(IdentityError::NotMainlandMobile);
        }
        Ok(PhoneNumber(digits))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last four digits (what a clerk reads back to confirm).
    pub fn last_four(&self) -> &str {
        &self.0[LEN - 4..]
    }

    /// First 3 and last 4 digits, the middle starred: `138****5678`.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 3, 4)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PhoneNumber").field(&self.masked()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn phone(s: &str) -> PhoneNumber {
        PhoneNumber::parse(s).unwrap()
    }

    fn err(s: &str) -> IdentityError {
        PhoneNumber::parse(s).unwrap_err()
    }

    #[test]
    fn valid_numbers_and_prefixes() {
        let p = phone("13812345678");
        assert_eq!(p.as_str(), "13812345678");
        assert_eq!(p.to_string(), "13812345678");
        assert_eq!(p.last_four(), "5678");
        assert_eq!(p.masked(), "138****5678");
        for s in [
            " 13812345678 ",
            "+8613812345678",
            "+86 138 1234 5678",
            "8613812345678",
            "86-138-1234-5678",
            "138 1234 5678",
        ] {
            assert_eq!(phone(s), p, "{s}");
        }
        phone("19912345678");
    }

    #[test]
    fn errors() {
        let kind = KIND;
        assert_eq!(err(""), IdentityError::Empty { kind });
        assert_eq!(
            err("1381234567"),
            IdentityError::WrongLength { kind, found: 10 }
        );
        assert_eq!(err("+86"), IdentityError::WrongLength { kind, found: 0 });
        // `+86` then a 13-digit number starting with 86: not stripped twice.
        assert_eq!(
            err("+868613812345678"),
            IdentityError::WrongLength { kind, found: 13 }
        );
        assert_eq!(
            err("138a2345678"),
            IdentityError::BadCharacter {
                kind,
                position: 4,
                found: 'a'
            }
        );
        assert_eq!(
            err("+86 138a2345678"),
            IdentityError::BadCharacter {
                kind,
                position: 8,
                found: 'a'
            }
        );
        assert_eq!(err("12812345678"), IdentityError::NotMainlandMobile);
        assert_eq!(err("02012345678"), IdentityError::NotMainlandMobile);
        assert_eq!(err("+85291234567"), IdentityError::NotMainlandMobile);
        assert_eq!(
            err("+85291234567").code(),
            "phone_number_not_mainland_mobile"
        );
    }

    #[test]
    fn debug_is_masked_and_serde_round_trips() {
        let p = phone("+86 138 1234 5678");
        assert_eq!(format!("{p:?}"), "PhoneNumber(\"138****5678\")");
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, "\"13812345678\"");
        assert_eq!(serde_json::from_str::<PhoneNumber>(&json).unwrap(), p);
        assert!(serde_json::from_str::<PhoneNumber>("\"12812345678\"").is_err());
    }

    proptest! {
        #[test]
        fn valid_numbers_round_trip(s in "1[3-9][0-9]{9}") {
            let p = PhoneNumber::parse(&s).unwrap();
            prop_assert_eq!(p.to_string(), s.clone());
            prop_assert_eq!(PhoneNumber::parse(&format!("+86{s}")).unwrap(), p.clone());
            prop_assert_eq!(PhoneNumber::parse(&format!("86{s}")).unwrap(), p.clone());
            prop_assert_eq!(p.last_four(), &s[7..]);
            prop_assert_eq!(p.masked(), format!("{}****{}", &s[..3], &s[7..]));
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = PhoneNumber::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_near_misses(s in "[+]?[0-9 -]{9,15}") {
            let _ = PhoneNumber::parse(&s);
        }
    }
}
