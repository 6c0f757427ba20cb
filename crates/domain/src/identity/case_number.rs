//! 办件编号: `{district}-{YYYYMMDD}-{sequence}{check}`, e.g. `440511-20261121-0001237`,
//! short enough to read over the phone and guarded by a Damm check digit.
//!
//! Why Damm: the number is read aloud and typed back, so the errors to catch are one wrong
//! digit and two neighbouring digits swapped. Damm's quasigroup is weakly totally
//! anti-symmetric, which provably detects *every* single-digit error and *every* adjacent
//! transposition (the check digit included), with a single decimal check digit. Luhn misses
//! 09↔90; ISO 7064 MOD 11-10 misses some swaps too (from internal state 1 it cannot tell
//! 45 from 54; 20 such state/pair cases in all); MOD 11-2 would need an `X`.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::{CodeKind, IdentityError, RegionCode, resident_id::parse_date};

const KIND: CodeKind = CodeKind::CaseNumber;
/// Digits without separators: 6 district + 8 date + 6 sequence + 1 check.
const DIGITS: usize = 21;
/// Largest sequence number of one district and day.
const MAX_SEQUENCE: u32 = 999_999;
const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 9999;

/// The Damm operation table (totally anti-symmetric quasigroup of order 10, zero diagonal).
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// Damm interim digit of ASCII digits (non-digits count as 0). The check digit of a body is
/// its interim digit; a body followed by its check digit has interim digit 0.
fn damm(digits: &[u8]) -> u8 {
    digits.iter().fold(0u8, |state, &c| {
        DAMM[usize::from(state)][usize::from(c.wrapping_sub(b'0') % 10)]
    })
}

/// A case number. Canonical form `DDDDDD-YYYYMMDD-SSSSSSC` (23 characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct CaseNumber {
    text: String,
    district: RegionCode,
    date: NaiveDate,
    sequence: u32,
}

string_code!(CaseNumber);

