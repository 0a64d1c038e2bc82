//! Testing rounds (核酸检测预约通知、现场管理): staff schedule a round for buildings with a
//! time slot per unit; residents see their slot; the round tracks who has been tested
//! (应检尽检), at the site or at the door (入户采样) for people who cannot come down.

use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::page::PageQuery;
use crate::residents::Address;
use crate::text::{optional_line, required_line};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 40;
pub const PLACE_MAX: usize = 60;
pub const NOTES_MAX: usize = 300;
pub const BUILDINGS_MAX: usize = 50;
pub const SLOTS_MAX: usize = 300;

/// `HH:MM` → a time of day; anything else is refused with `field`.
pub fn parse_time(field: &'static str, value: &str) -> Result<NaiveTime, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, ErrorCode::Required));
    }
    NaiveTime::parse_from_str(value, "%H:%M")
        .map_err(|_| FieldError::new(field, ErrorCode::InvalidValue))
}

/// `HH:MM` of a time of day, as inputs and the API write it.
pub fn format_time(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// One unit's time window on the round's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotInput {
    pub unit_id: i64,
    /// `HH:MM`
    pub start: String,
    /// `HH:MM`, after `start` on the same day.
    pub end: String,
}

/// `POST /api/testing/rounds`: a round for some buildings, a slot per unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundInput {
    /// e.g. 第3轮全员核酸检测
    pub name: String,
    /// `YYYY-MM-DD`
    pub date: String,
    /// Where: 小区东门广场采样点.
    pub place: String,
    #[serde(default)]
    pub notes: Option<String>,
    pub building_ids: Vec<i64>,
    pub slots: Vec<SlotInput>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidSlot {
    pub unit_id: i64,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRound {
    pub name: String,
    pub date: NaiveDate,
    pub place: String,
    pub notes: Option<String>,
    pub building_ids: Vec<i64>,
    pub slots: Vec<ValidSlot>,
}

impl RoundInput {
    /// `today` (the community's day) refuses rounds scheduled in the past.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidRound, FieldError> {
        first(self.check(today))
    }

    /// Every refused field, for the round form.
    pub fn errors(&self, today: NaiveDate) -> Vec<FieldError> {
        all(self.check(today))
    }

    fn check(&self, today: NaiveDate) -> Result<ValidRound, Vec<FieldError>> {
        let mut c = Checks::default();
        let name = c.check(required_line("name", &self.name, NAME_MAX));
        let date = c.check(match self.date.trim() {
            "" => Err(FieldError::new("date", ErrorCode::Required)),
            d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .ok()
                .filter(|date| *date >= today)
                .ok_or_else(|| FieldError::new("date", ErrorCode::InvalidDate)),
        });
        let place = c.check(required_line("place", &self.place, PLACE_MAX));
        let notes = c.check(optional_line("notes", self.notes.as_deref(), NOTES_MAX));
        let building_ids = c.check(self.building_ids());
        let slots = c.check(self.slots());
        c.finish(|| {
            Some(ValidRound {
                name: name?,
                date: date?,
                place: place?,
                notes: notes?,
                building_ids: building_ids?,
                slots: slots?,
            })
        })
    }

    fn building_ids(&self) -> Result<Vec<i64>, FieldError> {
        if self.building_ids.is_empty() {
            return Err(FieldError::new("building_ids", ErrorCode::Required));
        }
        if self.building_ids.len() > BUILDINGS_MAX {
            return Err(FieldError::with_limit(
                "building_ids",
                ErrorCode::TooLong,
                BUILDINGS_MAX,
            ));
        }
        let mut building_ids = self.building_ids.clone();
        building_ids.sort_unstable();
        building_ids.dedup();
        if building_ids.len() != self.building_ids.len() {
            return Err(FieldError::new("building_ids", ErrorCode::InvalidValue));
        }
        Ok(building_ids)
    }

    fn slots(&self) -> Result<Vec<ValidSlot>, FieldError> {
        if self.slots.is_empty() {
            return Err(FieldError::new("slots", ErrorCode::Required));
        }
        if self.slots.len() > SLOTS_MAX {
            return Err(FieldError::with_limit(
                "slots",
                ErrorCode::TooLong,
                SLOTS_MAX,
            ));
        }
        let mut slots: Vec<ValidSlot> = Vec::with_capacity(self.slots.len());
        for s in &self.slots {
            let start = parse_time("slots", &s.start)?;
            let end = parse_time("slots", &s.end)?;
            if end <= start {
                return Err(FieldError::new("slots", ErrorCode::DateOrder));
            }
            if slots.iter().any(|v| v.unit_id == s.unit_id) {
                return Err(FieldError::new("slots", ErrorCode::InvalidValue));
            }
            slots.push(ValidSlot {
                unit_id: s.unit_id,
                start,
                end,
            });
        }
        Ok(slots)
    }
}

