//! What a clerk types in a list's search box: a case number, an ID number (resident ID or
//! unified social credit code), a phone number, or else part of an applicant's name. Numbers
//! are recognised by their own rules, check digits included, so a mistyped one is searched as
//! a name and finds nothing rather than someone else.

use crate::identity::{CaseNumber, CreditCode, PhoneNumber, ResidentId};

/// The shortest name fragment searched: one Chinese character names too many people.
pub const MIN_NAME_CHARS: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    Number(String),
    /// A resident ID or credit code, normalised as stored.
    Identifier(String),
    Phone(String),
    /// Part of an applicant's name, at least [`MIN_NAME_CHARS`] characters.
    Name(String),
}

impl Search {
    /// What `text` searches for; `None` when it is too short to search by name.
    pub fn parse(text: &str) -> Option<Search> {
        let text = text.trim();
        if let Ok(n) = CaseNumber::parse(text) {
            return Some(Search::Number(n.as_str().to_owned()));
        }
        if let Ok(id) = ResidentId::parse(text) {
            return Some(Search::Identifier(id.as_str().to_owned()));
        }
        if let Ok(code) = CreditCode::parse(text) {
            return Some(Search::Identifier(code.as_str().to_owned()));
        }
        if let Ok(phone) = PhoneNumber::parse(text) {
            return Some(Search::Phone(phone.as_str().to_owned()));
        }
        (text.chars().count() >= MIN_NAME_CHARS).then(|| Search::Name(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_kind_of_number_is_told_apart() {
        assert_eq!(
            Search::parse(" 440511-20261121-0001237 "),
            Some(Search::Number("440511-20261121-0001237".into()))
        );
        assert_eq!(
            Search::parse("11010519491231002x"),
            Some(Search::Identifier("11010519491231002X".into()))
        );
        assert_eq!(
            Search::parse("91440511MA50X7T0X9"),
            Some(Search::Identifier("91440511MA50X7T0X9".into()))
        );
        assert_eq!(
            Search::parse("13013499465"),
            Some(Search::Phone("13013499465".into()))
        );
        assert_eq!(Search::parse("吴桂钦"), Some(Search::Name("吴桂钦".into())));
        // One character is too little to search by; a wrong check digit is no ID number.
        assert_eq!(Search::parse(" 吴 "), None);
        assert_eq!(
            Search::parse("110105194912310021"),
            Some(Search::Name("110105194912310021".into()))
        );
    }

    proptest! {
        #[test]
        fn a_name_of_chinese_characters_is_searched_as_a_name(name in "[\\p{Han}]{2,8}") {
            prop_assert_eq!(Search::parse(&name), Some(Search::Name(name.clone())));
        }
    }
}
