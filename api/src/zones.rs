//! Building zones (三区划分): 防范区, 管控区, 封控区. A building is always in exactly one
//! zone; every change is kept as history. The zone decides what a building's residents see
//! on their home page and which requests are open to them.

use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::text::{is_mainland_mobile, optional_line, required_line};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const REASON_MAX: usize = 200;
pub const NOTE_MAX: usize = 500;
pub const CONTACT_NAME_MAX: usize = 30;
/// How far ahead a zone change may be announced. Further than this is a planning
/// question, not an announcement residents can act on.
pub const MAX_LEAD_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
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

/// `PUT /api/zones/buildings/{id}` (and its preview): staff set a building's zone.
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
    /// The public reason: printed word for word on the board, the poster and the kiosk.
    pub reason: String,
    /// What staff need to know and the public must not read (the household, the case).
    #[serde(default)]
    pub internal_note: Option<String>,
    /// Whom the building's residents call: the 楼栋长 or the grid's duty phone.
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    /// Staff read the warning about personal data in the public reason and publish anyway.
    #[serde(default)]
    pub confirm_public_text: bool,
}

/// A zone change that passed validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidZoneChange {
    pub zone: Zone,
    pub starts_at: DateTime<Utc>,
    pub planned_end: Option<DateTime<Utc>>,
    pub reason: String,
    pub internal_note: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

impl ZoneInput {
    /// `now` fills a missing start; a start may lie at most [`MAX_LEAD_DAYS`] ahead; a
    /// planned end must come after the start; a contact phone must be a phone.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidZoneChange, FieldError> {
        first(self.check(now))
    }

    /// Every refused field, for the zone form.
    pub fn errors(&self, now: DateTime<Utc>) -> Vec<FieldError> {
        all(self.check(now))
    }

    fn check(&self, now: DateTime<Utc>) -> Result<ValidZoneChange, Vec<FieldError>> {
        let mut c = Checks::default();
        let reason = c.check(required_line("reason", &self.reason, REASON_MAX));
        let starts_at = self.starts_at.unwrap_or(now);
        if starts_at > now + chrono::Duration::days(MAX_LEAD_DAYS) {
            c.refuse("starts_at", ErrorCode::InvalidDate);
        }
        if let Some(end) = self.planned_end
            && end <= starts_at
        {
            c.refuse("planned_end", ErrorCode::DateOrder);
        }
        let internal_note = c.check(optional_line(
            "internal_note",
            self.internal_note.as_deref(),
            NOTE_MAX,
        ));
        let contact_name = c.check(optional_line(
            "contact_name",
            self.contact_name.as_deref(),
            CONTACT_NAME_MAX,
        ));
        let contact_phone = c.check(match self.contact_phone.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(phone) => parse_contact_phone("contact_phone", phone).map(Some),
        });
        c.finish(|| {
            Some(ValidZoneChange {
                zone: self.zone,
                starts_at,
                planned_end: self.planned_end,
                reason: reason?,
                internal_note: internal_note?,
                contact_name: contact_name?,
                contact_phone: contact_phone?,
            })
        })
    }

    /// The public reason may not identify a household unless staff confirmed it:
    /// `names` are the names of the building's residents (the server knows them; the
    /// browser checks rooms and phones only).
    pub fn check_public_text(&self, names: &[String]) -> Result<(), FieldError> {
        if self.confirm_public_text || public_text_findings(&self.reason, names).is_empty() {
            Ok(())
        } else {
            Err(FieldError::new("reason", ErrorCode::PublicTextPersonalData))
        }
    }
}

/// A phone residents can call: a mainland mobile, or a landline with its area code
/// (022-12345678) or without (12345678). Spaces and dashes are dropped.
pub fn parse_contact_phone(field: &'static str, value: &str) -> Result<String, FieldError> {
    let digits: String = value
        .trim()
        .trim_start_matches("+86")
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let landline = all_digits
        && if digits.starts_with('0') {
            (10..=12).contains(&digits.len())
        } else {
            matches!(digits.len(), 7 | 8)
        };
    if is_mainland_mobile(&digits) || landline {
        Ok(digits)
    } else {
        Err(FieldError::new(field, ErrorCode::InvalidPhone))
    }
}

/// What in a public text may identify a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum PublicTextFinding {
    /// 302, 302室, 1单元302, 2-1-302.
    Room(String),
    /// A mobile or landline number.
    Phone(String),
    /// A resident's name from the ledger.
    Name(String),
}

/// Rooms and phones in `text` (runs of digits read by what stands around them), and
/// any of `names` it contains.
pub fn public_text_findings(text: &str, names: &[String]) -> Vec<PublicTextFinding> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let before = start.checked_sub(1).map(|b| chars[b]);
        let after = chars.get(i).copied();
        if run.len() >= 7 {
            found.push(PublicTextFinding::Phone(run));
        } else if (3..=4).contains(&run.len())
            && (matches!(before, Some('元' | '楼' | '栋' | '-' | '#'))
                || matches!(after, Some('室' | '房' | '户' | '住')))
        {
            found.push(PublicTextFinding::Room(run));
        }
    }
    for name in names {
        let name = name.trim();
        if name.chars().count() >= 2 && text.contains(name) {
            found.push(PublicTextFinding::Name(name.to_owned()));
        }
    }
    found
}

/// `POST /api/zones/buildings/{id}/preview`: the notice the public will read, and what
/// in it may identify a household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneNoticePreview {
    pub title: String,
    /// Markdown, as the board shows it.
    pub body: String,
    pub findings: Vec<PublicTextFinding>,
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
    /// Staff only: never printed on the board.
    #[serde(default)]
    pub internal_note: Option<String>,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
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
    fn rooms_phones_and_names_in_a_public_reason_are_found() {
        let names = vec!["王小明".to_owned(), "李".to_owned()];
        let found = public_text_findings("2号楼1单元302住户发热，联系13812345678，王小明", &names);
        assert_eq!(
            found,
            vec![
                PublicTextFinding::Room("302".into()),
                PublicTextFinding::Phone("13812345678".into()),
                PublicTextFinding::Name("王小明".into()),
            ]
        );
        assert_eq!(public_text_findings("2-1-1202室有密接", &[]).len(), 1);
        assert!(public_text_findings("2号楼出现阳性病例，2026年12月7日起封控", &names).is_empty());
    }

    #[test]
    fn a_public_reason_with_a_room_needs_confirmation() {
        let mut input = ZoneInput {
            zone: Zone::Sealed,
            reason: "2号楼1单元302住户发热".into(),
            ..ZoneInput::default()
        };
        let err = input.check_public_text(&[]).unwrap_err();
        assert_eq!(
            (err.field, err.code),
            ("reason", ErrorCode::PublicTextPersonalData)
        );
        input.confirm_public_text = true;
        assert!(input.check_public_text(&[]).is_ok());
    }

    #[test]
    fn a_contact_phone_is_a_mobile_or_a_landline() {
        assert_eq!(
            parse_contact_phone("p", "138 1234 5678").unwrap(),
            "13812345678"
        );
        assert_eq!(
            parse_contact_phone("p", "022-23456789").unwrap(),
            "02223456789"
        );
        assert_eq!(parse_contact_phone("p", "23456789").unwrap(), "23456789");
        for bad in ["12345", "电话", "0123", "1381234567x"] {
            assert_eq!(
                parse_contact_phone("p", bad).unwrap_err().code,
                ErrorCode::InvalidPhone
            );
        }
    }

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
        let now = "2026-12-07T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
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
        let now = "2026-12-07T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
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
