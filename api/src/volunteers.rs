//! Volunteers (志愿者): self sign-up from a phone, the profile staff approve, hours.

use crate::auth::NewPassword;
use crate::error::{ErrorCode, FieldError};
use crate::page::ExportFormat;
use crate::personal::Phone;
use crate::text::{parse_mobile, required_line};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const NAME_MAX: usize = 20;
pub const AREA_MAX: usize = 40;
pub const SKILL_NAME_MAX: usize = 20;
pub const SKILLS_MAX: usize = 20;
/// Seven days of four parts.
pub const AVAILABILITY_MAX: usize = 28;
/// The longest period an hours report covers.
pub const HOURS_PERIOD_MAX_DAYS: i64 = 366;

/// The skills every community starts with (医护, 心理疏导, ...), by code and Chinese name.
/// Staff add their own; those get codes `custom-<n>`.
pub const BUILTIN_SKILLS: [(&str, &str); 6] = [
    ("medical", "医护"),
    ("counselling", "心理疏导"),
    ("driving", "驾驶"),
    ("delivery", "配送"),
    ("language", "外语"),
    ("it", "信息技术"),
];

/// A skill a volunteer can offer and a shift can require.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Skill {
    pub code: String,
    /// The Chinese name; the app translates built-in codes and shows this for the others.
    pub name: String,
    pub builtin: bool,
}

/// `POST /api/volunteers/skills`: staff define a skill of their own.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSkillRequest {
    pub name: String,
}

impl NewSkillRequest {
    pub fn validate(&self) -> Result<String, FieldError> {
        required_line("name", &self.name, SKILL_NAME_MAX)
    }
}

/// Trainings a volunteer has completed; a shift may require one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum Training {
    /// 防控知识培训
    Prevention,
    /// 防护用品穿脱培训
    ProtectiveEquipment,
    /// 急救培训
    FirstAid,
}

impl Training {
    pub const ALL: [Training; 3] = [
        Training::Prevention,
        Training::ProtectiveEquipment,
        Training::FirstAid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Training::Prevention => "prevention",
            Training::ProtectiveEquipment => "protective_equipment",
            Training::FirstAid => "first_aid",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The Chinese name, for exports and the calendar feed.
    pub fn label_zh(self) -> &'static str {
        match self {
            Training::Prevention => "防控知识培训",
            Training::ProtectiveEquipment => "防护用品穿脱培训",
            Training::FirstAid => "急救培训",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingRecord {
    pub training: Training,
    pub completed_on: NaiveDate,
}

/// A part of the day a volunteer is usually free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum DayPart {
    /// 上午
    Morning,
    /// 下午
    Afternoon,
    /// 晚上
    Evening,
    /// 夜间
    Night,
}

impl DayPart {
    pub const ALL: [DayPart; 4] = [
        DayPart::Morning,
        DayPart::Afternoon,
        DayPart::Evening,
        DayPart::Night,
    ];
}

/// Weekly availability: ISO weekday (1 = Monday … 7 = Sunday) and a part of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailabilitySlot {
    pub weekday: u8,
    pub part: DayPart,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum VolunteerStatus {
    /// Signed up, waiting for staff.
    Pending,
    /// May take shifts.
    Approved,
    /// Resting or unavailable for a while; staff can approve again.
    Paused,
    /// No longer a volunteer here.
    Removed,
}

/// What staff can do to a volunteer's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolunteerAction {
    Approve,
    Pause,
    Remove,
}

impl VolunteerStatus {
    pub const ALL: [VolunteerStatus; 4] = [
        VolunteerStatus::Pending,
        VolunteerStatus::Approved,
        VolunteerStatus::Paused,
        VolunteerStatus::Removed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VolunteerStatus::Pending => "pending",
            VolunteerStatus::Approved => "approved",
            VolunteerStatus::Paused => "paused",
            VolunteerStatus::Removed => "removed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The status after `action`, or `None` when it makes no sense now. Removal is final:
    /// a removed volunteer signs up again.
    pub fn after(self, action: VolunteerAction) -> Option<VolunteerStatus> {
        use VolunteerAction::*;
        use VolunteerStatus::*;
        match (self, action) {
            (Pending | Paused, Approve) => Some(Approved),
            (Approved, Pause) => Some(Paused),
            (Pending | Approved | Paused, Remove) => Some(Removed),
            _ => None,
        }
    }
}

/// The profile fields a volunteer fills in at sign-up and may edit later.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerProfileInput {
    pub name: String,
    /// The grid or area they can serve, e.g. 第一网格 or 全社区.
    pub service_area: String,
    /// Skill codes (see `GET /api/volunteers/skills`).
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub availability: Vec<AvailabilitySlot>,
    #[serde(default)]
    pub trainings: Vec<TrainingRecord>,
}

/// A profile that passed validation: trimmed, deduplicated, sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProfile {
    pub name: String,
    pub service_area: String,
    pub skills: Vec<String>,
    pub availability: Vec<AvailabilitySlot>,
    pub trainings: Vec<TrainingRecord>,
}

