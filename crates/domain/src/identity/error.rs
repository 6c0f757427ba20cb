//! The one error type of the identity codes, with stable codes and messages for clerks.

use thiserror::Error;

use crate::organisation::RegionLevel;

/// Which identity code a value was meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeKind {
    /// 居民身份证号
    ResidentId,
    /// 统一社会信用代码
    CreditCode,
    /// 行政区划代码
    RegionCode,
    /// 办件编号
    CaseNumber,
    /// 手机号
    PhoneNumber,
}

impl CodeKind {
    /// Stable snake_case name, the prefix of every [`IdentityError::code`].
    pub fn as_str(self) -> &'static str {
        self.pick([
            "resident_id",
            "credit_code",
            "region_code",
            "case_number",
            "phone_number",
        ])
    }

    /// English name, used in `Display`.
    pub fn name_en(self) -> &'static str {
        self.pick([
            "resident ID number",
            "unified social credit code",
            "region code",
            "case number",
            "mobile phone number",
        ])
    }

    /// Chinese name, used in [`IdentityError::message_zh`].
    pub fn name_zh(self) -> &'static str {
        self.pick([
            "居民身份证号",
            "统一社会信用代码",
            "行政区划代码",
            "办件编号",
            "手机号",
        ])
    }

    /// Number of significant characters a valid code has (separators not counted).
    pub fn expected_lengths(self) -> &'static [usize] {
        match self {
            CodeKind::ResidentId | CodeKind::CreditCode => &[18],
            CodeKind::RegionCode => &[6, 9, 12],
            CodeKind::CaseNumber => &[21],
            CodeKind::PhoneNumber => &[11],
        }
    }

    fn length_en(self) -> &'static str {
        self.pick([
            "18 characters",
            "18 characters",
            "6, 9 or 12 digits",
            "21 digits (hyphens and spaces aside)",
            "11 digits",
        ])
    }

    fn length_zh(self) -> &'static str {
        self.pick([
            "18位",
            "18位",
            "6位、9位或12位数字",
            "21位数字（连字符、空格不计）",
            "11位数字",
        ])
    }

    fn characters_zh(self) -> &'static str {
        self.pick([
            "前17位应为数字，最后一位为数字或X",
            "只能由数字和大写英文字母组成（不含I、O、S、V、Z），第3至8位为数字",
            "只能包含数字",
            "只能包含数字、连字符和空格",
            "只能包含数字（可带+86前缀）",
        ])
    }

    /// One entry per kind, in declaration order.
    fn pick(self, per_kind: [&'static str; 5]) -> &'static str {
        per_kind[self as usize]
    }
}

/// Why a string is not a valid identity code.
///
/// `Display` is the English message (for developers and logs); [`code`](Self::code) is a stable
/// machine code for the API; [`message_zh`](Self::message_zh) is what a clerk reads. No variant
/// carries the rejected input itself (it may be personal data); positions are 1-based character
/// positions in the trimmed input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdentityError {
    #[error("{} is empty", .kind.name_en())]
    Empty { kind: CodeKind },

    #[error("{} must have {}, found {found}", .kind.name_en(), .kind.length_en())]
    WrongLength { kind: CodeKind, found: usize },

    #[error("{}: character {position} ('{}') is not allowed there", .kind.name_en(), .found.escape_debug())]
    BadCharacter {
        kind: CodeKind,
        position: usize,
        found: char,
    },

    #[error(
        "{}: check character is '{}' but the other characters give '{}'; a character is probably mistyped",
        .kind.name_en(), .found.escape_debug(), .expected.escape_debug()
    )]
    BadCheckDigit {
        kind: CodeKind,
        expected: char,
        found: char,
    },

    #[error("{}: unknown region (province or district part)", .kind.name_en())]
    UnknownRegion { kind: CodeKind },

    #[error("region code: the {} part must not be all zeros", level_en(*.level))]
    ZeroRegionPart { level: RegionLevel },

    #[error("resident ID number: birth date (characters 7-14) is not a calendar date")]
    BadBirthDate,

    #[error("resident ID number: birth date is before 1900-01-01")]
    BirthDateTooEarly,

    #[error("resident ID number: birth date is in the future")]
    BirthDateInFuture,

    #[error(
        "unified social credit code: '{}' is not a registration authority code",
        .found.escape_debug()
    )]
    BadRegistrationAuthority { found: char },

    #[error(
        "unified social credit code: the organisation code (characters 9-17) has check character '{}' but should have '{}'",
        .found.escape_debug(), .expected.escape_debug()
    )]
    BadOrganisationCheckDigit { expected: char, found: char },

    #[error("case number: date part is not a calendar date from 1900 to 9999")]
    BadCaseDate,

    #[error("case number: sequence must be between 1 and 999999")]
    BadSequence,

    #[error("not a mainland China mobile number (11 digits starting with 13-19)")]
    NotMainlandMobile,
}

