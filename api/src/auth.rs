//! Accounts, roles and signing in.

use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::text::is_mainland_mobile;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an account may do. Staff and admins run the community; volunteers and residents
/// sign themselves up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum Role {
    Admin,
    Staff,
    Volunteer,
    Resident,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Staff, Role::Volunteer, Role::Resident];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Volunteer => "volunteer",
            Role::Resident => "resident",
        }
    }

    /// Community staff: admins can do everything staff can.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Staff)
    }

    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(FieldError::new("role", ErrorCode::InvalidValue))
    }
}

/// A sign-in name: 3–32 of `a-z 0-9 . _ -` (stored lower-case), or a mainland mobile
/// number, which is how residents and volunteers sign in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub const MIN: usize = 3;
    pub const MAX: usize = 32;

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        let value = value.trim().to_ascii_lowercase();
        if value.is_empty() {
            return Err(FieldError::new("username", ErrorCode::Required));
        }
        let valid_name = (Self::MIN..=Self::MAX).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if valid_name || is_mainland_mobile(&value) {
            Ok(Username(value))
        } else {
            Err(FieldError::new("username", ErrorCode::InvalidUsername))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password. Length is the only rule (NIST SP 800-63B): 8 to 128 characters.
/// `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN: usize = 8;
    pub const MAX: usize = 128;

    pub fn parse(field: &'static str, value: &str) -> Result<Self, FieldError> {
        let len = value.chars().count();
        if len == 0 {
            Err(FieldError::new(field, ErrorCode::Required))
        } else if len < Self::MIN {
            Err(FieldError::with_limit(
                field,
                ErrorCode::WeakPassword,
                Self::MIN,
            ))
        } else if len > Self::MAX {
            Err(FieldError::with_limit(field, ErrorCode::TooLong, Self::MAX))
        } else {
            Ok(NewPassword(value.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// `POST /api/auth/login`.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

impl LoginRequest {
    /// Both fields present. Whether they are right is for the server to say, in one
    /// message for both.
    pub fn validate(&self) -> Result<(), FieldError> {
        first(self.check())
    }

    /// Every refused field, for the sign-in form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checks::default();
        if self.username.trim().is_empty() {
            c.refuse("username", ErrorCode::Required);
        }
        if self.password.is_empty() {
            c.refuse("password", ErrorCode::Required);
        }
        c.finish(|| Some(()))
    }
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("password", &"***")
            .finish_non_exhaustive()
    }
}

/// The signed-in account, as `GET /api/auth/me` and a successful login return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_cased_names_or_mobiles() {
        assert_eq!(Username::parse(" Wang.Li ").unwrap().as_str(), "wang.li");
        assert_eq!(
            Username::parse("13800138000").unwrap().as_str(),
            "13800138000"
        );
        for bad in ["ab", "王丽", "a b c", "x".repeat(33).as_str(), "drop;table"] {
            assert_eq!(
                Username::parse(bad).unwrap_err().code,
                ErrorCode::InvalidUsername,
                "{bad}"
            );
        }
        assert_eq!(Username::parse("  ").unwrap_err().code, ErrorCode::Required);
    }

    #[test]
    fn passwords_need_eight_characters_and_stay_out_of_debug() {
        assert_eq!(
            NewPassword::parse("password", "short").unwrap_err().code,
            ErrorCode::WeakPassword
        );
        let p = NewPassword::parse("password", "守望相助守望相助").unwrap();
        assert_eq!(format!("{p:?}"), "NewPassword(***)");
        let login = LoginRequest {
            username: "a".into(),
            password: "secret".into(),
        };
        assert!(!format!("{login:?}").contains("secret"));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
        assert!(Role::Admin.is_staff() && Role::Staff.is_staff() && !Role::Resident.is_staff());
    }
}
