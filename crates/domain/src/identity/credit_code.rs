//! 统一社会信用代码 (GB 32100-2015): registration authority (1), organisation category (1),
//! region (6 digits), organisation code (9, GB 11714 with its own check character), check (1).

use serde::Deserialize;

use super::{CodeKind, IdentityError, mask_middle};

const KIND: CodeKind = CodeKind::CreditCode;
const LEN: usize = 18;
/// The 31 characters, valued 0–30 by position (no I, O, S, V, Z).
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// 3^i mod 31 for characters 1–17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Registration authority codes (登记管理部门码), character 1.
const AUTHORITIES: &[u8] = b"123456789ABCDEFGNY";
/// GB 11714 weights for the 8 body characters of the organisation code.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

fn value(c: u8) -> u32 {
    CHARSET.iter().position(|&x| x == c).unwrap_or(0) as u32
}

/// GB 32100 check character of the first 17 characters: 31 − (Σ value·weight mod 31), 31 → 0.
fn check_char(body: &[u8]) -> char {
    let sum: u32 = body.iter().zip(WEIGHTS).map(|(&c, w)| value(c) * w).sum();
    char::from(CHARSET[((31 - sum % 31) % 31) as usize])
}

/// GB 11714 check character of an 8-character organisation code body. Values are those of
/// GB 11714, not of the credit-code charset: digits 0–9, letters A=10 … Z=35.
/// 11 − (Σ value·weight mod 11); 10 → `X`, 11 → `0`.
fn organisation_check_char(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(ORG_WEIGHTS)
        .map(|(&c, w)| {
            let v = match c {
                b'0'..=b'9' => u32::from(c - b'0'),
                b'A'..=b'Z' => u32::from(c - b'A') + 10,
                _ => 0,
            };
            v * w
        })
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from(b'0' + d as u8),
    }
}

/// A unified social credit code, canonical form upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct CreditCode(String);

string_code!(CreditCode);

