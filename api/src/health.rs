//! Health monitoring (健康监测): the daily check-in of people under home medical
//! observation or living in a controlled or sealed building, and the staff worklist that
//! follows up on who has not checked in, who has a fever or symptoms, and whose
//! observation ends soon.

use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::page::PageQuery;
use crate::residents::{Address, Relation};
use crate::text::{optional_line, required_line};
use crate::zones::Zone;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const NOTE_MAX: usize = 200;
/// The lowest and highest body temperature a thermometer reading can plausibly be, in
/// tenths of a degree Celsius; anything outside is a typing slip.
pub const TEMPERATURE_MIN_TENTHS: i32 = 340;
pub const TEMPERATURE_MAX_TENTHS: i32 = 430;
/// 37.3 °C and above counts as a fever (发热), the threshold the notices use.
pub const FEVER_TENTHS: i32 = 373;
/// An observation that ends within this many days shows on the worklist.
pub const OBSERVATION_ENDING_DAYS: i64 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum Symptom {
    /// 咳嗽
    Cough,
    /// 咽痛
    SoreThroat,
    /// 乏力
    Fatigue,
    /// 嗅觉味觉减退
    LossOfSmellOrTaste,
    /// 呼吸困难
    ShortOfBreath,
    /// 肌肉酸痛
    MuscleAche,
    /// 腹泻
    Diarrhoea,
    /// 鼻塞流涕
    RunnyNose,
}