impl VolunteerProfileInput {
    pub fn validate(&self) -> Result<ValidProfile, FieldError> {
        let name = required_line("name", &self.name, NAME_MAX)?;
        let service_area = required_line("service_area", &self.service_area, AREA_MAX)?;
        let mut skills: Vec<String> = Vec::new();
        for code in &self.skills {
            let code = code.trim();
            if !is_skill_code(code) {
                return Err(FieldError::new("skills", ErrorCode::InvalidValue));
            }
            if !skills.iter().any(|s| s == code) {
                skills.push(code.to_owned());
            }
        }
        if skills.len() > SKILLS_MAX {
            return Err(FieldError::with_limit(
                "skills",
                ErrorCode::TooLong,
                SKILLS_MAX,
            ));
        }
        skills.sort();
        let mut availability = self.availability.clone();
        if availability.iter().any(|s| !(1..=7).contains(&s.weekday)) {
            return Err(FieldError::new("availability", ErrorCode::InvalidValue));
        }
        availability.sort();
        availability.dedup();
        if availability.len() > AVAILABILITY_MAX {
            return Err(FieldError::with_limit(
                "availability",
                ErrorCode::TooLong,
                AVAILABILITY_MAX,
            ));
        }
        let mut trainings = self.trainings.clone();
        trainings.sort_by_key(|t| t.training);
        if trainings.windows(2).any(|w| w[0].training == w[1].training) {
            return Err(FieldError::new("trainings", ErrorCode::InvalidValue));
        }
        if trainings
            .iter()
            .any(|t| t.completed_on < earliest_training())
        {
            return Err(FieldError::new("trainings", ErrorCode::InvalidDate));
        }
        Ok(ValidProfile {
            name,
            service_area,
            skills,
            availability,
            trainings,
        })
    }
}

/// Trainings before the first epidemic notices (2020) are typos.
fn earliest_training() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 12, 1).unwrap_or(NaiveDate::MIN)
}

/// The server's check that no training is dated in the future (the browser's clock is
/// not trusted, so this is not part of `validate`).
pub fn check_training_dates(
    trainings: &[TrainingRecord],
    today: NaiveDate,
) -> Result<(), FieldError> {
    if trainings.iter().any(|t| t.completed_on > today) {
        Err(FieldError::new("trainings", ErrorCode::InvalidDate))
    } else {
        Ok(())
    }
}

/// `a-z`, digits and dashes, as built-in and `custom-<n>` codes are.
pub fn is_skill_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `POST /api/volunteers/sign-up`: a volunteer signs themselves up from a phone. The phone
/// number becomes the sign-in name.
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerSignUp {
    pub phone: String,
    pub password: String,
    #[serde(flatten)]
    pub profile: VolunteerProfileInput,
}

impl fmt::Debug for VolunteerSignUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VolunteerSignUp").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct ValidSignUp {
    pub phone: Phone,
    pub password: NewPassword,
    pub profile: ValidProfile,
}

impl VolunteerSignUp {
    /// Every refused field, not only the first, in the form's order: the sign-up form
    /// shows them all at once. Empty when `validate` accepts.
    pub fn errors(&self) -> Vec<FieldError> {
        let p = &self.profile;
        let mut errors: Vec<FieldError> = [
            required_line("name", &p.name, NAME_MAX).err(),
            parse_mobile("phone", &self.phone).err(),
            NewPassword::parse("password", &self.password).err(),
            required_line("service_area", &p.service_area, AREA_MAX).err(),
        ]
        .into_iter()
        .flatten()
        .collect();
        // With the name and area made valid, the profile's first refusal is about its
        // lists (skills, availability, trainings), which have their own places on the form.
        let lists = VolunteerProfileInput {
            name: "-".into(),
            service_area: "-".into(),
            ..p.clone()
        };
        errors.extend(lists.validate().err());
        errors
    }

