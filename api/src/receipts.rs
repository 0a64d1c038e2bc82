//! Read receipts (回执) for important notices: a household acknowledges a notice with one
//! tap, or a staff member records it at the door; staff follow up, building by building,
//! on the households that have not (elderly people without phones first).

use crate::error::{ErrorCode, FieldError};
use crate::notices::NoticeStatus;
use crate::page::PageQuery;
use crate::residents::SpecialGroup;
use crate::text::optional_line;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const NOTE_MAX: usize = 200;
/// A notice aimed at more buildings than this is aimed at all of them.
pub const BUILDINGS_MAX: usize = 500;

/// How a receipt came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum ReceiptMethod {
    /// The household tapped 已阅知 itself.
    #[serde(rename = "self")]
    #[cfg_attr(feature = "sqlx", sqlx(rename = "self"))]
    SelfTap,
    /// A staff member heard it acknowledged at the door and recorded it.
    Door,
}

impl ReceiptMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptMethod::SelfTap => "self",
            ReceiptMethod::Door => "door",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [ReceiptMethod::SelfTap, ReceiptMethod::Door]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// `PUT /api/notices/{id}/receipts`: whether a notice asks households for a receipt
/// (重要通知), and from which buildings (none listed: every building).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptRequirement {
    pub required: bool,
    #[serde(default)]
    pub building_ids: Vec<i64>,
}

impl ReceiptRequirement {
    /// The buildings, sorted and without duplicates.
    pub fn validate(&self) -> Result<Vec<i64>, FieldError> {
        if self.building_ids.len() > BUILDINGS_MAX {
            return Err(FieldError::with_limit(
                "building_ids",
                ErrorCode::TooLong,
                BUILDINGS_MAX,
            ));
        }
        if self.building_ids.iter().any(|&id| id <= 0) {
            return Err(FieldError::new("building_ids", ErrorCode::InvalidValue));
        }
        let mut ids = self.building_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }
}

/// `GET /api/notices/{id}/receipt`: the receipt as the signed-in person sees it.
/// For a resident, `required` means "asked of my household"; for staff, "asked of anyone".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyReceipt {
    pub required: bool,
    /// Staff only: the notice asks every building (false: only some).
    pub all_buildings: bool,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub method: Option<ReceiptMethod>,
}

/// `POST /api/receipts/{notice_id}/households/{household_id}`: a receipt recorded at the door.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DoorReceiptInput {
    /// Who acknowledged, how (e.g. 老人口头确认，已讲解).
    #[serde(default)]
    pub note: Option<String>,
}

impl DoorReceiptInput {
    pub fn validate(&self) -> Result<Option<String>, FieldError> {
        optional_line("note", self.note.as_deref(), NOTE_MAX)
    }
}

/// A notice that asks for receipts, with the caller's grids' progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptNotice {
    pub notice_id: i64,
    pub title: String,
    pub status: NoticeStatus,
    pub all_buildings: bool,
    pub households: u64,
    pub acknowledged: u64,
    pub required_at: DateTime<Utc>,
}

/// One building's progress on one notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingReceipts {
    pub building_id: i64,
    pub building: String,
    pub grid: String,
    pub households: u64,
    pub acknowledged: u64,
}

/// `GET /api/receipts/{notice_id}/follow-up`: one building's households without a receipt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct FollowUpQuery {
    pub building_id: i64,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl FollowUpQuery {
    pub fn paging(&self) -> PageQuery {
        PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// A household to visit: special groups first, then those without a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpHousehold {
    pub household_id: i64,
    pub unit: String,
    pub room: String,
    pub head_name: String,
    /// Masked.
    pub head_phone: Option<String>,
    pub member_count: u32,
    pub groups: Vec<SpecialGroup>,
    pub last_visit_on: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buildings_are_sorted_and_deduplicated() {
        let r = ReceiptRequirement {
            required: true,
            building_ids: vec![3, 1, 3],
        };
        assert_eq!(r.validate().unwrap(), vec![1, 3]);
    }

    #[test]
    fn building_ids_must_be_ids() {
        let r = ReceiptRequirement {
            required: true,
            building_ids: vec![0],
        };
        let e = r.validate().unwrap_err();
        assert_eq!((e.field, e.code), ("building_ids", ErrorCode::InvalidValue));
        let many = ReceiptRequirement {
            required: true,
            building_ids: (1..=(BUILDINGS_MAX as i64 + 1)).collect(),
        };
        assert_eq!(many.validate().unwrap_err().code, ErrorCode::TooLong);
    }

    #[test]
    fn door_notes_are_one_bounded_line() {
        let note = |s: &str| DoorReceiptInput {
            note: Some(s.into()),
        };
        assert_eq!(note("  ").validate().unwrap(), None);
        assert_eq!(
            note(" 老人口头确认 ").validate().unwrap().as_deref(),
            Some("老人口头确认")
        );
        assert_eq!(
            note(&"话".repeat(NOTE_MAX + 1))
                .validate()
                .unwrap_err()
                .field,
            "note"
        );
    }

    #[test]
    fn methods_round_trip() {
        for m in [ReceiptMethod::SelfTap, ReceiptMethod::Door] {
            assert_eq!(ReceiptMethod::parse(m.as_str()), Some(m));
        }
        assert_eq!(
            serde_json::to_string(&ReceiptMethod::SelfTap).unwrap(),
            "\"self\""
        );
    }
}
