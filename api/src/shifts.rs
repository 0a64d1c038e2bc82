//! Shifts (班次) at the posts the notices list, sign-ups with a waitlist, rotation rules.
//!
//! Times travel two ways: staff type wall-clock times in the community's time zone (a date,
//! a start and an end time; an end before the start means the next morning), the server
//! stores UTC and answers both UTC instants and the local wall-clock times, so the browser
//! never does time-zone arithmetic.

use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::text::{optional_line, required_line};
use crate::volunteers::{Training, is_skill_code};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

pub const PLACE_MAX: usize = 60;
pub const POST_CUSTOM_MAX: usize = 20;
pub const NOTES_MAX: usize = 500;
pub const CAPACITY_MAX: u32 = 500;
/// A shift is at most this long: longer ones break the rest rules anyway.
pub const DURATION_MAX_MINUTES: i64 = 12 * 60;
/// A repeating shift creates at most this many occurrences at once.
pub const OCCURRENCES_MAX: usize = 62;

/// The posts (岗位) of the notices, or one staff name themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum PostType {
    /// 出入口管理/测温扫码
    Entrance,
    /// 核酸检测现场秩序
    TestingSite,
    /// 物资配送到户
    Delivery,
    /// 入户排查
    DoorToDoor,
    /// 环境消杀
    Disinfection,
    /// 宣传引导
    Publicity,
    /// 关爱探访
    CareVisit,
    /// Named in `post_custom`.
    Custom,
}

impl PostType {
    pub const ALL: [PostType; 8] = [
        PostType::Entrance,
        PostType::TestingSite,
        PostType::Delivery,
        PostType::DoorToDoor,
        PostType::Disinfection,
        PostType::Publicity,
        PostType::CareVisit,
        PostType::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PostType::Entrance => "entrance",
            PostType::TestingSite => "testing_site",
            PostType::Delivery => "delivery",
            PostType::DoorToDoor => "door_to_door",
            PostType::Disinfection => "disinfection",
            PostType::Publicity => "publicity",
            PostType::CareVisit => "care_visit",
            PostType::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The English name, for the calendar feed in English.
    pub fn label_en(self) -> &'static str {
        match self {
            PostType::Entrance => "Entrance: temperature and code checks",
            PostType::TestingSite => "Order at the testing site",
            PostType::Delivery => "Supply delivery to homes",
            PostType::DoorToDoor => "Door-to-door checks",
            PostType::Disinfection => "Disinfection",
            PostType::Publicity => "Information and guidance",
            PostType::CareVisit => "Care visits",
            PostType::Custom => "Other post",
        }
    }

    /// The Chinese name, for exports and the calendar feed.
    pub fn label_zh(self) -> &'static str {
        match self {
            PostType::Entrance => "出入口管理/测温扫码",
            PostType::TestingSite => "核酸检测现场秩序",
            PostType::Delivery => "物资配送到户",
            PostType::DoorToDoor => "入户排查",
            PostType::Disinfection => "环境消杀",
            PostType::Publicity => "宣传引导",
            PostType::CareVisit => "关爱探访",
            PostType::Custom => "其他岗位",
        }
    }
}

/// How a new shift repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    /// Once, on `date`.
    #[default]
    Once,
    /// Every day from `date` to `repeat_until`.
    Daily,
    /// The same weekday each week from `date` to `repeat_until`.
    Weekly,
}

/// `POST /api/shifts` (one shift or a repeating series) and `PUT /api/shifts/{id}`
/// (one shift; `repeat` is ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShiftInput {
    pub post: PostType,
    #[serde(default)]
    pub post_custom: Option<String>,
    pub place: String,
    /// The local day of the (first) shift.
    pub date: NaiveDate,
    /// Local wall-clock start, e.g. `07:00`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "07:00"))]
    pub start: NaiveTime,
    /// Local wall-clock end; earlier than `start` means the next day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "11:00"))]
    pub end: NaiveTime,
    pub capacity: u32,
    #[serde(default)]
    pub required_skill: Option<String>,
    #[serde(default)]
    pub required_training: Option<Training>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub repeat: Repeat,
    #[serde(default)]
    pub repeat_until: Option<NaiveDate>,
    /// Open to the volunteers of the street's other communities (街道支援).
    #[serde(default)]
    pub open_to_street: bool,
}

