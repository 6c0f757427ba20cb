//! Identity codes: resident ID, unified social credit code, region code, case number, masking.
//!
//! Parse, don't validate: every type here is a newtype whose only constructors check the value
//! (`parse`, plus `CaseNumber::new`), so an invalid code cannot exist past the boundary.
//! Each type trims surrounding whitespace, keeps one canonical text (`as_str`, `Display`,
//! serde as a plain string, deserialised through `parse`) and, where the value is personal or
//! semi-personal, offers `masked()` for lists and logs. Parsers never panic: they are fed
//! untrusted input and will be fuzzed.

/// `Display`, `FromStr`, `TryFrom<String>`, `TryFrom<&str>`, `From<T> for String` and
/// `Serialize` for a code type with `parse` and `as_str`. (`Deserialize` is derived on the type
/// with `#[serde(try_from = "String")]`, so it goes through `parse`.)
macro_rules! string_code {
    ($ty:ident) => {
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::identity::IdentityError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $crate::identity::IdentityError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = $crate::identity::IdentityError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl From<$ty> for String {
            fn from(code: $ty) -> String {
                code.as_str().to_owned()
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

mod case_number;
mod credit_code;
mod error;
mod name;
mod phone_number;
mod region_code;
mod resident_id;

pub use case_number::CaseNumber;
pub use credit_code::CreditCode;
pub use error::{CodeKind, IdentityError};
pub use name::{listed_name, mask_name};
pub use phone_number::PhoneNumber;
pub use region_code::RegionCode;
pub use resident_id::ResidentId;

/// Keeps the first `head` and last `tail` characters of an ASCII code, stars the rest.
fn mask_middle(code: &str, head: usize, tail: usize) -> String {
    let len = code.chars().count();
    code.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= len { c } else { '*' })
        .collect()
}
