//! Building zones (三区划分): 防范区, 管控区, 封控区. A building is always in exactly one
//! zone; every change is kept as history. The zone decides what a building's residents see
//! on their home page and which requests are open to them.

use crate::error::{ErrorCode, FieldError};
use crate::text::required_line;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const REASON_MAX: usize = 200;
/// How far ahead a zone change may be announced. Further than this is a planning
/// question, not an announcement residents can act on.
pub const MAX_LEAD_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// 防范区: ordinary life with precautions; the default for every building.
    #[default]
    Precaution,
    /// 管控区: people stay in the compound (足不出区).
    Controlled,
    /// 封控区: people stay home (足不出户); supplies come to the door.
    Sealed,
}

impl Zone {
    pub const ALL: [Zone; 3] = [Zone::Precaution, Zone::Controlled, Zone::Sealed];

    /// The stored form (the `zone` columns of `buildings` and `building_zones`).
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Precaution => "precaution",
            Zone::Controlled => "controlled",
            Zone::Sealed => "sealed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|zone| zone.as_str() == s)
    }

    /// The official name, as notices and the home page print it.
    pub fn name_zh(self) -> &'static str {
        match self {
            Zone::Precaution => "防范区",
            Zone::Controlled => "管控区",
            Zone::Sealed => "封控区",
        }
    }

    /// Residents of controlled and sealed buildings check in on their health every day.
    pub fn needs_daily_health_check(self) -> bool {
        matches!(self, Zone::Controlled | Zone::Sealed)
    }
}

/// `PUT /api/zones/buildings/{id}`: staff set a building's zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneInput {
    pub zone: Zone,
    /// When the zone takes effect; now when absent.
    #[serde(default)]
    pub starts_at: Option<DateTime<Utc>>,
    /// The announced end, if there is one; the period really ends when the next begins.
    #[serde(default)]
    pub planned_end: Option<DateTime<Utc>>,
    pub reason: String,
}

/// A zone change that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidZoneChange {
    pub zone: Zone,
    pub starts_at: DateTime<Utc>,
    pub planned_end: Option<DateTime<Utc>>,
    pub reason: String,
}

impl ZoneInput {
    /// `now` fills a missing start; a start may lie at most [`MAX_LEAD_DAYS`] ahead; a
    /// planned end must come after the start.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidZoneChange, FieldError> {
        let reason = required_line("reason", &self.reason, REASON_MAX)?;
        let starts_at = self.starts_at.unwrap_or(now);
        if starts_at > now + chrono::Duration::days(MAX_LEAD_DAYS) {
            return Err(FieldError::new("starts_at", ErrorCode::InvalidDate));
        }
        if let Some(end) = self.planned_end
            && end <= starts_at
        {
            return Err(FieldError::new("planned_end", ErrorCode::DateOrder));
        }
        Ok(ValidZoneChange {
            zone: self.zone,
            starts_at,
            planned_end: self.planned_end,
            reason,
        })
    }
}

impl ValidZoneChange {
    /// A change whose start lies ahead is announced now and applied when it starts.
    pub fn is_scheduled(&self, now: DateTime<Utc>) -> bool {
        self.starts_at > now
    }
}

/// A building with its zone, for the staff list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingZone {
    pub building_id: i64,
    pub building_name: String,
    pub grid_id: i64,
    pub grid_name: String,
    pub zone: Zone,
    pub zone_since: Option<DateTime<Utc>>,
    pub planned_end: Option<DateTime<Utc>>,
}

/// `GET /api/zones/buildings`: filters of the staff list.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct BuildingZoneQuery {
    pub zone: Option<Zone>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One period of a building's zone history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZonePeriod {
    pub id: i64,
    pub zone: Zone,
    pub starts_at: DateTime<Utc>,
    pub planned_end: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub reason: String,
    pub set_by_name: String,
    /// The board notice that announced the change.
    pub notice_id: Option<i64>,
    /// Announced but not yet in effect: it applies at `starts_at`.
    #[serde(default)]
    pub pending: bool,
}

/// A zone change announced for a building that has not started yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpcomingZone {
    pub zone: Zone,
    pub starts_at: DateTime<Utc>,
    pub reason: String,
}

/// `GET /api/zones/mine`: what a resident's home page shows about their building.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyZone {
    pub building_name: String,
    pub zone: Zone,
    pub zone_since: Option<DateTime<Utc>>,
    pub planned_end: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    /// 网格员 of the building's grid.
    pub grid_worker_name: Option<String>,
    /// Whom to call: the grid worker's phone when their account has one, else the 楼栋长.
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    /// The request types open to this household now.
    pub open_kinds: Vec<crate::supplies::RequestKind>,
    /// A change announced for this building that has not started yet.
    #[serde(default)]
    pub upcoming: Option<UpcomingZone>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_round_trips() {
        for zone in Zone::ALL {
            assert_eq!(Zone::parse(zone.as_str()), Some(zone));
        }
        assert_eq!(Zone::parse("locked"), None);
    }

    #[test]
    fn only_restricted_zones_need_a_daily_check() {
        assert!(!Zone::Precaution.needs_daily_health_check());
        assert!(Zone::Controlled.needs_daily_health_check());
        assert!(Zone::Sealed.needs_daily_health_check());
    }

    #[test]
    fn a_zone_change_needs_a_reason_and_an_end_after_its_start() {
        let now = Utc::now();
        let mut input = ZoneInput {
            zone: Zone::Sealed,
            reason: "  出现阳性病例 ".into(),
            ..ZoneInput::default()
        };
        let valid = input.validate(now).unwrap();
        assert_eq!(valid.starts_at, now);
        assert_eq!(valid.reason, "出现阳性病例");
        input.planned_end = Some(now);
        assert_eq!(input.validate(now).unwrap_err().field, "planned_end");
        input.planned_end = None;
        input.reason = " ".into();
        assert_eq!(input.validate(now).unwrap_err().field, "reason");
    }

    #[test]
    fn a_change_may_be_announced_up_to_thirty_days_ahead() {
        let now = Utc::now();
        let mut input = ZoneInput {
            zone: Zone::Controlled,
            reason: "邻近楼栋出现病例".into(),
            starts_at: Some(now + chrono::Duration::hours(2)),
            ..ZoneInput::default()
        };
        assert!(input.validate(now).unwrap().is_scheduled(now));
        input.starts_at = Some(now - chrono::Duration::minutes(5));
        assert!(!input.validate(now).unwrap().is_scheduled(now));
        input.starts_at = Some(now + chrono::Duration::days(MAX_LEAD_DAYS + 1));
        assert_eq!(input.validate(now).unwrap_err().field, "starts_at");
    }
}