impl Symptom {
    pub const ALL: [Symptom; 8] = [
        Symptom::Cough,
        Symptom::SoreThroat,
        Symptom::Fatigue,
        Symptom::LossOfSmellOrTaste,
        Symptom::ShortOfBreath,
        Symptom::MuscleAche,
        Symptom::Diarrhoea,
        Symptom::RunnyNose,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Symptom::Cough => "cough",
            Symptom::SoreThroat => "sore_throat",
            Symptom::Fatigue => "fatigue",
            Symptom::LossOfSmellOrTaste => "loss_of_smell_or_taste",
            Symptom::ShortOfBreath => "short_of_breath",
            Symptom::MuscleAche => "muscle_ache",
            Symptom::Diarrhoea => "diarrhoea",
            Symptom::RunnyNose => "runny_nose",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The stored form: comma-separated, in the order of [`Symptom::ALL`].
    pub fn join(symptoms: &[Symptom]) -> String {
        Self::ALL
            .into_iter()
            .filter(|s| symptoms.contains(s))
            .map(Symptom::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn split(stored: &str) -> Vec<Symptom> {
        stored
            .split(',')
            .filter_map(|s| Symptom::parse(s.trim()))
            .collect()
    }
}

/// A body temperature, held in tenths of a degree so that 37.3 compares exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Temperature(i32);

impl Temperature {
    /// Accepts 34.0 to 43.0 °C with at most one decimal.
    pub fn parse(field: &'static str, celsius: f64) -> Result<Temperature, FieldError> {
        let tenths = celsius * 10.0;
        let rounded = tenths.round();
        if !tenths.is_finite() || (tenths - rounded).abs() > 1e-6 {
            return Err(FieldError::new(field, ErrorCode::InvalidValue));
        }
        // In range, so the cast cannot truncate.
        let tenths = rounded as i32;
        if !(TEMPERATURE_MIN_TENTHS..=TEMPERATURE_MAX_TENTHS).contains(&tenths) {
            return Err(FieldError::new(field, ErrorCode::InvalidValue));
        }
        Ok(Temperature(tenths))
    }

    pub fn from_tenths(tenths: i32) -> Temperature {
        Temperature(tenths)
    }

    pub fn tenths(self) -> i32 {
        self.0
    }

    pub fn celsius(self) -> f64 {
        f64::from(self.0) / 10.0
    }

    pub fn is_fever(self) -> bool {
        self.0 >= FEVER_TENTHS
    }
}

/// Why a person checks in today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckReason {
    /// 居家医学观察
    Observation,
    /// Lives in a controlled or sealed building.
    Zone,
}

/// Who checks in today: people under observation on that day, and everybody in a
/// building whose zone needs a daily check. `None`: nobody asks this person.
pub fn check_reason(
    observation_start: Option<NaiveDate>,
    observation_end: Option<NaiveDate>,
    zone: Zone,
    today: NaiveDate,
) -> Option<CheckReason> {
    match (observation_start, observation_end) {
        (Some(start), Some(end)) if start <= today && today <= end => {
            Some(CheckReason::Observation)
        }
        _ if zone.needs_daily_health_check() => Some(CheckReason::Zone),
        _ => None,
    }
}

/// `POST /api/health/me/check-ins`: one person's check-in for today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInInput {
    pub member_id: i64,
    /// One tap: no temperature taken, no symptoms, all is well.
    #[serde(default)]
    pub all_well: bool,
    /// °C, one decimal; required unless `all_well`.
    #[serde(default)]
    pub temperature: Option<f64>,
    #[serde(default)]
    pub symptoms: Vec<Symptom>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCheckIn {
    pub member_id: i64,
    pub temperature: Option<Temperature>,
    pub symptoms: Vec<Symptom>,
    pub note: Option<String>,
}

impl ValidCheckIn {
    /// What a member of staff should look at: a fever or any symptom.
    pub fn flagged(&self) -> bool {
        self.temperature.is_some_and(Temperature::is_fever) || !self.symptoms.is_empty()
    }
}

impl CheckInInput {
    pub fn all_well(member_id: i64) -> Self {
        CheckInInput {
            member_id,
            all_well: true,
            temperature: None,
            symptoms: Vec::new(),
            note: None,
        }
    }

    pub fn validate(&self) -> Result<ValidCheckIn, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the check-in form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<ValidCheckIn, Vec<FieldError>> {
        let mut c = Checks::default();
        let note = c.check(optional_line("note", self.note.as_deref(), NOTE_MAX));
        if self.all_well {
            if !self.symptoms.is_empty() {
                c.refuse("symptoms", ErrorCode::InvalidValue);
            }
            let temperature = c.check(
                self.temperature
                    .map(|t| Temperature::parse("temperature", t))
                    .transpose(),
            );
            if temperature.flatten().is_some_and(Temperature::is_fever) {
                c.refuse("temperature", ErrorCode::InvalidValue);
            }
            return c.finish(|| {
                Some(ValidCheckIn {
                    member_id: self.member_id,
                    temperature: temperature?,
                    symptoms: Vec::new(),
                    note: note?,
                })
            });
        }
        let temperature = c.check(match self.temperature {
            Some(t) => Temperature::parse("temperature", t),
            None => Err(FieldError::new("temperature", ErrorCode::Required)),
        });
        let mut symptoms = self.symptoms.clone();
        symptoms.sort_by_key(|s| Symptom::ALL.iter().position(|x| x == s));
        symptoms.dedup();
        c.finish(|| {
            Some(ValidCheckIn {
                member_id: self.member_id,
                temperature: Some(temperature?),
                symptoms,
                note: note?,
            })
        })
    }
}

/// One stored check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckIn {
    pub id: i64,
    pub member_id: i64,
    /// The community day (UTC+8) it counts for.
    pub day: NaiveDate,
    pub temperature: Option<f64>,
    pub symptoms: Vec<Symptom>,
    pub note: Option<String>,
    pub fever: bool,
    pub at: DateTime<Utc>,
    /// The account that checked in (the person, or someone of the household for them).
    #[serde(default)]
    pub by_name: Option<String>,
}

/// A person of the resident's household who checks in today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueMember {
    pub member_id: i64,
    pub name: String,
    pub relation: Relation,
    pub reason: CheckReason,
    pub observation_end: Option<NaiveDate>,
    /// Today's check-in, once done.
    pub today: Option<CheckIn>,
}

/// `GET /api/health/me`: today's check-ins of the resident's household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyHealthToday {
    pub day: NaiveDate,
    pub zone: Zone,
    pub members: Vec<DueMember>,
    /// The community's duty hotline (社区值班电话), when the admin has set one.
    #[serde(default)]
    pub hotline: Option<String>,
}

/// Why a person is on the staff worklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// 今日未报
    Missing,
    /// 发热 (≥ 37.3 °C)
    Fever,
    /// 有症状
    Symptoms,
    /// 观察期将满
    ObservationEnding,
}