    pub fn validate(&self) -> Result<ValidSignUp, FieldError> {
        let profile = self.profile.validate()?;
        let phone = parse_mobile("phone", &self.phone)?;
        let password = NewPassword::parse("password", &self.password)?;
        Ok(ValidSignUp {
            phone,
            password,
            profile,
        })
    }
}

/// A volunteer's profile. Lists carry the phone masked; the volunteer themselves and a
/// staff member opening one profile (an audited view) see it in full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Volunteer {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub service_area: String,
    pub skills: Vec<String>,
    pub availability: Vec<AvailabilitySlot>,
    pub trainings: Vec<TrainingRecord>,
    pub status: VolunteerStatus,
    pub created_at: DateTime<Utc>,
    /// Whether a calendar link is live (the link itself is shown only when made).
    pub calendar_enabled: bool,
}

/// Filters for `GET /api/volunteers`.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct VolunteerListQuery {
    pub status: Option<VolunteerStatus>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A fresh private calendar link. The previous one stops working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarLink {
    /// Path of the `.ics` feed, e.g. `/api/calendar/AbC….ics`; whoever has it reads the feed.
    pub path: String,
}

/// `?from=2026-11-01&to=2026-11-30`: a period of days in the community's time zone, both
/// included. Defaults: the last 30 days.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct HoursQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub format: Option<ExportFormat>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl HoursQuery {
    /// The period, both days included; `today` fills in what is missing.
    pub fn period(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), FieldError> {
        let to = self.to.unwrap_or(today);
        let from = self.from.unwrap_or_else(|| to - chrono::Duration::days(29));
        if to < from {
            return Err(FieldError::new("to", ErrorCode::DateOrder));
        }
        if (to - from).num_days() >= HOURS_PERIOD_MAX_DAYS {
            return Err(FieldError::new("from", ErrorCode::InvalidDate));
        }
        Ok((from, to))
    }
}

/// One volunteer's hours in a period (the staff report, for 补贴 and 表彰).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursRow {
    pub volunteer_id: i64,
    pub name: String,
    /// Masked.
    pub phone: String,
    pub shifts: u32,
    pub minutes: i64,
    pub no_shows: u32,
}

/// One completed shift in a volunteer's own hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursEntry {
    pub shift_id: i64,
    /// The post as a code the app names in the reader's language; `post_custom` is the
    /// name staff typed for a custom post.
    pub post: crate::shifts::PostType,
    #[serde(default)]
    pub post_custom: Option<String>,
    pub place: String,
    pub checked_in_at: DateTime<Utc>,
    pub checked_out_at: DateTime<Utc>,
    pub minutes: i64,
}