/// A shift that passed validation, with its local days listed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidShift {
    pub post: PostType,
    pub post_custom: Option<String>,
    pub place: String,
    /// Every local day a shift starts on (one for `Once`).
    pub dates: Vec<NaiveDate>,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub capacity: u32,
    pub required_skill: Option<String>,
    pub required_training: Option<Training>,
    pub notes: Option<String>,
    pub open_to_street: bool,
}

impl ValidShift {
    /// Minutes from start to end, across midnight when the end is earlier.
    pub fn duration_minutes(&self) -> i64 {
        duration_minutes(self.start, self.end)
    }
}

/// Minutes from `start` to `end` wall-clock time; an end at or before the start is the
/// next day.
pub fn duration_minutes(start: NaiveTime, end: NaiveTime) -> i64 {
    let minutes = (end - start).num_minutes();
    if minutes <= 0 {
        minutes + 24 * 60
    } else {
        minutes
    }
}

impl ShiftInput {
    pub fn validate(&self) -> Result<ValidShift, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the shift form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<ValidShift, Vec<FieldError>> {
        let mut c = Checks::default();
        let post_custom = c.check(
            optional_line("post_custom", self.post_custom.as_deref(), POST_CUSTOM_MAX).and_then(
                |name| match (self.post, name) {
                    (PostType::Custom, None) => {
                        Err(FieldError::new("post_custom", ErrorCode::Required))
                    }
                    (PostType::Custom, name) => Ok(name),
                    (_, _) => Ok(None),
                },
            ),
        );
        let place = c.check(required_line("place", &self.place, PLACE_MAX));
        if self.start == self.end {
            c.refuse("end", ErrorCode::DateOrder);
        } else if duration_minutes(self.start, self.end) > DURATION_MAX_MINUTES {
            c.refuse("end", ErrorCode::InvalidValue);
        }
        if self.capacity == 0 || self.capacity > CAPACITY_MAX {
            c.refuse("capacity", ErrorCode::InvalidValue);
        }
        let required_skill = c.check(match self.required_skill.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(code) if is_skill_code(code) => Ok(Some(code.to_owned())),
            Some(_) => Err(FieldError::new("required_skill", ErrorCode::InvalidValue)),
        });
        let notes = c.check(optional_line("notes", self.notes.as_deref(), NOTES_MAX));
        let dates = c.check(self.dates());
        c.finish(|| {
            Some(ValidShift {
                post: self.post,
                post_custom: post_custom?,
                place: place?,
                dates: dates?,
                start: self.start,
                end: self.end,
                capacity: self.capacity,
                required_skill: required_skill?,
                required_training: self.required_training,
                notes: notes?,
                open_to_street: self.open_to_street,
            })
        })
    }

    fn dates(&self) -> Result<Vec<NaiveDate>, FieldError> {
        let step = match self.repeat {
            Repeat::Once => return Ok(vec![self.date]),
            Repeat::Daily => 1,
            Repeat::Weekly => 7,
        };
        let until = self
            .repeat_until
            .ok_or(FieldError::new("repeat_until", ErrorCode::Required))?;
        if until < self.date {
            return Err(FieldError::new("repeat_until", ErrorCode::DateOrder));
        }
        let mut dates = Vec::new();
        let mut day = self.date;
        while day <= until {
            if dates.len() == OCCURRENCES_MAX {
                return Err(FieldError::with_limit(
                    "repeat_until",
                    ErrorCode::TooLong,
                    OCCURRENCES_MAX,
                ));
            }
            dates.push(day);
            day += chrono::Duration::days(step);
        }
        Ok(dates)
    }
}

/// A shift as everyone sees it. Who signed up is for staff only (see the roster).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shift {
    pub id: i64,
    /// Shifts created together by one repeat share it.
    pub series_id: Option<i64>,
    pub post: PostType,
    pub post_custom: Option<String>,
    pub place: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `starts_at` as the wall-clock time in the community's time zone: a local
    /// date-time with no offset, e.g. `2026-12-07T07:00:00`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$", example = "2026-12-07T07:00:00"))]
    pub starts_local: NaiveDateTime,
    /// `ends_at` as a local date-time with no offset, like `starts_local`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$", example = "2026-12-07T11:00:00"))]
    pub ends_local: NaiveDateTime,
    pub capacity: u32,
    /// Seats taken (signed up, checked in or out).
    pub taken: u32,
    pub waitlisted: u32,
    pub required_skill: Option<String>,
    pub required_training: Option<Training>,
    pub notes: Option<String>,
    pub cancelled: bool,
    /// Open to the street's volunteer pool (街道支援).
    #[serde(default)]
    pub open_to_street: bool,
    /// The caller's own sign-up, when they have one.
    pub my_signup: Option<MySignupRef>,
}