impl CreditCode {
    /// Parses an 18-character code; lower-case letters and surrounding whitespace accepted.
    ///
    /// Checks, in this order: length, characters (the 31-character set; characters 3–8
    /// digits), registration authority, check character, organisation-code check character.
    /// The organisation category (character 2) is not checked against the authority: the table
    /// grows with new kinds of registrant, and the check character already guards typing.
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
            let upper = c.to_ascii_uppercase();
            let allowed = if (2..8).contains(&i) {
                upper.is_ascii_digit()
            } else {
                upper.is_ascii() && CHARSET.contains(&(upper as u8))
            };
            if !allowed {
                return Err(IdentityError::BadCharacter {
                    kind: KIND,
                    position: i + 1,
                    found: c,
                });
            }
            text.push(upper);
        }
        let bytes = text.as_bytes();
        if !AUTHORITIES.contains(&bytes[0]) {
            return Err(IdentityError::BadRegistrationAuthority {
                found: char::from(bytes[0]),
            });
        }
        let expected = check_char(&bytes[..LEN - 1]);
        let found = char::from(bytes[LEN - 1]);
        if expected != found {
            return Err(IdentityError::BadCheckDigit {
                kind: KIND,
                expected,
                found,
            });
        }
        let expected = organisation_check_char(&bytes[8..16]);
        let found = char::from(bytes[16]);
        if expected != found {
            return Err(IdentityError::BadOrganisationCheckDigit { expected, found });
        }
        Ok(CreditCode(text))
    }

    /// The 18 characters, upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Registration authority code (character 1), e.g. `9` for market regulation (工商).
    pub fn registration_authority(&self) -> char {
        char::from(self.0.as_bytes()[0])
    }

    /// Organisation category within the authority (character 2), e.g. `1` for an enterprise
    /// under authority `9`.
    pub fn organisation_category(&self) -> char {
        char::from(self.0.as_bytes()[1])
    }

    /// Region code of the registering authority (characters 3–8), six digits. Not a
    /// [`RegionCode`](super::RegionCode): national registrations use `100000`.
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }

    /// GB 11714 organisation code (characters 9–17), check character included.
    pub fn organisation_code(&self) -> &str {
        &self.0[8..17]
    }

    /// First 6 and last 4 characters, the rest starred: `913501********0Y43`.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 6, 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn err(s: &str) -> IdentityError {
        CreditCode::parse(s).unwrap_err()
    }

    #[test]
    fn commonly_cited_code_is_valid() {
        let c = CreditCode::parse("91350100M000100Y43").unwrap();
        assert_eq!(c.as_str(), "91350100M000100Y43");
        assert_eq!(c.registration_authority(), '9');
        assert_eq!(c.organisation_category(), '1');
        assert_eq!(c.region_code(), "350100");
        assert_eq!(c.organisation_code(), "M000100Y4");
        assert_eq!(c.masked(), "913501********0Y43");
    }

    #[test]
    fn other_valid_codes() {
        // National public institution, individual business, organisation check chars X and 0.
        for s in [
            "12100000400010398P",
            "92440511L12345674M",
            "91440511MA4UABCD9J",
            "91440511MA000004XP",
            "91440511MA00000903",
        ] {
            let c = CreditCode::parse(s).unwrap();
            assert_eq!(c.to_string(), s);
        }
        let lower = CreditCode::parse("\t91350100m000100y43 ").unwrap();
        assert_eq!(lower.as_str(), "91350100M000100Y43");
    }

    #[test]
    fn known_check_characters() {
        assert_eq!(check_char(b"91350100M000100Y4"), '3');
        assert_eq!(organisation_check_char(b"M000100Y"), '4');
        assert_eq!(organisation_check_char(b"MA000004"), 'X');
        assert_eq!(organisation_check_char(b"MA000009"), '0');
    }

    #[test]
    fn errors() {
        let kind = KIND;
        assert_eq!(err(" "), IdentityError::Empty { kind });
        assert_eq!(
            err("91350100M000100Y4"),
            IdentityError::WrongLength { kind, found: 17 }
        );
        // I, O, S, V, Z are not in the set.
        assert_eq!(
            err("91350100M000100I43"),
            IdentityError::BadCharacter {
                kind,
                position: 16,
                found: 'I'
            }
        );
        assert_eq!(
            err("91350100o000100Y43"),
            IdentityError::BadCharacter {
                kind,
                position: 9,
                found: 'o'
            }
        );
        // Region part must be digits.
        assert_eq!(
            err("9135A100M000100Y43"),
            IdentityError::BadCharacter {
                kind,
                position: 5,
                found: 'A'
            }
        );
        assert_eq!(
            err("H1350100M000100Y43"),
            IdentityError::BadRegistrationAuthority { found: 'H' }
        );
        assert_eq!(
            err("01350100M000100Y43"),
            IdentityError::BadRegistrationAuthority { found: '0' }
        );
        assert_eq!(
            err("91350100M000100Y44"),
            IdentityError::BadCheckDigit {
                kind,
                expected: '3',
                found: '4'
            }
        );
        // Passes the overall check but the embedded organisation code does not.
        let body = b"91350100M000100Y5";
        let forged = format!("{}{}", std::str::from_utf8(body).unwrap(), check_char(body));
        assert_eq!(
            err(&forged),
            IdentityError::BadOrganisationCheckDigit {
                expected: '4',
                found: '5'
            }
        );
        assert_eq!(err(&forged).code(), "credit_code_organisation_check_digit");
    }

    #[test]
    fn serde_round_trip() {
        let c = CreditCode::parse("91350100M000100Y43").unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, "\"91350100M000100Y43\"");
        assert_eq!(serde_json::from_str::<CreditCode>(&json).unwrap(), c);
        assert_eq!(
            serde_json::from_str::<CreditCode>("\"91350100m000100y43\"").unwrap(),
            c
        );
        assert!(serde_json::from_str::<CreditCode>("\"91350100M000100Y44\"").is_err());
    }

    /// A valid code built from random parts with both check characters computed.
    fn valid_code() -> impl Strategy<Value = String> {
        (
            prop::sample::select(AUTHORITIES.to_vec()),
            prop::sample::select(CHARSET.to_vec()),
            0u32..1_000_000,
            prop::collection::vec(prop::sample::select(CHARSET.to_vec()), 8),
        )
            .prop_map(|(authority, category, region, org)| {
                let mut body = vec![authority, category];
                body.extend(format!("{region:06}").bytes());
                body.extend(&org);
                body.push(organisation_check_char(&org) as u8);
                let check = check_char(&body);
                let mut s = String::from_utf8(body).unwrap();
                s.push(check);
                s
            })
    }

    proptest! {
        #[test]
        fn valid_codes_round_trip(s in valid_code()) {
            let c = CreditCode::parse(&s).unwrap();
            prop_assert_eq!(c.to_string(), s.clone());
            prop_assert_eq!(CreditCode::parse(&s.to_lowercase()).unwrap(), c.clone());
            prop_assert_eq!(c.region_code(), &s[2..8]);
            let masked = c.masked();
            prop_assert_eq!(&masked[..6], &s[..6]);
            prop_assert_eq!(&masked[14..], &s[14..]);
        }

        #[test]
        fn every_single_substitution_is_rejected(s in valid_code()) {
            // Every position, every other character of the set.
            for pos in 0..LEN {
                for &replacement in CHARSET {
                    let mut bytes = s.clone().into_bytes();
                    if bytes[pos] == replacement {
                        continue;
                    }
                    bytes[pos] = replacement;
                    let changed = String::from_utf8(bytes).unwrap();
                    prop_assert!(CreditCode::parse(&changed).is_err(), "{} accepted", changed);
                }
            }
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = CreditCode::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_near_misses(s in "[0-9A-Za-z ]{16,20}") {
            let _ = CreditCode::parse(&s);
        }
    }
}
