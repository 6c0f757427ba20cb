//! 行政区划代码: 6 digits (GB/T 2260, district or above), 9 digits (street/town) or 12 digits
//! (community/village), the last two as in the statistics division codes.

use serde::Deserialize;

use super::{CodeKind, IdentityError};
use crate::organisation::RegionLevel;

/// Province-level codes of GB/T 2260 (first two digits of every region code).
const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", // 北京 天津 河北 山西 内蒙古
    "21", "22", "23", // 辽宁 吉林 黑龙江
    "31", "32", "33", "34", "35", "36",
    "37", // 上海 江苏 浙江 安徽 福建 江西 山东
    "41", "42", "43", "44", "45", "46", // 河南 湖北 湖南 广东 广西 海南
    "50", "51", "52", "53", "54", // 重庆 四川 贵州 云南 西藏
    "61", "62", "63", "64", "65", // 陕西 甘肃 青海 宁夏 新疆
    "71", // 台湾
    "81", "82", // 香港 澳门
];

/// Whether `code` (two ASCII digits) is a GB/T 2260 province-level code.
pub(super) fn is_province(code: &str) -> bool {
    PROVINCES.contains(&code)
}

/// Checks the 6-digit GB/T 2260 part: known province, and no county part under a bare
/// province (`PP00CC` with `CC` ≠ `00` does not exist: counties directly under a province use
/// city part `90`).
fn check_district(digits: &str, kind: CodeKind) -> Result<(), IdentityError> {
    let unknown = IdentityError::UnknownRegion { kind };
    let (Some(province), Some(city), Some(county)) =
        (digits.get(0..2), digits.get(2..4), digits.get(4..6))
    else {
        return Err(unknown);
    };
    if !is_province(province) || (city == "00" && county != "00") {
        return Err(unknown);
    }
    Ok(())
}

/// A region code. Canonical form: the digits only.
///
/// `level()` is [`RegionLevel::District`] for every 6-digit code, including city and province
/// codes (`440500`, `440000`): the domain does not model levels above the district.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct RegionCode(String);

string_code!(RegionCode);