impl CaseNumber {
    /// Number of the `sequence`-th case of `date` in the district of `district` (a street or
    /// community code is reduced to its district). Errors: sequence outside 1..=999 999
    /// ([`IdentityError::BadSequence`]), a year outside 1900..=9999
    /// ([`IdentityError::BadCaseDate`]).
    pub fn new(
        district: &RegionCode,
        date: NaiveDate,
        sequence: u32,
    ) -> Result<CaseNumber, IdentityError> {
        if !(1..=MAX_SEQUENCE).contains(&sequence) {
            return Err(IdentityError::BadSequence);
        }
        if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
            return Err(IdentityError::BadCaseDate);
        }
        let district = district.district();
        let body = format!(
            "{}{:04}{:02}{:02}{:06}",
            district.as_str(),
            date.year(),
            date.month(),
            date.day(),
            sequence
        );
        let check = damm(body.as_bytes());
        Ok(Self::assemble(&body, check, district, date, sequence))
    }

    /// Parses a case number with or without hyphens, with spaces anywhere (as read out or
    /// copied), surrounding whitespace trimmed.
    ///
    /// Checks, in this order: characters, length, check digit (any typo is reported as such
    /// first: every valid number was issued by [`new`](Self::new)), district, date, sequence.
    pub fn parse(s: &str) -> Result<Self, IdentityError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(IdentityError::Empty { kind: KIND });
        }
        let mut digits = Vec::with_capacity(DIGITS);
        for (i, c) in s.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c as u8),
                '-' | ' ' => {}
                _ => {
                    return Err(IdentityError::BadCharacter {
                        kind: KIND,
                        position: i + 1,
                        found: c,
                    });
                }
            }
        }
        if digits.len() != DIGITS {
            return Err(IdentityError::WrongLength {
                kind: KIND,
                found: digits.len(),
            });
        }
        if damm(&digits) != 0 {
            return Err(IdentityError::BadCheckDigit {
                kind: KIND,
                expected: char::from(b'0' + damm(&digits[..DIGITS - 1])),
                found: char::from(digits[DIGITS - 1]),
            });
        }
        // ASCII digits only from here on.
        let body = String::from_utf8_lossy(&digits[..DIGITS - 1]).into_owned();
        let district = RegionCode::parse(&body[..6])
            .map_err(|_| IdentityError::UnknownRegion { kind: KIND })?;
        let date = parse_date(&body[6..14])
            .filter(|d| (MIN_YEAR..=MAX_YEAR).contains(&d.year()))
            .ok_or(IdentityError::BadCaseDate)?;
        let sequence: u32 = body[14..20]
            .parse()
            .map_err(|_| IdentityError::BadSequence)?;
        if sequence == 0 {
            return Err(IdentityError::BadSequence);
        }
        let check = digits[DIGITS - 1] - b'0';
        Ok(Self::assemble(&body, check, district, date, sequence))
    }

    fn assemble(
        body: &str,
        check: u8,
        district: RegionCode,
        date: NaiveDate,
        sequence: u32,
    ) -> CaseNumber {
        let text = format!("{}-{}-{}{}", &body[..6], &body[6..14], &body[14..20], check);
        CaseNumber {
            text,
            district,
            date,
            sequence,
        }
    }

    /// The canonical form, `DDDDDD-YYYYMMDD-SSSSSSC`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// District (6-digit region code) that issued the number.
    pub fn district(&self) -> &RegionCode {
        &self.district
    }

    /// Day the number was issued.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// Sequence within the district and day, 1..=999 999.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::region_code;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn region(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    fn err(s: &str) -> IdentityError {
        CaseNumber::parse(s).unwrap_err()
    }

    #[test]
    fn damm_table_is_totally_anti_symmetric_with_zero_diagonal() {
        for (i, row) in DAMM.iter().enumerate() {
            assert_eq!(row[i], 0);
            let mut seen = [false; 10];
            for &v in row {
                seen[usize::from(v)] = true;
            }
            assert!(seen.iter().all(|&s| s), "row {i} is not a permutation");
        }
        for c in 0..10 {
            for x in 0..10 {
                for y in 0..10 {
                    if x != y {
                        assert_ne!(DAMM[DAMM[c][x] as usize][y], DAMM[DAMM[c][y] as usize][x]);
                    }
                }
            }
        }
        // Example from the literature: 572 → 4.
        assert_eq!(damm(b"572"), 4);
        assert_eq!(damm(b"5724"), 0);
    }

    #[test]
    fn new_and_accessors() {
        let n = CaseNumber::new(&region("440511"), date(2026, 11, 21), 123).unwrap();
        assert_eq!(n.as_str(), "440511-20261121-0001237");
        assert_eq!(n.to_string(), "440511-20261121-0001237");
        assert_eq!(n.district(), &region("440511"));
        assert_eq!(n.date(), date(2026, 11, 21));
        assert_eq!(n.sequence(), 123);
        // A station's street code is reduced to its district.
        let from_street =
            CaseNumber::new(&region("440511003001"), date(2026, 11, 21), 123).unwrap();
        assert_eq!(from_street, n);
        let last = CaseNumber::new(&region("110101"), date(2000, 1, 1), 999_999).unwrap();
        assert_eq!(last.as_str(), "110101-20000101-9999997");
    }

    #[test]
    fn new_errors() {
        let d = region("440511");
        let day = date(2026, 11, 21);
        assert_eq!(
            CaseNumber::new(&d, day, 0).unwrap_err(),
            IdentityError::BadSequence
        );
        assert_eq!(
            CaseNumber::new(&d, day, 1_000_000).unwrap_err(),
            IdentityError::BadSequence
        );
        assert_eq!(
            CaseNumber::new(&d, date(1899, 12, 31), 1).unwrap_err(),
            IdentityError::BadCaseDate
        );
        assert_eq!(
            CaseNumber::new(&d, date(10_000, 1, 1), 1).unwrap_err(),
            IdentityError::BadCaseDate
        );
    }

    #[test]
    fn parse_accepts_separators_and_spaces() {
        let n = CaseNumber::parse("440511-20261121-0001237").unwrap();
        for s in [
            "440511202611210001237",
            "  440511 20261121 0001237 ",
            "440511 - 20261121 - 000123 7",
            "4405-1120-2611-2100-0123-7",
        ] {
            assert_eq!(CaseNumber::parse(s).unwrap(), n, "{s}");
        }
    }

    #[test]
    fn parse_errors() {
        let kind = KIND;
        assert_eq!(err("  "), IdentityError::Empty { kind });
        assert_eq!(err("---"), IdentityError::WrongLength { kind, found: 0 });
        assert_eq!(
            err("440511-20261121-000123"),
            IdentityError::WrongLength { kind, found: 20 }
        );
        assert_eq!(
            err("440511_20261121_0001237"),
            IdentityError::BadCharacter {
                kind,
                position: 7,
                found: '_'
            }
        );
        assert_eq!(
            err("440511-20261121-0001238"),
            IdentityError::BadCheckDigit {
                kind,
                expected: '7',
                found: '8'
            }
        );
        // The 09↔90 swap Luhn would miss, and any adjacent swap.
        assert_eq!(
            err("440511-20261121-0001273").code(),
            "case_number_check_digit"
        );
        assert_eq!(
            err("440511-20261112-0001237").code(),
            "case_number_check_digit"
        );
        // Structurally wrong numbers with a correct Damm digit.
        let with_check = |body: &str| format!("{body}{}", damm(body.as_bytes()));
        assert_eq!(
            err(&with_check("99051120261121000123")),
            IdentityError::UnknownRegion { kind }
        );
        assert_eq!(
            err(&with_check("44051120260230000123")),
            IdentityError::BadCaseDate
        );
        assert_eq!(
            err(&with_check("44051118991231000123")),
            IdentityError::BadCaseDate
        );
        assert_eq!(
            err(&with_check("44051120261121000000")),
            IdentityError::BadSequence
        );
    }

    #[test]
    fn serde_round_trip() {
        let n = CaseNumber::parse("440511-20261121-0001237").unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"440511-20261121-0001237\"");
        assert_eq!(serde_json::from_str::<CaseNumber>(&json).unwrap(), n);
        assert_eq!(
            serde_json::from_str::<CaseNumber>("\"44051120261121 0001237\"").unwrap(),
            n
        );
        assert!(serde_json::from_str::<CaseNumber>("\"440511-20261121-0001238\"").is_err());
    }

    /// A valid case number from its parts.
    fn valid_case() -> impl Strategy<Value = CaseNumber> {
        (
            prop::sample::select(
                (10..100)
                    .map(|n: u32| n.to_string())
                    .filter(|p| region_code::is_province(p))
                    .collect::<Vec<_>>(),
            ),
            1u32..100,
            0u32..100,
            0i64..2_958_000,
            1u32..=MAX_SEQUENCE,
        )
            .prop_map(|(province, city, county, days, sequence)| {
                let district = region(&format!("{province}{city:02}{county:02}"));
                let day = date(1900, 1, 1) + chrono::Duration::days(days);
                CaseNumber::new(&district, day, sequence).unwrap()
            })
    }

    proptest! {
        #[test]
        fn valid_numbers_round_trip(n in valid_case()) {
            let s = n.to_string();
            prop_assert_eq!(s.len(), 23);
            let parsed = CaseNumber::parse(&s).unwrap();
            prop_assert_eq!(parsed.to_string(), s.clone());
            prop_assert_eq!(&parsed, &n);
            prop_assert_eq!(CaseNumber::parse(&s.replace('-', "")).unwrap(), n.clone());
            prop_assert_eq!(CaseNumber::parse(&s.replace('-', " ")).unwrap(), n);
        }

        #[test]
        fn every_single_digit_change_is_rejected(n in valid_case()) {
            let digits = n.to_string().replace('-', "").into_bytes();
            for pos in 0..DIGITS {
                for replacement in b'0'..=b'9' {
                    if digits[pos] == replacement {
                        continue;
                    }
                    let mut changed = digits.clone();
                    changed[pos] = replacement;
                    let changed = String::from_utf8(changed).unwrap();
                    prop_assert!(CaseNumber::parse(&changed).is_err(), "{} accepted", changed);
                }
            }
        }

        #[test]
        fn every_adjacent_swap_is_rejected(n in valid_case()) {
            // Swaps across the hyphens and with the check digit included.
            let digits = n.to_string().replace('-', "").into_bytes();
            for pos in 0..DIGITS - 1 {
                if digits[pos] == digits[pos + 1] {
                    continue;
                }
                let mut changed = digits.clone();
                changed.swap(pos, pos + 1);
                let changed = String::from_utf8(changed).unwrap();
                prop_assert_eq!(
                    CaseNumber::parse(&changed).unwrap_err().code(),
                    "case_number_check_digit",
                    "{} accepted", changed
                );
            }
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = CaseNumber::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_near_misses(s in "[0-9 -]{18,26}") {
            let _ = CaseNumber::parse(&s);
        }
    }
}
