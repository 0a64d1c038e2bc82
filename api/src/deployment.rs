//! One deployment, many communities: the streets (街道/乡镇) above the communities
//! (社区/村), and the operators who work at that level.
//!
//! A community's own data (households, board, shifts…) never crosses into another's; what
//! lives here is the catalog of who exists and where to reach them.

use crate::auth::{NewPassword, Username};
use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::text::required_line;
use crate::users::{DISPLAY_NAME_MAX, check_new_sign_in};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const STREET_NAME_MAX: usize = 40;
pub const COMMUNITY_NAME_MAX: usize = 40;
pub const SLUG_MIN: usize = 2;
pub const SLUG_MAX: usize = 32;

/// A community in the cities (社区) or a village (村). In a village the 村民小组 play the
/// part of grids; the rest works alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum CommunityKind {
    #[default]
    Community,
    Village,
}

/// Who works above the communities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum OperatorRole {
    /// Creates streets and communities and their first admins.
    DeploymentAdmin,
    /// Sees the figures of the street's communities, publishes to their boards.
    StreetStaff,
}

/// The part of a community's address after `/c/`: lower-case letters, digits and `-`,
/// starting with a letter (`jianshe`, `dongcun-3`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &'static str, value: &str) -> Result<Slug, FieldError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(FieldError::new(field, ErrorCode::Required));
        }
        if value.chars().count() > SLUG_MAX {
            return Err(FieldError::with_limit(field, ErrorCode::TooLong, SLUG_MAX));
        }
        let well_formed = value.len() >= SLUG_MIN
            && value.starts_with(|c: char| c.is_ascii_lowercase())
            && !value.ends_with('-')
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if well_formed {
            Ok(Slug(value.to_owned()))
        } else {
            Err(FieldError::new(field, ErrorCode::InvalidValue))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A community as the deployment lists it: enough to reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunitySummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: CommunityKind,
    pub street_id: i64,
    pub street_name: String,
    /// Where its pages are: `/c/<slug>/`.
    pub path: String,
}

/// A street (街道) or township (乡镇) and its communities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetSummary {
    pub id: i64,
    pub name: String,
    pub communities: Vec<CommunitySummary>,
}

/// `POST /api/deployment/streets`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStreetRequest {
    pub name: String,
}

impl NewStreetRequest {
    pub fn validate(&self) -> Result<String, FieldError> {
        required_line("name", &self.name, STREET_NAME_MAX)
    }
}

/// `POST /api/deployment/communities`: a community and its first admin, in one step.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCommunityRequest {
    pub street_id: i64,
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub kind: CommunityKind,
    pub admin_username: String,
    pub admin_display_name: String,
    pub admin_password: String,
}

impl fmt::Debug for NewCommunityRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewCommunityRequest")
            .field("street_id", &self.street_id)
            .field("slug", &self.slug)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// A new community that passed validation.
#[derive(Debug, Clone)]
pub struct NewCommunity {
    pub street_id: i64,
    pub slug: Slug,
    pub name: String,
    pub kind: CommunityKind,
    pub admin_username: Username,
    pub admin_display_name: String,
    pub admin_password: NewPassword,
}

impl NewCommunityRequest {
    pub fn validate(&self) -> Result<NewCommunity, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<NewCommunity, Vec<FieldError>> {
        let mut c = Checks::default();
        let slug = c.check(Slug::parse("slug", &self.slug));
        let name = c.check(required_line("name", &self.name, COMMUNITY_NAME_MAX));
        let admin_username =
            c.check(
                Username::parse(&self.admin_username).map_err(|e| FieldError {
                    field: "admin_username",
                    ..e
                }),
            );
        let admin_display_name = c.check(required_line(
            "admin_display_name",
            &self.admin_display_name,
            DISPLAY_NAME_MAX,
        ));
        let admin_password = c.check(NewPassword::parse("admin_password", &self.admin_password));
        c.finish(|| {
            Some(NewCommunity {
                street_id: self.street_id,
                slug: slug?,
                name: name?,
                kind: self.kind,
                admin_username: admin_username?,
                admin_display_name: admin_display_name?,
                admin_password: admin_password?,
            })
        })
    }
}

/// A signed-in operator (deployment admin or street staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatorSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: OperatorRole,
    /// The street a street staff member works for; none for deployment admins.
    pub street_id: Option<i64>,
}

/// `POST /api/deployment/operators`: a deployment admin adds an operator.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOperatorRequest {
    pub username: String,
    pub display_name: String,
    pub role: OperatorRole,
    /// Required for street staff, absent for deployment admins.
    #[serde(default)]
    pub street_id: Option<i64>,
    pub password: String,
}

impl fmt::Debug for NewOperatorRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewOperatorRequest")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("street_id", &self.street_id)
            .finish_non_exhaustive()
    }
}

/// An operator that passed validation.
#[derive(Debug, Clone)]
pub struct NewOperator {
    pub username: Username,
    pub display_name: String,
    pub role: OperatorRole,
    pub street_id: Option<i64>,
    pub password: NewPassword,
}

impl NewOperatorRequest {
    pub fn validate(&self) -> Result<NewOperator, FieldError> {
        first(self.check())
    }

    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<NewOperator, Vec<FieldError>> {
        let mut c = Checks::default();
        let credentials = check_new_sign_in(
            &mut c,
            [&self.username, &self.display_name, &self.password],
            |c| match (self.role, self.street_id) {
                (OperatorRole::StreetStaff, None) => c.refuse("street_id", ErrorCode::Required),
                (OperatorRole::DeploymentAdmin, Some(_)) => {
                    c.refuse("street_id", ErrorCode::InvalidValue)
                }
                _ => {}
            },
        );
        c.finish(|| {
            let (username, display_name, password) = credentials?;
            Some(NewOperator {
                username,
                display_name,
                role: self.role,
                street_id: self.street_id,
                password,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_hyphens() {
        for good in ["jianshe", "dongcun-3", "ab"] {
            assert!(Slug::parse("slug", good).is_ok(), "{good}");
        }
        for bad in [
            "", "a", "Jianshe", "3cun", "建设", "a b", "x-", "a/b", "../x",
        ] {
            assert!(Slug::parse("slug", bad).is_err(), "{bad}");
        }
        let long = "a".repeat(SLUG_MAX + 1);
        assert_eq!(
            Slug::parse("slug", &long).unwrap_err().code,
            ErrorCode::TooLong
        );
    }

    #[test]
    fn street_staff_need_a_street_and_admins_have_none() {
        let mut request = NewOperatorRequest {
            username: "jiedao.li".into(),
            display_name: "李明（街道）".into(),
            role: OperatorRole::StreetStaff,
            street_id: None,
            password: "correct horse".into(),
        };
        assert_eq!(request.validate().unwrap_err().field, "street_id");
        request.street_id = Some(1);
        assert!(request.validate().is_ok());
        request.role = OperatorRole::DeploymentAdmin;
        assert_eq!(
            request.validate().unwrap_err().code,
            ErrorCode::InvalidValue
        );
    }

    #[test]
    fn a_new_community_reports_every_bad_field() {
        let request = NewCommunityRequest {
            street_id: 1,
            slug: "X".into(),
            name: " ".into(),
            kind: CommunityKind::Village,
            admin_username: "a".into(),
            admin_display_name: "管理员".into(),
            admin_password: "1".into(),
        };
        let fields: Vec<_> = request.errors().iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec!["slug", "name", "admin_username", "admin_password"]
        );
    }
}
