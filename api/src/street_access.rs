//! A community's grants of personal data to its street's staff (授权街道查看).
//!
//! The street sees counts only (`street`). When a street office must follow people up
//! itself (a fever nobody has reached, check-ins missed for days) the community's admin
//! grants its street's staff one named list, for a stated purpose and a bounded period;
//! the admin can revoke it at any time, it ends by itself, and every read under it is in
//! the community's audit log with the name of the street's staff member who read.

use crate::check::{Checks, first};
use crate::error::{ErrorCode, FieldError};
use crate::health::{Flag, MemberHealth, WorklistEntry};
use crate::residents::Address;
use crate::text::required_line;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const PURPOSE_MAX: usize = 100;
/// A grant lasts at most two weeks: a lockdown's follow-up is renewed, not left open.
pub const DAYS_MAX: u32 = 14;

/// What a grant opens to the street, one list per scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum GrantScope {
    /// 健康随访名单: the people who check in today (under home observation, or in a
    /// controlled or sealed building) and are flagged: fever, symptoms, no check-in yet,
    /// observation ending. Phones masked in the list; one person's record on opening it.
    HealthFollowUp,
}

impl GrantScope {
    pub const ALL: [GrantScope; 1] = [GrantScope::HealthFollowUp];

    pub fn as_str(self) -> &'static str {
        match self {
            GrantScope::HealthFollowUp => "health_follow_up",
        }
    }
}

/// `POST /api/street-grants`: the community admin grants the street's staff a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewGrantRequest {
    pub scope: GrantScope,
    /// Why the street needs it (随访发热人员, 协助核查未打卡人员).
    pub purpose: String,
    /// For how many days from now, 1 to [`DAYS_MAX`].
    pub days: u32,
}

/// A grant request that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidGrant {
    pub scope: GrantScope,
    pub purpose: String,
    pub days: u32,
}

impl NewGrantRequest {
    pub fn validate(&self) -> Result<ValidGrant, FieldError> {
        first(self.check())
    }

    /// Every field's error at once, for the form.
    pub fn check(&self) -> Result<ValidGrant, Vec<FieldError>> {
        let mut checks = Checks::default();
        let purpose = checks.check(required_line("purpose", &self.purpose, PURPOSE_MAX));
        if !(1..=DAYS_MAX).contains(&self.days) {
            checks.refuse("days", ErrorCode::InvalidValue);
        }
        checks.finish(|| {
            Some(ValidGrant {
                scope: self.scope,
                purpose: purpose?,
                days: self.days,
            })
        })
    }
}

/// A grant as the community's admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetGrant {
    pub id: i64,
    pub scope: GrantScope,
    pub purpose: String,
    pub granted_at: DateTime<Utc>,
    pub granted_by: String,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<String>,
    /// Neither revoked nor expired.
    pub live: bool,
}

/// A live grant as the street's staff see it on their dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantedList {
    pub scope: GrantScope,
    pub purpose: String,
    pub expires_at: DateTime<Utc>,
}

/// `GET /api/deployment/communities/{id}/health-follow-up`: filters and paging.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct GrantedListQuery {
    pub flag: Option<Flag>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One page of a community's health follow-up list as the street reads it (phones masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetFollowUpList {
    pub community_name: String,
    pub grant: GrantedList,
    pub items: Vec<WorklistEntry>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

/// One person of that list, opened: the whole record, the phone in full to call them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetPersonRecord {
    pub community_name: String,
    pub phone: Option<String>,
    pub address: Address,
    pub health: MemberHealth,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(purpose: &str, days: u32) -> NewGrantRequest {
        NewGrantRequest {
            scope: GrantScope::HealthFollowUp,
            purpose: purpose.into(),
            days,
        }
    }

    #[test]
    fn a_grant_states_its_purpose_and_lasts_one_to_fourteen_days() {
        let valid = request(" 随访发热人员 ", 3).validate().expect("valid");
        assert_eq!(valid.purpose, "随访发热人员");
        assert_eq!(valid.days, 3);
        assert!(request("随访", DAYS_MAX).validate().is_ok());
        let errors = request("  ", 0).check().expect_err("two errors");
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("purpose", ErrorCode::Required),
                ("days", ErrorCode::InvalidValue)
            ]
        );
        assert_eq!(
            request("随访", DAYS_MAX + 1)
                .validate()
                .map_err(|e| e.field),
            Err("days")
        );
    }

    #[test]
    fn scopes_are_named_as_stored() {
        for scope in GrantScope::ALL {
            let json = serde_json::to_string(&scope).expect("json");
            assert_eq!(json, format!("\"{}\"", scope.as_str()));
        }
    }
}