/// Slots one after the other: the first unit from `start`, each `minutes` long. Times
/// past midnight are cut at 23:59. What the staff form fills in for quick entry.
pub fn sequential_slots(
    start: NaiveTime,
    minutes: u32,
    units: usize,
) -> Vec<(NaiveTime, NaiveTime)> {
    let last = NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(start);
    let step = chrono::Duration::minutes(i64::from(minutes.max(1)));
    let mut at = start;
    let mut out = Vec::with_capacity(units);
    for _ in 0..units {
        let (end, wrapped) = at.overflowing_add_signed(step);
        let end = if wrapped != 0 || end < at { last } else { end };
        out.push((at, end));
        at = end;
    }
    out
}

/// What staff may do to a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum RoundState {
    Scheduled,
    Cancelled,
}

impl RoundState {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundState::Scheduled => "scheduled",
            RoundState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [RoundState::Scheduled, RoundState::Cancelled]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// Where a round stands on a given day: its state and its date together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// 待检测: a later day.
    Upcoming,
    /// 检测中: today; people can be marked tested.
    Today,
    /// 已结束
    Finished,
    /// 已取消
    Cancelled,
}

impl Phase {
    pub fn of(state: RoundState, date: NaiveDate, today: NaiveDate) -> Phase {
        match state {
            RoundState::Cancelled => Phase::Cancelled,
            RoundState::Scheduled if date > today => Phase::Upcoming,
            RoundState::Scheduled if date == today => Phase::Today,
            RoundState::Scheduled => Phase::Finished,
        }
    }

    /// Results are recorded (and undone) only on the day of the round.
    pub fn may_mark(self) -> bool {
        self == Phase::Today
    }

    /// A round can be cancelled until it has happened.
    pub fn may_cancel(self) -> bool {
        matches!(self, Phase::Upcoming | Phase::Today)
    }
}

/// Where a person was sampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum TestPlace {
    /// 现场采样
    Site,
    /// 入户采样
    Door,
}

impl TestPlace {
    pub fn as_str(self) -> &'static str {
        match self {
            TestPlace::Site => "site",
            TestPlace::Door => "door",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [TestPlace::Site, TestPlace::Door]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// Why a person is sampled at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DoorReason {
    /// 独居老人
    ElderlyAlone,
    /// 残疾人
    Disabled,
    /// 重病重残、卧床
    SeriouslyIll,
    /// 居家医学观察
    Observation,
    /// 封控区: nobody leaves the building.
    Sealed,
}

/// `POST /api/testing/rounds/{id}/results`: a person was sampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkInput {
    pub member_id: i64,
    pub place: TestPlace,
}

/// A recorded sampling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestResult {
    pub member_id: i64,
    pub place: TestPlace,
    pub at: DateTime<Utc>,
}

/// A unit's slot as everybody reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    pub unit_id: i64,
    pub building_id: i64,
    pub building: String,
    pub unit: String,
    /// `HH:MM`
    pub start: String,
    pub end: String,
}

/// One line of the staff list of rounds, with the caller's grids' counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundSummary {
    pub id: i64,
    pub name: String,
    pub date: NaiveDate,
    pub place: String,
    pub phase: Phase,
    pub buildings: u32,
    /// 应检
    pub expected: u32,
    /// 已检
    pub tested: u32,
}

/// 应检 / 已检 of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitProgress {
    pub building_id: i64,
    pub building: String,
    pub unit_id: i64,
    pub unit: String,
    pub expected: u32,
    pub tested: u32,
    pub at_door: u32,
}

/// `GET /api/testing/rounds/{id}`: the round, its slots and progress in the caller's grids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundDetail {
    pub id: i64,
    pub name: String,
    pub date: NaiveDate,
    pub place: String,
    pub notes: Option<String>,
    pub phase: Phase,
    pub slots: Vec<Slot>,
    pub progress: Vec<UnitProgress>,
    pub expected: u32,
    pub tested: u32,
}

/// `GET /api/testing/rounds/{id}/untested` and `/door`: filters and paging.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PeopleQuery {
    pub building_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl PeopleQuery {
    pub fn paging(&self) -> PageQuery {
        PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// A person of a round as staff see them; the phone masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundPerson {
    pub member_id: i64,
    pub name: String,
    pub birth_year: i32,
    pub phone: Option<String>,
    pub address: Address,
    /// Why they are sampled at the door; empty for people who come down.
    pub door_reasons: Vec<DoorReason>,
    pub result: Option<TestResult>,
}

/// A person of the resident's household in the round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyMember {
    pub member_id: i64,
    pub name: String,
    /// Staff come to the door for this person.
    pub at_door: bool,
    pub result: Option<TestResult>,
}