impl Flag {
    pub const ALL: [Flag; 4] = [
        Flag::Missing,
        Flag::Fever,
        Flag::Symptoms,
        Flag::ObservationEnding,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Missing => "missing",
            Flag::Fever => "fever",
            Flag::Symptoms => "symptoms",
            Flag::ObservationEnding => "observation_ending",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// `GET /api/health/worklist`: filters and paging.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct WorklistQuery {
    /// Only entries with this flag; without it, every entry with any flag.
    pub flag: Option<Flag>,
    pub grid_id: Option<i64>,
    pub building_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl WorklistQuery {
    pub fn paging(&self) -> PageQuery {
        PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// One person on the worklist today; the phone is masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorklistEntry {
    pub member_id: i64,
    pub household_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub address: Address,
    pub reason: CheckReason,
    pub flags: Vec<Flag>,
    pub temperature: Option<f64>,
    pub symptoms: Vec<Symptom>,
    pub observation_end: Option<NaiveDate>,
    /// A member of staff followed up today.
    pub acknowledged: bool,
}

/// `POST /api/health/members/{id}/follow-ups`: staff acknowledge an entry and say what
/// they did (called, sent a doctor, arranged a test).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpInput {
    pub note: String,
}

impl FollowUpInput {
    pub fn validate(&self) -> Result<String, FieldError> {
        required_line("note", &self.note, NOTE_MAX)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUp {
    pub id: i64,
    pub day: NaiveDate,
    pub note: String,
    pub staff_name: String,
    pub at: DateTime<Utc>,
}

/// An observation period that ended, kept for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndedObservation {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub ended_at: DateTime<Utc>,
}

/// `GET /api/health/members/{id}`: one person's health record (audited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberHealth {
    pub member_id: i64,
    pub household_id: i64,
    pub name: String,
    pub observation_start: Option<NaiveDate>,
    pub observation_end: Option<NaiveDate>,
    /// Newest first, the last 30.
    pub check_ins: Vec<CheckIn>,
    pub follow_ups: Vec<FollowUp>,
    pub ended_observations: Vec<EndedObservation>,
}

/// The longest interval a 包保 contact may be set to: a week.
pub const CARE_INTERVAL_MAX_HOURS: u32 = 168;

/// `PUT /api/health/care/{household_id}`: the 包保责任人 of a vulnerable household, either
/// an account (staff or volunteer) or a name and phone, and how often they must reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareInput {
    #[serde(default)]
    pub contact_user_id: Option<i64>,
    /// Required without `contact_user_id`.
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    pub interval_hours: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCare {
    pub contact_user_id: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<crate::personal::Phone>,
    pub interval_hours: u32,
}

impl CareInput {
    pub fn validate(&self) -> Result<ValidCare, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the 包保 form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<ValidCare, Vec<FieldError>> {
        let mut c = Checks::default();
        if !(1..=CARE_INTERVAL_MAX_HOURS).contains(&self.interval_hours) {
            c.refuse("interval_hours", ErrorCode::InvalidValue);
        }
        let contact_name = c.check(
            optional_line(
                "contact_name",
                self.contact_name.as_deref(),
                crate::residents::NAME_MAX,
            )
            .and_then(|name| match (self.contact_user_id, name) {
                (None, None) => Err(FieldError::new("contact_name", ErrorCode::Required)),
                (_, name) => Ok(name),
            }),
        );
        let contact_phone = c.check(match self.contact_phone.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(p) => crate::text::parse_mobile("contact_phone", p).map(Some),
        });
        c.finish(|| {
            Some(ValidCare {
                contact_user_id: self.contact_user_id,
                contact_name: contact_name?,
                contact_phone: contact_phone?,
                interval_hours: self.interval_hours,
            })
        })
    }
}

/// How a 包保 contact reached the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum ContactMethod {
    /// 电话
    Phone,
    /// 上门
    Visit,
}

impl ContactMethod {
    pub const ALL: [ContactMethod; 2] = [ContactMethod::Phone, ContactMethod::Visit];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactMethod::Phone => "phone",
            ContactMethod::Visit => "visit",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// `POST /api/health/care/{household_id}/contacts`: the household was reached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareContactInput {
    /// By phone or at the door; absent for callers that do not say.
    #[serde(default)]
    pub method: Option<ContactMethod>,
    #[serde(default)]
    pub note: Option<String>,
}