impl Shift {
    /// The post's name in a calendar: the custom one, or the type's name.
    pub fn post_label(&self, language: CalendarLanguage) -> String {
        match (self.post, self.post_custom.as_deref()) {
            (PostType::Custom, Some(name)) => name.to_owned(),
            (post, _) => match language {
                CalendarLanguage::Zh => post.label_zh().to_owned(),
                CalendarLanguage::En => post.label_en().to_owned(),
            },
        }
    }
}

/// The language of the calendar feed. A calendar app shows the feed's text as it is, so
/// the volunteer's app asks for the feed in the language it is using.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CalendarLanguage {
    #[default]
    Zh,
    En,
}

impl CalendarLanguage {
    pub fn as_str(self) -> &'static str {
        match self {
            CalendarLanguage::Zh => "zh",
            CalendarLanguage::En => "en",
        }
    }

    /// The calendar's name.
    pub fn calendar_name(self) -> &'static str {
        match self {
            CalendarLanguage::Zh => "守望 志愿者班次",
            CalendarLanguage::En => "Shouwang volunteer shifts",
        }
    }

    /// One shift's title in the calendar.
    pub fn event_summary(self, post: &str) -> String {
        match self {
            CalendarLanguage::Zh => format!("志愿服务：{post}"),
            CalendarLanguage::En => format!("Volunteer shift: {post}"),
        }
    }
}

/// `GET /api/calendar/{file}?lang=en`.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct CalendarQuery {
    #[serde(default)]
    pub lang: CalendarLanguage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MySignupRef {
    pub id: i64,
    pub status: SignupStatus,
    /// 1 for the first in line, when waitlisted.
    pub waitlist_position: Option<u32>,
}

/// Filters for `GET /api/shifts`: upcoming shifts; for a volunteer only those they qualify for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ShiftListQuery {
    /// A local day.
    pub day: Option<NaiveDate>,
    pub post: Option<PostType>,
    pub place: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum SignupStatus {
    SignedUp,
    Waitlisted,
    Cancelled,
    CheckedIn,
    CheckedOut,
    NoShow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupAction {
    Cancel,
    /// A seat freed up for the first in line.
    Promote,
    CheckIn,
    CheckOut,
    NoShow,
}

impl SignupStatus {
    pub const ALL: [SignupStatus; 6] = [
        SignupStatus::SignedUp,
        SignupStatus::Waitlisted,
        SignupStatus::Cancelled,
        SignupStatus::CheckedIn,
        SignupStatus::CheckedOut,
        SignupStatus::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SignupStatus::SignedUp => "signed_up",
            SignupStatus::Waitlisted => "waitlisted",
            SignupStatus::Cancelled => "cancelled",
            SignupStatus::CheckedIn => "checked_in",
            SignupStatus::CheckedOut => "checked_out",
            SignupStatus::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Holds one of the shift's seats.
    pub fn takes_a_seat(self) -> bool {
        matches!(
            self,
            SignupStatus::SignedUp | SignupStatus::CheckedIn | SignupStatus::CheckedOut
        )
    }

    pub fn after(self, action: SignupAction) -> Option<SignupStatus> {
        use SignupAction as A;
        use SignupStatus as S;
        match (self, action) {
            (S::SignedUp | S::Waitlisted, A::Cancel) => Some(S::Cancelled),
            (S::Waitlisted, A::Promote) => Some(S::SignedUp),
            (S::SignedUp | S::NoShow, A::CheckIn) => Some(S::CheckedIn),
            (S::CheckedIn, A::CheckOut) => Some(S::CheckedOut),
            (S::SignedUp, A::NoShow) => Some(S::NoShow),
            _ => None,
        }
    }
}

/// `POST /api/shifts/{id}/signup`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupRequest {
    /// When the shift is full: join its waitlist instead of being refused.
    #[serde(default)]
    pub join_waitlist: bool,
}

/// `POST /api/shifts/{id}/signups`: staff put a volunteer on a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignRequest {
    pub volunteer_id: i64,
    #[serde(default)]
    pub join_waitlist: bool,
}