/// `GET /api/volunteers/me/hours`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyHours {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total_minutes: i64,
    pub entries: Vec<HoursEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_sign_up_names_every_missing_field_at_once() {
        let fields: Vec<&str> = VolunteerSignUp::default()
            .errors()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name", "phone", "password", "service_area"]);
        let mut complete = VolunteerSignUp {
            phone: "13800138000".into(),
            password: "long enough".into(),
            ..Default::default()
        };
        complete.profile.name = "李四".into();
        complete.profile.service_area = "第一网格".into();
        assert!(complete.errors().is_empty());
        assert!(complete.validate().is_ok());
        complete.profile.skills = vec!["NOT A CODE".into()];
        assert_eq!(complete.errors()[0].field, "skills");
    }

    fn profile() -> VolunteerProfileInput {
        VolunteerProfileInput {
            name: " 李明 ".into(),
            service_area: "第一网格".into(),
            skills: vec!["driving".into(), "medical".into(), "driving".into()],
            availability: vec![
                AvailabilitySlot {
                    weekday: 6,
                    part: DayPart::Morning,
                },
                AvailabilitySlot {
                    weekday: 1,
                    part: DayPart::Evening,
                },
                AvailabilitySlot {
                    weekday: 6,
                    part: DayPart::Morning,
                },
            ],
            trainings: vec![TrainingRecord {
                training: Training::Prevention,
                completed_on: NaiveDate::from_ymd_opt(2022, 4, 1).unwrap(),
            }],
        }
    }

    #[test]
    fn a_profile_is_trimmed_deduplicated_and_sorted() {
        let p = profile().validate().unwrap();
        assert_eq!(p.name, "李明");
        assert_eq!(p.skills, ["driving", "medical"]);
        assert_eq!(p.availability.len(), 2);
        assert_eq!(p.availability[0].weekday, 1);
    }

    #[test]
    fn bad_profile_fields_are_named() {
        let mut p = profile();
        p.skills = vec!["Drop Table".into()];
        assert_eq!(p.validate().unwrap_err().field, "skills");
        let mut p = profile();
        p.availability[0].weekday = 8;
        assert_eq!(p.validate().unwrap_err().field, "availability");
        let mut p = profile();
        p.trainings.push(p.trainings[0]);
        assert_eq!(
            p.validate().unwrap_err(),
            FieldError::new("trainings", ErrorCode::InvalidValue)
        );
        let mut p = profile();
        p.trainings[0].completed_on = NaiveDate::from_ymd_opt(1999, 1, 1).unwrap();
        assert_eq!(p.validate().unwrap_err().code, ErrorCode::InvalidDate);
        let mut p = profile();
        p.service_area = "区".repeat(AREA_MAX + 1);
        assert_eq!(p.validate().unwrap_err().limit, Some(AREA_MAX));
    }

    #[test]
    fn trainings_cannot_be_in_the_future() {
        let p = profile().validate().unwrap();
        let day = NaiveDate::from_ymd_opt(2022, 3, 31).unwrap();
        assert_eq!(
            check_training_dates(&p.trainings, day).unwrap_err().code,
            ErrorCode::InvalidDate
        );
        assert!(check_training_dates(&p.trainings, day.succ_opt().unwrap()).is_ok());
    }

    #[test]
    fn sign_up_needs_a_mainland_mobile_and_a_real_password() {
        let mut s = VolunteerSignUp {
            phone: "139 1234 5678".into(),
            password: "守望相助守望相助".into(),
            profile: profile(),
        };
        assert_eq!(s.validate().unwrap().phone.as_str(), "13912345678");
        s.phone = "12345".into();
        assert_eq!(s.validate().unwrap_err().code, ErrorCode::InvalidPhone);
        s.phone = "13912345678".into();
        s.password = "short".into();
        assert_eq!(s.validate().unwrap_err().field, "password");
        assert!(!format!("{s:?}").contains("short"));
    }

    #[test]
    fn the_sign_up_body_is_flat() {
        let s: VolunteerSignUp = serde_json::from_value(serde_json::json!({
            "phone": "13912345678", "password": "12345678", "name": "李明",
            "service_area": "全社区"
        }))
        .unwrap();
        assert_eq!(s.profile.name, "李明");
        assert!(s.profile.skills.is_empty());
    }

    #[test]
    fn status_transitions() {
        use VolunteerAction::*;
        use VolunteerStatus::*;
        assert_eq!(Pending.after(Approve), Some(Approved));
        assert_eq!(Paused.after(Approve), Some(Approved));
        assert_eq!(Approved.after(Approve), None);
        assert_eq!(Pending.after(Pause), None);
        assert_eq!(Approved.after(Remove), Some(Removed));
        assert_eq!(Removed.after(Approve), None);
        assert_eq!(Removed.after(Remove), None);
    }

    #[test]
    fn hours_periods_default_and_are_bounded() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let q = HoursQuery::default();
        assert_eq!(
            q.period(today).unwrap(),
            (NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), today)
        );
        let q = HoursQuery {
            from: Some(today),
            to: NaiveDate::from_ymd_opt(2026, 11, 1),
            ..HoursQuery::default()
        };
        assert_eq!(q.period(today).unwrap_err().code, ErrorCode::DateOrder);
        let q = HoursQuery {
            from: NaiveDate::from_ymd_opt(2020, 1, 1),
            ..HoursQuery::default()
        };
        assert_eq!(q.period(today).unwrap_err().field, "from");
    }
}
