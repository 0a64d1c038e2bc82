//! Staff and admin accounts, managed by admins.

use crate::auth::{NewPassword, Role, Username};
use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::text::required_line;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const DISPLAY_NAME_MAX: usize = 40;

/// `POST /api/users`: an admin creates a staff or admin account.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUserRequest {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

impl fmt::Debug for NewUserRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUserRequest")
            .field("username", &self.username)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// A staff or admin account that passed validation.
#[derive(Debug, Clone)]
pub struct NewStaffAccount {
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    pub password: NewPassword,
}

impl NewUserRequest {
    pub fn validate(&self) -> Result<NewStaffAccount, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the new-account form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<NewStaffAccount, Vec<FieldError>> {
        let mut c = Checks::default();
        let credentials = check_new_sign_in(
            &mut c,
            [&self.username, &self.display_name, &self.password],
            |c| {
                if !self.role.is_staff() {
                    // Volunteers and residents sign themselves up through their own flows.
                    c.refuse("role", ErrorCode::InvalidValue);
                }
            },
        );
        c.finish(|| {
            let (username, display_name, password) = credentials?;
            Some(NewStaffAccount {
                username,
                display_name,
                role: self.role,
                password,
            })
        })
    }
}

/// The checks every new sign-in shares, a community's account or an operator: the
/// username, the display name, then `between` (the role and what it needs), then the
/// password, in the form's order. The values when all three were accepted.
pub fn check_new_sign_in(
    c: &mut Checks,
    [username, display_name, password]: [&str; 3],
    between: impl FnOnce(&mut Checks),
) -> Option<(Username, String, NewPassword)> {
    let username = c.check(Username::parse(username));
    let display_name = c.check(required_line(
        "display_name",
        display_name,
        DISPLAY_NAME_MAX,
    ));
    between(c);
    let password = c.check(NewPassword::parse("password", password));
    Some((username?, display_name?, password?))
}

/// An account as admins see it in the account list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

/// Filters for `GET /api/users`.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct UserListQuery {
    pub role: Option<Role>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(role: Role) -> NewUserRequest {
        NewUserRequest {
            username: "grid.worker".into(),
            display_name: "网格员 王丽".into(),
            role,
            password: "correct horse".into(),
        }
    }

    #[test]
    fn admins_create_staff_and_admins_only() {
        assert!(request(Role::Staff).validate().is_ok());
        assert!(request(Role::Admin).validate().is_ok());
        let err = request(Role::Resident).validate().unwrap_err();
        assert_eq!((err.field, err.code), ("role", ErrorCode::InvalidValue));
    }

    #[test]
    fn the_first_bad_field_is_reported() {
        let mut r = request(Role::Staff);
        r.display_name = " ".into();
        assert_eq!(r.validate().unwrap_err().field, "display_name");
        r.display_name = "ok".into();
        r.password = "1234".into();
        assert_eq!(r.validate().unwrap_err().code, ErrorCode::WeakPassword);
    }
}