/// A sign-up as its volunteer sees it: with the shift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MySignup {
    pub id: i64,
    pub status: SignupStatus,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub shift: Shift,
}

/// `?when=upcoming|past` for `GET /api/shifts/mine`.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct MySignupsQuery {
    #[serde(default)]
    pub past: bool,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Per-community rotation and rest rules (轮休), and the time zone shifts are shown in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShiftSettings {
    /// IANA name shown to people, e.g. `Asia/Shanghai`.
    pub time_zone: String,
    /// Its offset from UTC. Mainland China has had no daylight saving time since 1991, so
    /// a fixed offset is exact there.
    pub utc_offset_minutes: i32,
    /// Hours of shifts one volunteer may hold in one week (Monday to Sunday, local).
    pub max_hours_per_week: u32,
    /// Minimum time between the end of one of a volunteer's shifts and the next.
    pub min_rest_minutes: u32,
}

impl ShiftSettings {
    pub fn validate(&self) -> Result<ShiftSettings, FieldError> {
        let time_zone = required_line("time_zone", &self.time_zone, 40)?;
        if !(-12 * 60..=14 * 60).contains(&self.utc_offset_minutes) {
            return Err(FieldError::new(
                "utc_offset_minutes",
                ErrorCode::InvalidValue,
            ));
        }
        if !(1..=7 * 24).contains(&self.max_hours_per_week) {
            return Err(FieldError::new(
                "max_hours_per_week",
                ErrorCode::InvalidValue,
            ));
        }
        if self.min_rest_minutes > 24 * 60 {
            return Err(FieldError::new("min_rest_minutes", ErrorCode::InvalidValue));
        }
        Ok(ShiftSettings {
            time_zone,
            ..self.clone()
        })
    }
}

/// `?day=2026-11-28` for the roster; today (local) by default.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct RosterQuery {
    pub day: Option<NaiveDate>,
}

/// Staff's view of one day: each shift with its people and its gap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Roster {
    pub day: NaiveDate,
    pub time_zone: String,
    pub shifts: Vec<RosterShift>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterShift {
    pub shift: Shift,
    pub people: Vec<RosterEntry>,
    /// Seats still open.
    pub gap: u32,
    pub checked_in: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    pub signup_id: i64,
    pub volunteer_id: i64,
    pub name: String,
    /// Masked.
    pub phone: String,
    pub status: SignupStatus,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    /// A volunteer of another community of the street, here through its pool: that
    /// community's name (来自 X支援).
    #[serde(default)]
    pub from_community: Option<String>,
}