fn level_en(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::District => "district",
        RegionLevel::Street => "street/town",
        RegionLevel::Community => "community/village",
    }
}

impl IdentityError {
    /// Which code the error is about.
    pub fn kind(&self) -> CodeKind {
        match self {
            IdentityError::Empty { kind }
            | IdentityError::WrongLength { kind, .. }
            | IdentityError::BadCharacter { kind, .. }
            | IdentityError::BadCheckDigit { kind, .. }
            | IdentityError::UnknownRegion { kind } => *kind,
            IdentityError::ZeroRegionPart { .. } => CodeKind::RegionCode,
            IdentityError::BadBirthDate
            | IdentityError::BirthDateTooEarly
            | IdentityError::BirthDateInFuture => CodeKind::ResidentId,
            IdentityError::BadRegistrationAuthority { .. }
            | IdentityError::BadOrganisationCheckDigit { .. } => CodeKind::CreditCode,
            IdentityError::BadCaseDate | IdentityError::BadSequence => CodeKind::CaseNumber,
            IdentityError::NotMainlandMobile => CodeKind::PhoneNumber,
        }
    }

    /// Stable snake_case code for API responses, e.g. `"resident_id_check_digit"`.
    /// Always starts with the kind's [`CodeKind::as_str`].
    pub fn code(&self) -> &'static str {
        match self {
            IdentityError::Empty { kind } => kind.pick([
                "resident_id_empty",
                "credit_code_empty",
                "region_code_empty",
                "case_number_empty",
                "phone_number_empty",
            ]),
            IdentityError::WrongLength { kind, .. } => kind.pick([
                "resident_id_length",
                "credit_code_length",
                "region_code_length",
                "case_number_length",
                "phone_number_length",
            ]),
            IdentityError::BadCharacter { kind, .. } => kind.pick([
                "resident_id_character",
                "credit_code_character",
                "region_code_character",
                "case_number_character",
                "phone_number_character",
            ]),
            IdentityError::BadCheckDigit { kind, .. } => kind.pick([
                "resident_id_check_digit",
                "credit_code_check_digit",
                "region_code_check_digit",
                "case_number_check_digit",
                "phone_number_check_digit",
            ]),
            IdentityError::UnknownRegion { kind } => kind.pick([
                "resident_id_region",
                "credit_code_region",
                "region_code_region",
                "case_number_region",
                "phone_number_region",
            ]),
            IdentityError::ZeroRegionPart { level } => match level {
                RegionLevel::Community => "region_code_zero_community",
                _ => "region_code_zero_street",
            },
            IdentityError::BadBirthDate => "resident_id_birth_date",
            IdentityError::BirthDateTooEarly => "resident_id_birth_date_too_early",
            IdentityError::BirthDateInFuture => "resident_id_birth_date_future",
            IdentityError::BadRegistrationAuthority { .. } => "credit_code_registration_authority",
            IdentityError::BadOrganisationCheckDigit { .. } => {
                "credit_code_organisation_check_digit"
            }
            IdentityError::BadCaseDate => "case_number_date",
            IdentityError::BadSequence => "case_number_sequence",
            IdentityError::NotMainlandMobile => "phone_number_not_mainland_mobile",
        }
    }

    /// Message for the clerk at the window, in Chinese.
    ///
    /// Check-character errors deliberately do not say which check character the rest would
    /// give: a clerk told "should end in 3" tends to change the last character, which turns a
    /// mistyped number into a wrong but valid one. They are told to compare every character.
    pub fn message_zh(&self) -> String {
        match self {
            IdentityError::Empty { kind } => format!("请填写{}。", kind.name_zh()),
            IdentityError::WrongLength { kind, found } => {
                let mut msg = format!(
                    "{}应为{}，现为{}位，请核对。",
                    kind.name_zh(),
                    kind.length_zh(),
                    found
                );
                if *kind == CodeKind::ResidentId && *found == 15 {
                    msg.push_str("15位的第一代身份证已停止使用，请提供18位号码。");
                }
                msg
            }
            IdentityError::BadCharacter {
                kind,
                position,
                found,
            } => format!(
                "{}第{}位“{}”不正确：{}。",
                kind.name_zh(),
                position,
                found.escape_debug(),
                kind.characters_zh()
            ),
            IdentityError::BadCheckDigit { kind, .. } => format!(
                "{}校验位不符，号码中有输错或前后颠倒的字符，请与原件逐位核对。",
                kind.name_zh()
            ),
            IdentityError::UnknownRegion { kind } => match kind {
                CodeKind::ResidentId => {
                    "居民身份证号前两位不是有效的省级行政区划代码，请核对。".to_owned()
                }
                CodeKind::CaseNumber => {
                    "办件编号前6位不是有效的区县行政区划代码，请核对。".to_owned()
                }
                _ => format!("{}中的地区代码无效，请核对。", kind.name_zh()),
            },
            IdentityError::ZeroRegionPart { level } => match level {
                RegionLevel::Community => {
                    "行政区划代码的社区（村）部分（第10至12位）不能为000。".to_owned()
                }
                _ => "行政区划代码的街道（乡镇）部分（第7至9位）不能为000。".to_owned(),
            },
            IdentityError::BadBirthDate => {
                "居民身份证号中的出生日期（第7至14位）不是有效日期，请核对。".to_owned()
            }
            IdentityError::BirthDateTooEarly => {
                "居民身份证号中的出生日期早于1900年1月1日，请核对。".to_owned()
            }
            IdentityError::BirthDateInFuture => {
                "居民身份证号中的出生日期晚于今天，请核对。".to_owned()
            }
            IdentityError::BadRegistrationAuthority { found } => format!(
                "统一社会信用代码第1位“{}”不是有效的登记管理部门代码（应为1–9、A–G、N或Y），请核对。",
                found.escape_debug()
            ),
            IdentityError::BadOrganisationCheckDigit { .. } => {
                "统一社会信用代码中的组织机构代码（第9至17位）校验不符，请与营业执照等证照逐位核对。"
                    .to_owned()
            }
            IdentityError::BadCaseDate => {
                "办件编号中的日期（第7至14位）不是有效日期，请核对。".to_owned()
            }
            IdentityError::BadSequence => {
                "办件编号中的流水号应在000001至999999之间，请核对。".to_owned()
            }
            IdentityError::NotMainlandMobile => {
                "仅支持中国大陆手机号（11位，以13至19开头），请核对。".to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [CodeKind; 5] = [
        CodeKind::ResidentId,
        CodeKind::CreditCode,
        CodeKind::RegionCode,
        CodeKind::CaseNumber,
        CodeKind::PhoneNumber,
    ];

    fn all_errors() -> Vec<IdentityError> {
        let mut errors = Vec::new();
        for kind in KINDS {
            errors.push(IdentityError::Empty { kind });
            errors.push(IdentityError::WrongLength { kind, found: 15 });
            errors.push(IdentityError::BadCharacter {
                kind,
                position: 3,
                found: 'a',
            });
            errors.push(IdentityError::BadCheckDigit {
                kind,
                expected: '1',
                found: '2',
            });
            errors.push(IdentityError::UnknownRegion { kind });
        }
        errors.extend([
            IdentityError::ZeroRegionPart {
                level: RegionLevel::Street,
            },
            IdentityError::ZeroRegionPart {
                level: RegionLevel::Community,
            },
            IdentityError::BadBirthDate,
            IdentityError::BirthDateTooEarly,
            IdentityError::BirthDateInFuture,
            IdentityError::BadRegistrationAuthority { found: 'Z' },
            IdentityError::BadOrganisationCheckDigit {
                expected: 'X',
                found: '0',
            },
            IdentityError::BadCaseDate,
            IdentityError::BadSequence,
            IdentityError::NotMainlandMobile,
        ]);
        errors
    }

    #[test]
    fn codes_are_snake_case_prefixed_by_kind_and_distinct() {
        let errors = all_errors();
        let mut codes: Vec<&str> = errors.iter().map(IdentityError::code).collect();
        for (error, code) in errors.iter().zip(&codes) {
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{code}"
            );
            assert!(code.starts_with(error.kind().as_str()), "{code}");
        }
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), before);
    }

    #[test]
    fn messages_are_not_empty_and_chinese_messages_hide_expected_check_character() {
        for error in all_errors() {
            assert!(!error.to_string().is_empty());
            assert!(!error.message_zh().is_empty());
        }
        let e = IdentityError::BadCheckDigit {
            kind: CodeKind::ResidentId,
            expected: '7',
            found: 'X',
        };
        assert!(!e.message_zh().contains('7'));
        assert_eq!(e.code(), "resident_id_check_digit");
    }

    #[test]
    fn first_generation_id_length_gets_a_hint() {
        let e = IdentityError::WrongLength {
            kind: CodeKind::ResidentId,
            found: 15,
        };
        assert!(e.message_zh().contains("第一代"));
        assert_eq!(
            e.to_string(),
            "resident ID number must have 18 characters, found 15"
        );
    }

    #[test]
    fn expected_lengths_match_kinds() {
        assert_eq!(CodeKind::RegionCode.expected_lengths(), &[6, 9, 12]);
        assert_eq!(CodeKind::CaseNumber.expected_lengths(), &[21]);
    }
}
