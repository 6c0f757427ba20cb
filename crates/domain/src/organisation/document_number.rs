//! Document numbers (文号) of a department's decisions, e.g. 区人社局许〔2026〕37号: a pattern
//! the department sets, with the year of the decision and its place in that year's sequence.

/// What a pattern must say and may say.
const SEQ: &str = "{seq}";
const YEAR: &str = "{year}";
/// Long enough for a department's abbreviation, the year in brackets and a word or two.
const MAX_CHARS: usize = 40;

/// A department's pattern of document numbers. `{seq}` is the decision's place in its year,
/// counted from 1, and `{year}` the year of the decision; each appears once, as a sequence that
/// starts again every year would otherwise repeat last year's numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentPattern(String);

impl DocumentPattern {
    /// The pattern, if it has `{seq}` and `{year}` once each, no other braces and at most 40
    /// characters.
    pub fn parse(s: &str) -> Option<DocumentPattern> {
        let s = s.trim();
        let rest = s.replacen(SEQ, "", 1).replacen(YEAR, "", 1);
        let valid = s.matches(SEQ).count() == 1
            && s.matches(YEAR).count() == 1
            && !rest.contains(['{', '}'])
            && s.chars().count() <= MAX_CHARS;
        valid.then(|| DocumentPattern(s.to_owned()))
    }

    /// The pattern of a department that set none: its short name, 许 (licensing), the year in
    /// the brackets official documents use, the number.
    pub fn default_for(short_name: &str) -> DocumentPattern {
        DocumentPattern(format!("{}许〔{YEAR}〕{SEQ}号", short_name.trim()))
    }

    /// The department's own pattern when it set a valid one, else [`DocumentPattern::default_for`].
    pub fn of_department(pattern: Option<&str>, short_name: &str) -> DocumentPattern {
        pattern
            .and_then(DocumentPattern::parse)
            .unwrap_or_else(|| DocumentPattern::default_for(short_name))
    }

    /// The number of the `seq`-th decision of `year`.
    pub fn number(&self, year: i32, seq: u32) -> String {
        self.0
            .replacen(YEAR, &year.to_string(), 1)
            .replacen(SEQ, &seq.to_string(), 1)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_pattern_names_the_sequence_once() {
        let p = DocumentPattern::parse("金人社许〔{year}〕{seq}号").unwrap();
        assert_eq!(p.number(2026, 37), "金人社许〔2026〕37号");
        assert_eq!(
            DocumentPattern::parse(" 金市监准字〔{year}〕第{seq}号 ")
                .unwrap()
                .number(2026, 5),
            "金市监准字〔2026〕第5号"
        );
        for bad in [
            "金人社许〔{year}〕号",
            "金市监准字第{seq}号",
            "{seq}{seq}",
            "{year}{year}{seq}",
            "〔{year}〕{seq}号{month}",
            "{seq}}",
            &format!("{}{{seq}}", "很".repeat(40)),
        ] {
            assert_eq!(DocumentPattern::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_department_without_a_pattern_gets_one_from_its_short_name() {
        let p = DocumentPattern::of_department(None, "区人社局");
        assert_eq!(p.number(2027, 1), "区人社局许〔2027〕1号");
        let own = DocumentPattern::of_department(Some("金人社许〔{year}〕{seq}号"), "区人社局");
        assert_eq!(own.number(2027, 1), "金人社许〔2027〕1号");
        // A stored pattern that no longer parses does not leave a decision without a number.
        let broken = DocumentPattern::of_department(Some("无序号"), "区人社局");
        assert_eq!(broken, p);
    }

    proptest! {
        #[test]
        fn numbers_of_one_pattern_never_repeat(
            prefix in "[\\p{Han}A-Za-z]{0,8}",
            suffix in "[\\p{Han}]{0,3}",
            year in 2000i32..2100,
            a in 1u32..100_000,
            b in 1u32..100_000,
            other_year in 2000i32..2100,
        ) {
            let p = DocumentPattern::parse(&format!("{prefix}〔{{year}}〕{{seq}}{suffix}")).unwrap();
            prop_assert_eq!(p.number(year, a) == p.number(year, b), a == b);
            prop_assert_eq!(
                p.number(year, a) == p.number(other_year, a),
                year == other_year
            );
            let default = DocumentPattern::default_for(&prefix);
            prop_assert_eq!(DocumentPattern::parse(default.as_str()), Some(default.clone()));
        }
    }
}