/// The round the resident's household goes to next (today's or the nearest upcoming).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRound {
    pub id: i64,
    pub name: String,
    pub date: NaiveDate,
    pub place: String,
    pub notes: Option<String>,
    pub phase: Phase,
    /// My unit's window, `HH:MM`.
    pub start: String,
    pub end: String,
    pub members: Vec<MyMember>,
}

/// `GET /api/testing/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTesting {
    pub round: Option<MyRound>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input() -> RoundInput {
        RoundInput {
            name: " 第3轮全员核酸检测 ".into(),
            date: "2026-11-29".into(),
            place: "小区东门广场".into(),
            notes: Some("请携带身份证，保持1米间距".into()),
            building_ids: vec![2, 1],
            slots: vec![
                SlotInput {
                    unit_id: 10,
                    start: "08:00".into(),
                    end: "08:30".into(),
                },
                SlotInput {
                    unit_id: 11,
                    start: "08:30".into(),
                    end: "09:00".into(),
                },
            ],
        }
    }

    #[test]
    fn a_round_is_trimmed_and_its_slots_parsed() {
        let v = input().validate(day("2026-11-28")).unwrap();
        assert_eq!(v.name, "第3轮全员核酸检测");
        assert_eq!(v.building_ids, vec![1, 2]);
        assert_eq!(format_time(v.slots[1].start), "08:30");
    }

    /// A way to spoil a valid input, and the field the error must name.
    type Spoiler = (fn(&mut RoundInput), &'static str);

    #[test]
    fn each_bad_field_is_named() {
        let today = day("2026-11-28");
        let cases: Vec<Spoiler> = vec![
            (|i| i.name = " ".into(), "name"),
            (|i| i.name = "长".repeat(41), "name"),
            (|i| i.date = "2026-13-01".into(), "date"),
            (|i| i.date = "2026-11-27".into(), "date"),
            (|i| i.place = String::new(), "place"),
            (|i| i.notes = Some("注".repeat(301)), "notes"),
            (|i| i.building_ids.clear(), "building_ids"),
            (|i| i.building_ids = vec![1, 1], "building_ids"),
            (|i| i.slots.clear(), "slots"),
            (|i| i.slots[0].end = "07:59".into(), "slots"),
            (|i| i.slots[0].end = "08:00".into(), "slots"),
            (|i| i.slots[0].start = "24:00".into(), "slots"),
            (|i| i.slots[0].start = "8点".into(), "slots"),
            (|i| i.slots[1].unit_id = 10, "slots"),
        ];
        for (change, field) in cases {
            let mut i = input();
            change(&mut i);
            assert_eq!(i.validate(today).unwrap_err().field, field, "{i:?}");
        }
    }

    #[test]
    fn an_earlier_end_is_a_date_order_error() {
        let mut i = input();
        i.slots[0].end = "07:00".into();
        assert_eq!(
            i.validate(day("2026-11-28")).unwrap_err().code,
            ErrorCode::DateOrder
        );
    }

    #[test]
    fn quick_slots_follow_each_other_and_stop_at_midnight() {
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        let slots = sequential_slots(t("08:00"), 30, 3);
        assert_eq!(
            slots,
            vec![
                (t("08:00"), t("08:30")),
                (t("08:30"), t("09:00")),
                (t("09:00"), t("09:30"))
            ]
        );
        let late = sequential_slots(t("23:30"), 60, 1);
        assert_eq!(late, vec![(t("23:30"), t("23:59"))]);
    }

    #[test]
    fn only_today_takes_results_and_only_before_it_ends_a_cancel() {
        let today = day("2026-11-28");
        let s = RoundState::Scheduled;
        assert_eq!(Phase::of(s, day("2026-11-29"), today), Phase::Upcoming);
        assert_eq!(Phase::of(s, today, today), Phase::Today);
        assert_eq!(Phase::of(s, day("2026-11-27"), today), Phase::Finished);
        assert_eq!(
            Phase::of(RoundState::Cancelled, today, today),
            Phase::Cancelled
        );
        assert!(Phase::Today.may_mark());
        assert!(!Phase::Upcoming.may_mark() && !Phase::Cancelled.may_mark());
        assert!(Phase::Upcoming.may_cancel() && Phase::Today.may_cancel());
        assert!(!Phase::Finished.may_cancel() && !Phase::Cancelled.may_cancel());
    }

    #[test]
    fn states_and_places_round_trip() {
        for s in [RoundState::Scheduled, RoundState::Cancelled] {
            assert_eq!(RoundState::parse(s.as_str()), Some(s));
        }
        for p in [TestPlace::Site, TestPlace::Door] {
            assert_eq!(TestPlace::parse(p.as_str()), Some(p));
        }
    }
}
