//! Masking personal names for lists and logs.

/// Keeps the first character (usually the surname) and stars every other character:
/// `张三丰` → `张**`, `李四` → `李*`, a one-character name → `*`, empty → empty.
/// Works on characters, not bytes; surrounding whitespace is trimmed first.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count();
            if rest == 0 {
                "*".to_owned()
            } else {
                std::iter::once(first)
                    .chain(std::iter::repeat_n('*', rest))
                    .collect()
            }
        }
    }
}

/// How lists and logs name an applicant: a person masked, an enterprise whole, since an
/// enterprise's name is public in the enterprise credit register and clerks tell cases apart by it.
pub fn listed_name(name: &str, enterprise: bool) -> String {
    if enterprise {
        name.trim().to_owned()
    } else {
        mask_name(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enterprises_are_listed_whole_and_persons_masked() {
        assert_eq!(
            listed_name(" 汕头市金平区嘉华贸易有限公司 ", true),
            "汕头市金平区嘉华贸易有限公司"
        );
        assert_eq!(listed_name("张三丰", false), "张**");
    }
    use proptest::prelude::*;

    #[test]
    fn masks_per_character() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李四"), "李*");
        assert_eq!(mask_name("王"), "*");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_name("  欧阳娜娜 "), "欧***");
        assert_eq!(mask_name("买买提·艾力"), "买*****");
        assert_eq!(mask_name("Li"), "L*");
    }

    proptest! {
        #[test]
        fn keeps_length_and_first_character(name in "\\PC{2,10}") {
            let trimmed = name.trim();
            let masked = mask_name(&name);
            prop_assert_eq!(masked.chars().count(), trimmed.chars().count());
            if trimmed.chars().count() >= 2 {
                prop_assert_eq!(masked.chars().next(), trimmed.chars().next());
                prop_assert!(masked.chars().skip(1).all(|c| c == '*'));
            }
        }
    }
}