/// Answer of a create: how many shifts, and their ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedShifts {
    pub series_id: Option<i64>,
    pub ids: Vec<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calendar_names_posts_in_the_asked_language() {
        assert_eq!(
            CalendarLanguage::En.event_summary(PostType::Delivery.label_en()),
            "Volunteer shift: Supply delivery to homes"
        );
        assert_eq!(
            CalendarLanguage::Zh.event_summary(PostType::Delivery.label_zh()),
            "志愿服务：物资配送到户"
        );
        let query: CalendarQuery = serde_json::from_str(r#"{"lang":"en"}"#).unwrap();
        assert_eq!(query.lang, CalendarLanguage::En);
        let default: CalendarQuery = serde_json::from_str("{}").unwrap();
        assert_eq!(default.lang, CalendarLanguage::Zh);
    }

    fn input() -> ShiftInput {
        ShiftInput {
            post: PostType::Entrance,
            post_custom: None,
            place: " 东门 ".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            start: NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
            capacity: 4,
            required_skill: None,
            required_training: None,
            notes: None,
            repeat: Repeat::Once,
            repeat_until: None,
            open_to_street: false,
        }
    }

    #[test]
    fn a_single_shift_is_one_date() {
        let s = input().validate().unwrap();
        assert_eq!(s.place, "东门");
        assert_eq!(s.dates.len(), 1);
        assert_eq!(s.duration_minutes(), 240);
    }

    #[test]
    fn daily_for_two_weeks_is_fourteen_shifts() {
        let mut i = input();
        i.repeat = Repeat::Daily;
        i.repeat_until = NaiveDate::from_ymd_opt(2026, 12, 14);
        assert_eq!(i.validate().unwrap().dates.len(), 14);
        i.repeat = Repeat::Weekly;
        assert_eq!(i.validate().unwrap().dates.len(), 2);
        i.repeat_until = None;
        assert_eq!(i.validate().unwrap_err().field, "repeat_until");
        i.repeat_until = NaiveDate::from_ymd_opt(2026, 11, 1);
        assert_eq!(i.validate().unwrap_err().code, ErrorCode::DateOrder);
        i.repeat = Repeat::Daily;
        i.repeat_until = NaiveDate::from_ymd_opt(2027, 12, 1);
        assert_eq!(i.validate().unwrap_err().limit, Some(OCCURRENCES_MAX));
    }

    #[test]
    fn a_night_shift_ends_the_next_morning() {
        let mut i = input();
        i.start = NaiveTime::from_hms_opt(22, 0, 0).unwrap();
        i.end = NaiveTime::from_hms_opt(6, 0, 0).unwrap();
        assert_eq!(i.validate().unwrap().duration_minutes(), 8 * 60);
        i.end = NaiveTime::from_hms_opt(22, 0, 0).unwrap();
        assert_eq!(i.validate().unwrap_err().field, "end");
        i.end = NaiveTime::from_hms_opt(12, 0, 0).unwrap();
        assert_eq!(
            i.validate().unwrap_err(),
            FieldError::new("end", ErrorCode::InvalidValue),
            "14 hours is too long"
        );
    }

    #[test]
    fn custom_posts_need_a_name_and_others_drop_it() {
        let mut i = input();
        i.post = PostType::Custom;
        assert_eq!(i.validate().unwrap_err().field, "post_custom");
        i.post_custom = Some("心理热线".into());
        assert_eq!(
            i.validate().unwrap().post_custom.as_deref(),
            Some("心理热线")
        );
        i.post = PostType::Delivery;
        assert_eq!(i.validate().unwrap().post_custom, None);
    }

    #[test]
    fn capacity_place_and_skill_are_checked() {
        let mut i = input();
        i.capacity = 0;
        assert_eq!(i.validate().unwrap_err().field, "capacity");
        let mut i = input();
        i.place = " ".into();
        assert_eq!(i.validate().unwrap_err().code, ErrorCode::Required);
        let mut i = input();
        i.required_skill = Some("医护".into());
        assert_eq!(i.validate().unwrap_err().field, "required_skill");
        i.required_skill = Some(" ".into());
        assert_eq!(i.validate().unwrap().required_skill, None);
    }

    #[test]
    fn signup_transitions() {
        use SignupAction as A;
        use SignupStatus as S;
        assert_eq!(S::Waitlisted.after(A::Promote), Some(S::SignedUp));
        assert_eq!(S::SignedUp.after(A::Promote), None);
        assert_eq!(S::SignedUp.after(A::Cancel), Some(S::Cancelled));
        assert_eq!(S::CheckedIn.after(A::Cancel), None);
        assert_eq!(S::SignedUp.after(A::CheckIn), Some(S::CheckedIn));
        assert_eq!(S::Waitlisted.after(A::CheckIn), None);
        assert_eq!(S::CheckedIn.after(A::CheckOut), Some(S::CheckedOut));
        assert_eq!(S::SignedUp.after(A::CheckOut), None);
        assert_eq!(S::SignedUp.after(A::NoShow), Some(S::NoShow));
        assert_eq!(S::NoShow.after(A::CheckIn), Some(S::CheckedIn));
        assert!(S::CheckedOut.takes_a_seat() && !S::Waitlisted.takes_a_seat());
    }

    #[test]
    fn settings_are_bounded() {
        let s = ShiftSettings {
            time_zone: "Asia/Shanghai".into(),
            utc_offset_minutes: 480,
            max_hours_per_week: 40,
            min_rest_minutes: 480,
        };
        assert!(s.validate().is_ok());
        let mut bad = s.clone();
        bad.max_hours_per_week = 0;
        assert_eq!(bad.validate().unwrap_err().field, "max_hours_per_week");
        let mut bad = s;
        bad.utc_offset_minutes = 2000;
        assert_eq!(bad.validate().unwrap_err().field, "utc_offset_minutes");
    }
}