impl RegionCode {
    /// Parses a 6-, 9- or 12-digit region code.
    ///
    /// Rejects unknown provinces, a street or community part of `000`, and streets directly
    /// under a province.
    pub fn parse(s: &str) -> Result<Self, IdentityError> {
        const KIND: CodeKind = CodeKind::RegionCode;
        let s = s.trim();
        if s.is_empty() {
            return Err(IdentityError::Empty { kind: KIND });
        }
        let len = s.chars().count();
        if !KIND.expected_lengths().contains(&len) {
            return Err(IdentityError::WrongLength {
                kind: KIND,
                found: len,
            });
        }
        if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(IdentityError::BadCharacter {
                kind: KIND,
                position: i + 1,
                found: c,
            });
        }
        // From here on `s` is ASCII digits, so byte ranges are character ranges.
        check_district(&s[..6], KIND)?;
        if len >= 9 {
            if &s[2..4] == "00" {
                // A street needs a city or county above it, not a bare province.
                return Err(IdentityError::UnknownRegion { kind: KIND });
            }
            if &s[6..9] == "000" {
                return Err(IdentityError::ZeroRegionPart {
                    level: RegionLevel::Street,
                });
            }
        }
        if len == 12 && &s[9..12] == "000" {
            return Err(IdentityError::ZeroRegionPart {
                level: RegionLevel::Community,
            });
        }
        Ok(RegionCode(s.to_owned()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// District (6 digits), street (9) or community (12).
    pub fn level(&self) -> RegionLevel {
        match self.0.len() {
            12 => RegionLevel::Community,
            9 => RegionLevel::Street,
            _ => RegionLevel::District,
        }
    }

    /// The street of a community, the district of a street; `None` for a district.
    pub fn parent(&self) -> Option<RegionCode> {
        match self.level() {
            RegionLevel::Community => Some(self.prefix(9)),
            RegionLevel::Street => Some(self.prefix(6)),
            RegionLevel::District => None,
        }
    }

    /// The 6-digit district part (itself for a district).
    pub fn district(&self) -> RegionCode {
        self.prefix(6)
    }

    /// Whether `other` lies within `self` (or is `self`): a prefix test on the significant
    /// digits, so a city code `440500` or province code `440000` contains `440511` and all its
    /// streets and communities, and a district contains its streets.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.significant())
    }

    /// The code without the trailing `00`/`0000` that mark a city or province.
    fn significant(&self) -> &str {
        let s = self.0.as_str();
        if s.len() == 6 {
            if s.ends_with("0000") {
                return &s[..2];
            }
            if s.ends_with("00") {
                return &s[..4];
            }
        }
        s
    }

    /// The first `len` digits; valid for 6 and 9 because every prefix of a valid code at a
    /// level boundary is itself valid.
    fn prefix(&self, len: usize) -> RegionCode {
        RegionCode(self.0.get(..len).unwrap_or(&self.0).to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    fn err(s: &str) -> IdentityError {
        RegionCode::parse(s).unwrap_err()
    }

    #[test]
    fn parses_the_three_levels() {
        let district = code("440511");
        let street = code(" 440511003 ");
        let community = code("440511003001");
        assert_eq!(district.level(), RegionLevel::District);
        assert_eq!(street.level(), RegionLevel::Street);
        assert_eq!(community.level(), RegionLevel::Community);
        assert_eq!(street.as_str(), "440511003");
        assert_eq!(community.to_string(), "440511003001");
        assert_eq!(community.parent(), Some(street.clone()));
        assert_eq!(street.parent(), Some(district.clone()));
        assert_eq!(district.parent(), None);
        assert_eq!(community.district(), district);
        assert_eq!(district.district(), district);
        // City and province codes, and a city without districts (东莞) with its towns.
        assert_eq!(code("440000").level(), RegionLevel::District);
        assert_eq!(code("441900003").district(), code("441900"));
        code("810000");
        code("429004");
    }

    #[test]
    fn containment() {
        let province = code("440000");
        let city = code("440500");
        let district = code("440511");
        let street = code("440511003");
        let community = code("440511003001");
        for outer in [&province, &city, &district, &street, &community] {
            assert!(outer.contains(outer));
            assert!(province.contains(outer));
        }
        assert!(city.contains(&community));
        assert!(district.contains(&street));
        assert!(street.contains(&community));
        assert!(!community.contains(&street));
        assert!(!street.contains(&district));
        assert!(!district.contains(&city));
        assert!(!district.contains(&code("440512")));
        assert!(!street.contains(&code("440511004001")));
        assert!(!code("110000").contains(&district));
    }

    #[test]
    fn errors() {
        let kind = CodeKind::RegionCode;
        assert_eq!(err("  "), IdentityError::Empty { kind });
        assert_eq!(err("4405"), IdentityError::WrongLength { kind, found: 4 });
        assert_eq!(
            err("4405110031"),
            IdentityError::WrongLength { kind, found: 10 }
        );
        assert_eq!(
            err("44051a"),
            IdentityError::BadCharacter {
                kind,
                position: 6,
                found: 'a'
            }
        );
        assert_eq!(
            err("４40511"),
            IdentityError::BadCharacter {
                kind,
                position: 1,
                found: '４'
            }
        );
        assert_eq!(err("000000"), IdentityError::UnknownRegion { kind });
        assert_eq!(err("990101"), IdentityError::UnknownRegion { kind });
        assert_eq!(err("440011"), IdentityError::UnknownRegion { kind });
        assert_eq!(err("440000001"), IdentityError::UnknownRegion { kind });
        assert_eq!(
            err("440511000"),
            IdentityError::ZeroRegionPart {
                level: RegionLevel::Street
            }
        );
        assert_eq!(
            err("440511000001"),
            IdentityError::ZeroRegionPart {
                level: RegionLevel::Street
            }
        );
        assert_eq!(
            err("440511003000"),
            IdentityError::ZeroRegionPart {
                level: RegionLevel::Community
            }
        );
        assert_eq!(err("440511000").code(), "region_code_zero_street");
        assert_eq!(err("440511003000").code(), "region_code_zero_community");
    }

    #[test]
    fn serde_round_trip() {
        let c = code("440511003001");
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, "\"440511003001\"");
        assert_eq!(serde_json::from_str::<RegionCode>(&json).unwrap(), c);
        assert!(serde_json::from_str::<RegionCode>("\"440511000\"").is_err());
        assert!(serde_json::from_str::<RegionCode>("440511").is_err());
    }

    /// A valid code of 6, 9 or 12 digits.
    fn valid_region() -> impl Strategy<Value = String> {
        (
            prop::sample::select(PROVINCES.to_vec()),
            1u32..100,
            0u32..100,
            1u32..1000,
            1u32..1000,
            0usize..3,
        )
            .prop_map(|(p, city, county, street, community, extra)| {
                let district = format!("{p}{city:02}{county:02}");
                match extra {
                    0 => district,
                    1 => format!("{district}{street:03}"),
                    _ => format!("{district}{street:03}{community:03}"),
                }
            })
    }

    proptest! {
        #[test]
        fn valid_codes_round_trip(s in valid_region()) {
            let c = RegionCode::parse(&s).unwrap();
            prop_assert_eq!(c.as_str(), s.as_str());
            prop_assert_eq!(RegionCode::parse(&format!(" {s}\t")).unwrap(), c.clone());
            prop_assert!(c.district().contains(&c));
            if let Some(parent) = c.parent() {
                prop_assert!(parent.contains(&c));
                prop_assert!(!c.contains(&parent));
            }
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = RegionCode::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_digits(s in "[0-9 ]{0,14}") {
            let _ = RegionCode::parse(&s);
        }
    }
}
