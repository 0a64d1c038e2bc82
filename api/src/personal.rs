//! Personal identifiers that only the shared validation makes: a value of these types has
//! been parsed (`text::parse_mobile`, `residents::parse_id_number`) or read back from a
//! column those parsers wrote. `Debug` redacts them, so a `{:?}` in a log or a panic
//! message never carries a whole number; on the wire they are the plain string.

use crate::privacy::{mask_id_number, mask_phone};
use serde::Serialize;
use std::fmt;

/// A mainland China mobile number, 11 digits. `Debug` shows `Phone(138****5678)`.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

/// A national ID number (GB 11643), 18 characters, upper-case `X`. `Debug` shows
/// `IdNumber(***)`: not even the region.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct IdNumber(String);

impl Phone {
    /// Only the parsers in this crate call this, after checking `digits`.
    pub(crate) fn new_unchecked(digits: String) -> Self {
        Phone(digits)
    }

    /// The whole number: for the person themself, a deliberate (audited) reveal, a `tel:`
    /// link, or the bind that stores it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// `138****5678`, for lists and exports.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

impl IdNumber {
    /// Only the parsers in this crate call this, after checking `id`.
    pub(crate) fn new_unchecked(id: String) -> Self {
        IdNumber(id)
    }

    /// The whole number: for the household itself or a deliberate (audited) reveal.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// `110105**********2X`, for lists and exports.
    pub fn masked(&self) -> String {
        mask_id_number(&self.0)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdNumber(***)")
    }
}

/// The database mapping: stored as the text the parser produced; reading back checks it
/// again, so a hand-edited column is reported (`stored_value_unreadable`), never passed on
/// as a phone.
#[cfg(feature = "sqlx")]
mod stored {
    use super::{IdNumber, Phone};
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::{Database, Decode, Encode, Type};

    // Generic over the backend: stored as text in SQLite and PostgreSQL alike.
    macro_rules! text_column {
        ($ty:ty, $parse:expr, $what:literal) => {
            impl<DB: Database> Type<DB> for $ty
            where
                String: Type<DB>,
            {
                fn type_info() -> DB::TypeInfo {
                    <String as Type<DB>>::type_info()
                }
                fn compatible(ty: &DB::TypeInfo) -> bool {
                    <String as Type<DB>>::compatible(ty)
                }
            }

            impl<'q, DB: Database> Encode<'q, DB> for $ty
            where
                String: Encode<'q, DB>,
            {
                fn encode_by_ref(
                    &self,
                    buf: &mut <DB as Database>::ArgumentBuffer<'q>,
                ) -> Result<IsNull, BoxDynError> {
                    <String as Encode<'q, DB>>::encode(self.0.clone(), buf)
                }
            }

            impl<'r, DB: Database> Decode<'r, DB> for $ty
            where
                String: Decode<'r, DB>,
            {
                fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                    let text = <String as Decode<'r, DB>>::decode(value)?;
                    // The message names the kind of value, never the value (personal data).
                    $parse(&text).ok_or_else(|| concat!("not a valid ", $what).into())
                }
            }
        };
    }

    text_column!(
        Phone,
        |s: &str| crate::text::is_mainland_mobile(s).then(|| Phone(s.to_owned())),
        "phone number"
    );
    text_column!(
        IdNumber,
        |s: &str| crate::residents::parse_id_number("id_number", s)
            .ok()
            .filter(|id| id.0 == s),
        "ID number"
    );
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorCode;
    use crate::residents::parse_id_number;
    use crate::text::parse_mobile;

    #[test]
    fn debug_never_shows_the_whole_number() {
        let phone = parse_mobile("phone", "138 1234 5678").unwrap();
        assert_eq!(format!("{phone:?}"), "Phone(138****5678)");
        let id = parse_id_number("id_number", "11010519491231002x").unwrap();
        assert_eq!(format!("{id:?}"), "IdNumber(***)");
        assert_eq!(
            format!("{:?}", Some(&phone)),
            "Some(Phone(138****5678))",
            "nested in other Debug output too"
        );
    }

    #[test]
    fn on_the_wire_they_are_the_plain_string() {
        let phone = parse_mobile("phone", "+86 13812345678").unwrap();
        assert_eq!(serde_json::to_string(&phone).unwrap(), r#""13812345678""#);
        let id = parse_id_number("id_number", "11010519491231002x").unwrap();
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            r#""11010519491231002X""#
        );
    }

    #[test]
    fn parsing_refuses_with_the_same_codes_as_before() {
        for (input, code) in [
            ("", ErrorCode::Required),
            ("  ", ErrorCode::Required),
            ("12812345678", ErrorCode::InvalidPhone),
            ("1381234567", ErrorCode::InvalidPhone),
            ("13812345678a", ErrorCode::InvalidPhone),
        ] {
            let e = parse_mobile("phone", input).unwrap_err();
            assert_eq!((e.field, e.code), ("phone", code), "{input:?}");
        }
        for input in ["", "110105194912310021", "11010519491331002X", "abc"] {
            let e = parse_id_number("id_number", input).unwrap_err();
            assert_eq!(
                (e.field, e.code),
                ("id_number", ErrorCode::InvalidIdNumber),
                "{input:?}"
            );
        }
    }
}