impl CareContactInput {
    pub fn validate(&self) -> Result<Option<String>, FieldError> {
        optional_line("note", self.note.as_deref(), NOTE_MAX)
    }
}

/// A 包保 assignment as staff see it; the contact's phone masked in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareAssignment {
    pub household_id: i64,
    pub address: Address,
    pub head_name: String,
    pub contact_user_id: Option<i64>,
    pub contact_name: String,
    pub contact_phone: Option<String>,
    pub interval_hours: u32,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub due_at: DateTime<Utc>,
    /// How many contacts are missed by now: 0 while on time; each further interval past
    /// the due time adds one, and the worklist sorts by it.
    pub missed: u32,
}

/// `GET /api/health/care`: a vulnerable household (特殊群体) of the caller's grids, its
/// special groups and its 包保 assignment, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareHousehold {
    pub household_id: i64,
    pub address: Address,
    pub head_name: String,
    pub groups: Vec<crate::residents::SpecialGroup>,
    pub care: Option<CareAssignment>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn temperatures_take_one_decimal_within_a_plausible_range() {
        assert_eq!(Temperature::parse("t", 36.5).unwrap().tenths(), 365);
        assert_eq!(Temperature::parse("t", 34.0).unwrap().tenths(), 340);
        assert_eq!(Temperature::parse("t", 43.0).unwrap().tenths(), 430);
        for bad in [33.9, 43.1, 36.55, f64::NAN, f64::INFINITY, 365.0] {
            let err = Temperature::parse("temperature", bad).unwrap_err();
            assert_eq!(err.field, "temperature", "{bad}");
        }
    }

    #[test]
    fn a_fever_starts_at_37_3() {
        assert!(!Temperature::parse("t", 37.2).unwrap().is_fever());
        assert!(Temperature::parse("t", 37.3).unwrap().is_fever());
        assert!(Temperature::parse("t", 39.0).unwrap().is_fever());
    }

    #[test]
    fn observation_or_a_restricted_zone_asks_for_a_check_in() {
        let today = day("2026-11-28");
        let (start, end) = (Some(day("2026-11-20")), Some(day("2026-11-28")));
        assert_eq!(
            check_reason(start, end, Zone::Precaution, today),
            Some(CheckReason::Observation)
        );
        assert_eq!(
            check_reason(start, end, Zone::Precaution, day("2026-11-29")),
            None,
            "the day after the end date, observation is over"
        );
        assert_eq!(
            check_reason(None, None, Zone::Sealed, today),
            Some(CheckReason::Zone)
        );
        assert_eq!(
            check_reason(None, None, Zone::Controlled, today),
            Some(CheckReason::Zone)
        );
        assert_eq!(check_reason(None, None, Zone::Precaution, today), None);
    }

    #[test]
    fn a_detailed_check_in_needs_a_temperature() {
        let mut input = CheckInInput::all_well(1);
        input.all_well = false;
        assert_eq!(input.validate().unwrap_err().field, "temperature");
        input.temperature = Some(38.2);
        input.symptoms = vec![Symptom::Fatigue, Symptom::Cough, Symptom::Cough];
        let valid = input.validate().unwrap();
        assert_eq!(valid.symptoms, vec![Symptom::Cough, Symptom::Fatigue]);
        assert!(valid.flagged());
    }

    #[test]
    fn all_well_cannot_carry_symptoms_or_a_fever() {
        assert!(!CheckInInput::all_well(1).validate().unwrap().flagged());
        let mut input = CheckInInput::all_well(1);
        input.symptoms = vec![Symptom::Cough];
        assert_eq!(input.validate().unwrap_err().field, "symptoms");
        let mut input = CheckInInput::all_well(1);
        input.temperature = Some(37.5);
        assert_eq!(input.validate().unwrap_err().field, "temperature");
    }

    #[test]
    fn symptoms_round_trip_through_their_stored_form() {
        let stored = Symptom::join(&[Symptom::RunnyNose, Symptom::Cough]);
        assert_eq!(stored, "cough,runny_nose");
        assert_eq!(
            Symptom::split(&stored),
            vec![Symptom::Cough, Symptom::RunnyNose]
        );
        assert!(Symptom::split("").is_empty());
    }
}
