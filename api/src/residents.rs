//! Residents (人员摸排): households, their members, the staff ledger (台账) and coverage.

use crate::auth::NewPassword;
use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::page::{ExportFormat, PageQuery};
use crate::personal::{IdNumber, Phone};
use crate::text::{optional_line, parse_mobile, required_line};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 30;
pub const PLACE_MAX: usize = 60;
pub const NOTE_MAX: usize = 200;
pub const MEMBERS_MAX: usize = 20;
/// The earliest birth year a living resident can have.
pub const BIRTH_YEAR_MIN: i32 = 1900;
/// The version of the consent notice a resident agreed to; bump when its text changes.
pub const CONSENT_VERSION: u32 = 1;

macro_rules! string_enum {
    // `$text` is a token tree, not a `literal` fragment: utoipa's derive cannot see a
    // captured literal inside `serde(rename = ..)` and would document the variant names.
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text"))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] #[cfg_attr(feature = "sqlx", sqlx(rename = $text))] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

string_enum! {
    /// The special groups the notices name (特殊群体).
    SpecialGroup {
        /// 独居/空巢老人
        ElderlyAlone => "elderly_alone",
        /// 困境儿童
        ChildInDifficulty => "child_in_difficulty",
        /// 残疾人
        Disabled => "disabled",
        /// 孕产妇
        Pregnant => "pregnant",
        /// 慢性病/特殊疾病患者
        ChronicIllness => "chronic_illness",
        /// 重病重残
        SeriouslyIll => "seriously_ill",
        /// 分散供养特困人员
        Destitute => "destitute",
        /// 一线医务人员家属
        MedicalFamily => "medical_family",
    }
}

impl SpecialGroup {
    /// Health data is sensitive personal information (PIPL art. 28): only with consent.
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            SpecialGroup::Disabled
                | SpecialGroup::Pregnant
                | SpecialGroup::ChronicIllness
                | SpecialGroup::SeriouslyIll
        )
    }
}

string_enum! {
    /// Relation to the person who registers the household.
    Relation {
        /// 本人
        SelfPerson => "self",
        /// 配偶
        Spouse => "spouse",
        /// 子女
        Child => "child",
        /// 父母
        Parent => "parent",
        /// 祖辈/孙辈
        Grand => "grand",
        /// 其他亲属
        Relative => "relative",
        /// 租户/其他
        Other => "other",
    }
}

string_enum! {
    /// Where a returning person came from (返程人员).
    ArrivalFrom {
        /// 外省市
        OtherCity => "other_city",
        /// 中高风险地区
        RiskArea => "risk_area",
        /// 境外
        Abroad => "abroad",
    }
}

string_enum! {
    /// 四类人群.
    RiskCategory {
        /// 协查人员
        Investigated => "investigated",
        /// 中高风险地区来返人员
        RiskAreaReturn => "risk_area_return",
        /// 境外来返人员
        AbroadReturn => "abroad_return",
        /// 密切接触者/次密接
        CloseContact => "close_contact",
    }
}

string_enum! {
    /// How a household came into the ledger.
    Source {
        /// 居民自主登记
        SelfRegistered => "self",
        /// 网格员入户登记
        Staff => "staff",
    }
}

string_enum! {
    /// What a door visit (入户摸排) found.
    VisitOutcome {
        Registered => "registered",
        NobodyHome => "nobody_home",
        Refused => "refused",
        MovedOut => "moved_out",
    }
}

string_enum! {
    /// Home medical observation (居家医学观察), as of today.
    ObservationStatus {
        Active => "active",
        Ended => "ended",
        NotObserved => "none",
    }
}

string_enum! {
    /// The ledger's filter on the last door visit.
    LastVisit {
        Never => "never",
        Within7Days => "within_7_days",
        Over7Days => "over_7_days",
    }
}

string_enum! {
    /// A room on the coverage map.
    RoomStatus {
        /// 未摸排: nobody knocked, nobody registered.
        Unknown => "unknown",
        SelfRegistered => "self",
        StaffRegistered => "staff",
        NobodyHome => "nobody_home",
        Refused => "refused",
        MovedOut => "moved_out",
    }
}

impl RoomStatus {
    /// A door counts as covered once someone registered or a worker knocked.
    pub fn covered(self) -> bool {
        self != RoomStatus::Unknown
    }
}

/// Risk information of one person. Collected for epidemic prevention (PIPL art. 13(4)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskInfo {
    #[serde(default)]
    pub arrival_date: Option<NaiveDate>,
    #[serde(default)]
    pub arrival_from: Option<ArrivalFrom>,
    /// The city or country, as the person says it.
    #[serde(default)]
    pub arrival_place: Option<String>,
    #[serde(default)]
    pub category: Option<RiskCategory>,
    #[serde(default)]
    pub observation_start: Option<NaiveDate>,
    #[serde(default)]
    pub observation_end: Option<NaiveDate>,
}

impl RiskInfo {
    pub fn observation_status(&self, today: NaiveDate) -> ObservationStatus {
        match (self.observation_start, self.observation_end) {
            (Some(start), Some(end)) if start <= today && today <= end => ObservationStatus::Active,
            (Some(_), Some(end)) if end < today => ObservationStatus::Ended,
            _ => ObservationStatus::NotObserved,
        }
    }

    fn validate(&self, today: NaiveDate) -> Result<RiskInfo, FieldError> {
        let arrival_place =
            optional_line("arrival_place", self.arrival_place.as_deref(), PLACE_MAX)?;
        if let Some(date) = self.arrival_date
            && date > today
        {
            return Err(FieldError::new("arrival_date", ErrorCode::InvalidDate));
        }
        if self.arrival_date.is_some() != self.arrival_from.is_some() {
            let field = if self.arrival_date.is_none() {
                "arrival_date"
            } else {
                "arrival_from"
            };
            return Err(FieldError::new(field, ErrorCode::Required));
        }
        match (self.observation_start, self.observation_end) {
            (Some(start), Some(end)) if end < start => {
                return Err(FieldError::new("observation_end", ErrorCode::DateOrder));
            }
            (Some(_), None) => return Err(FieldError::new("observation_end", ErrorCode::Required)),
            (None, Some(_)) => {
                return Err(FieldError::new("observation_start", ErrorCode::Required));
            }
            _ => {}
        }
        Ok(RiskInfo {
            arrival_place,
            ..self.clone()
        })
    }
}

/// One person, as a form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberInput {
    pub name: String,
    /// Mainland mobile; optional for children and people without a phone.
    #[serde(default)]
    pub phone: Option<String>,
    pub relation: Relation,
    pub birth_year: i32,
    /// 18-character national ID; optional, sensitive (needs consent).
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub groups: Vec<SpecialGroup>,
    #[serde(default)]
    pub risk: RiskInfo,
}

/// A member that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMember {
    pub name: String,
    pub phone: Option<Phone>,
    pub relation: Relation,
    pub birth_year: i32,
    pub id_number: Option<IdNumber>,
    pub groups: Vec<SpecialGroup>,
    pub risk: RiskInfo,
}

impl ValidMember {
    pub fn has_sensitive(&self) -> bool {
        self.id_number.is_some() || self.groups.iter().any(|g| g.is_sensitive())
    }
}

impl MemberInput {
    /// Every refused field of this person, not only the first, so the form can show them
    /// all at once. Empty when `validate` accepts.
    pub fn errors(&self, today: NaiveDate, consent: bool) -> Vec<FieldError> {
        use chrono::Datelike;
        let phone = match self.phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => parse_mobile("phone", p).err(),
        };
        let birth_year = (!(BIRTH_YEAR_MIN..=today.year()).contains(&self.birth_year))
            .then(|| FieldError::new("birth_year", ErrorCode::InvalidDate));
        let id_number = match self.id_number.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(id) => parse_id_number("id_number", id).err(),
        };
        let errors: Vec<FieldError> = [
            required_line("name", &self.name, NAME_MAX).err(),
            phone,
            birth_year,
            id_number,
            self.risk.validate(today).err(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if errors.is_empty() {
            // Only consent is left to refuse.
            self.validate(today, consent).err().into_iter().collect()
        } else {
            errors
        }
    }

    /// `consent` is the household's separate consent to sensitive fields (ID, health).
    pub fn validate(&self, today: NaiveDate, consent: bool) -> Result<ValidMember, FieldError> {
        use chrono::Datelike;
        let name = required_line("name", &self.name, NAME_MAX)?;
        let phone = match self.phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(parse_mobile("phone", p)?),
        };
        if !(BIRTH_YEAR_MIN..=today.year()).contains(&self.birth_year) {
            return Err(FieldError::new("birth_year", ErrorCode::InvalidDate));
        }
        let id_number = match self.id_number.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(id) => Some(parse_id_number("id_number", id)?),
        };
        let mut groups: Vec<SpecialGroup> = Vec::new();
        for g in &self.groups {
            if !groups.contains(g) {
                groups.push(*g);
            }
        }
        let risk = self.risk.validate(today)?;
        let member = ValidMember {
            name,
            phone,
            relation: self.relation,
            birth_year: self.birth_year,
            id_number,
            groups,
            risk,
        };
        if member.has_sensitive() && !consent {
            let field = if member.id_number.is_some() {
                "id_number"
            } else {
                "groups"
            };
            return Err(FieldError::new(field, ErrorCode::ConsentRequired));
        }
        Ok(member)
    }
}

/// A national ID (公民身份号码, GB 11643-1999): 17 digits, a valid birth date in
/// positions 7–14, and the ISO 7064 MOD 11-2 check character (`X` for 10).
pub fn parse_id_number(field: &'static str, value: &str) -> Result<IdNumber, FieldError> {
    let id = value.trim().to_ascii_uppercase();
    let invalid = || FieldError::new(field, ErrorCode::InvalidIdNumber);
    let bytes = id.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return Err(invalid());
    }
    let birth = NaiveDate::parse_from_str(&id[6..14], "%Y%m%d").map_err(|_| invalid())?;
    if birth < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(birth) {
        return Err(invalid());
    }
    if id_check_char(&id[..17]) == Some(char::from(bytes[17])) {
        Ok(IdNumber::new_unchecked(id))
    } else {
        Err(invalid())
    }
}

/// The check character for the first 17 digits of a national ID.
pub fn id_check_char(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let digits: Vec<u32> = first17
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 17 {
        return None;
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    Some(CHECK[(sum % 11) as usize])
}

fn validate_members(
    members: &[MemberInput],
    today: NaiveDate,
    consent: bool,
) -> Result<Vec<ValidMember>, FieldError> {
    if members.is_empty() {
        return Err(FieldError::new("members", ErrorCode::Required));
    }
    if members.len() > MEMBERS_MAX {
        return Err(FieldError::with_limit(
            "members",
            ErrorCode::TooLong,
            MEMBERS_MAX,
        ));
    }
    members.iter().map(|m| m.validate(today, consent)).collect()
}

/// `POST /api/residents/register`: a household registers itself and gets an account.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationRequest {
    pub room_id: i64,
    /// The account's phone number: its username from now on.
    pub phone: String,
    pub password: String,
    pub members: Vec<MemberInput>,
    /// Agreement to the notice of purpose and retention (required).
    pub consent_notice: bool,
    /// Separate, explicit consent to sensitive fields (ID numbers, health).
    #[serde(default)]
    pub consent_sensitive: bool,
}

impl std::fmt::Debug for RegistrationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistrationRequest")
            .field("room_id", &self.room_id)
            .field("members", &self.members.len())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct ValidRegistration {
    pub room_id: i64,
    pub phone: Phone,
    pub password: NewPassword,
    pub members: Vec<ValidMember>,
    pub consent_sensitive: bool,
}

impl RegistrationRequest {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidRegistration, FieldError> {
        if self.room_id <= 0 {
            return Err(FieldError::new("room_id", ErrorCode::Required));
        }
        let phone = parse_mobile("phone", &self.phone)?;
        let password = NewPassword::parse("password", &self.password)?;
        let members = validate_members(&self.members, today, self.consent_sensitive)?;
        if !self.consent_notice {
            return Err(FieldError::new(
                "consent_notice",
                ErrorCode::ConsentRequired,
            ));
        }
        Ok(ValidRegistration {
            room_id: self.room_id,
            phone,
            password,
            members,
            consent_sensitive: self.consent_sensitive,
        })
    }
}

/// What registering did: a household of one's own, or a request for staff to merge
/// with the household already registered in that room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationOutcome {
    pub household_id: i64,
    pub merge_pending: bool,
}

/// `POST /api/residents/households`: staff register a household at the door.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DoorRegistration {
    pub room_id: i64,
    pub members: Vec<MemberInput>,
    /// The household agreed, in person, to sensitive fields being recorded.
    #[serde(default)]
    pub consent_sensitive: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ValidDoorRegistration {
    pub room_id: i64,
    pub members: Vec<ValidMember>,
    pub consent_sensitive: bool,
    pub note: Option<String>,
}

impl DoorRegistration {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidDoorRegistration, FieldError> {
        if self.room_id <= 0 {
            return Err(FieldError::new("room_id", ErrorCode::Required));
        }
        let members = validate_members(&self.members, today, self.consent_sensitive)?;
        let note = optional_line("note", self.note.as_deref(), NOTE_MAX)?;
        Ok(ValidDoorRegistration {
            room_id: self.room_id,
            members,
            consent_sensitive: self.consent_sensitive,
            note,
        })
    }
}

/// `POST /api/residents/visits`: a door knocked (入户摸排).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitInput {
    pub room_id: i64,
    pub visited_on: NaiveDate,
    pub outcome: VisitOutcome,
    #[serde(default)]
    pub note: Option<String>,
}

impl VisitInput {
    pub fn validate(&self, today: NaiveDate) -> Result<Option<String>, FieldError> {
        first(self.check(today))
    }

    /// Every refused field, for the door-visit form.
    pub fn errors(&self, today: NaiveDate) -> Vec<FieldError> {
        all(self.check(today))
    }

    fn check(&self, today: NaiveDate) -> Result<Option<String>, Vec<FieldError>> {
        let mut c = Checks::default();
        if self.visited_on > today {
            c.refuse("visited_on", ErrorCode::InvalidDate);
        }
        let note = c.check(optional_line("note", self.note.as_deref(), NOTE_MAX));
        c.finish(|| note)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Visit {
    pub id: i64,
    pub room_id: i64,
    pub household_id: Option<i64>,
    pub visited_on: NaiveDate,
    pub outcome: VisitOutcome,
    pub worker_name: String,
    pub note: Option<String>,
}

/// A member as shown: phone and ID masked unless the reader may see them in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub relation: Relation,
    pub birth_year: i32,
    pub id_number: Option<String>,
    pub groups: Vec<SpecialGroup>,
    pub risk: RiskInfo,
    pub observation: ObservationStatus,
}

/// Where a household lives, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub grid_id: i64,
    pub grid: String,
    pub building_id: i64,
    pub building: String,
    pub unit: String,
    pub room_id: i64,
    pub room: String,
}

/// A household in full (the resident's own, or staff's masked/revealed view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Household {
    pub id: i64,
    pub address: Address,
    pub source: Source,
    /// False while a second registration for an occupied room waits for staff.
    pub active: bool,
    pub consent_sensitive: bool,
    pub members: Vec<Member>,
    pub visits: Vec<Visit>,
    /// True when phones and IDs are shown in full.
    pub revealed: bool,
    pub updated_at: DateTime<Utc>,
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdSummary {
    pub id: i64,
    pub address: Address,
    pub source: Source,
    /// The first member's name and masked phone.
    pub head_name: String,
    pub head_phone: Option<String>,
    pub member_count: u32,
    pub groups: Vec<SpecialGroup>,
    pub risk_categories: Vec<RiskCategory>,
    pub under_observation: bool,
    pub last_visit_on: Option<NaiveDate>,
    pub last_visit_outcome: Option<VisitOutcome>,
}

/// `GET /api/residents/households` and `/export`: the ledger's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct LedgerQuery {
    pub grid_id: Option<i64>,
    pub building_id: Option<i64>,
    pub group: Option<SpecialGroup>,
    pub risk: Option<RiskCategory>,
    pub observation: Option<ObservationStatus>,
    pub source: Option<Source>,
    pub last_visit: Option<LastVisit>,
    /// A member's name (prefix) or a room number.
    pub q: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    /// For `/export` only.
    pub format: Option<ExportFormat>,
}

impl LedgerQuery {
    pub fn paging(&self) -> PageQuery {
        PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
    }

    /// The query string for these filters (without paging), for links and exports.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut push = |k: &str, v: String| parts.push(format!("{k}={v}"));
        if let Some(v) = self.grid_id {
            push("grid_id", v.to_string());
        }
        if let Some(v) = self.building_id {
            push("building_id", v.to_string());
        }
        if let Some(v) = self.group {
            push("group", v.as_str().into());
        }
        if let Some(v) = self.risk {
            push("risk", v.as_str().into());
        }
        if let Some(v) = self.observation {
            push("observation", v.as_str().into());
        }
        if let Some(v) = self.source {
            push("source", v.as_str().into());
        }
        if let Some(v) = self.last_visit {
            push("last_visit", v.as_str().into());
        }
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let encoded: String = q
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        char::from(b).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            push("q", encoded);
        }
        parts.join("&")
    }
}

/// Coverage of one building: doors known vs. covered, and each room's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingCoverage {
    pub building_id: i64,
    pub name: String,
    pub head_name: Option<String>,
    pub known: u32,
    pub registered: u32,
    pub visited: u32,
    pub covered: u32,
    pub rooms: Vec<RoomCoverage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoomCoverage {
    pub room_id: i64,
    pub unit: String,
    pub room: String,
    pub status: RoomStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridCoverage {
    pub grid_id: i64,
    pub name: String,
    pub known: u32,
    pub registered: u32,
    pub visited: u32,
    pub covered: u32,
    pub buildings: Vec<BuildingCoverage>,
}

/// A second registration for an occupied room, waiting for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeRequest {
    pub id: i64,
    pub address: Address,
    pub existing_household_id: i64,
    pub pending_household_id: i64,
    pub member_count: u32,
    pub created_at: DateTime<Utc>,
}

/// Who looked at or exported a resident's household, as the resident sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessEntry {
    pub at: DateTime<Utc>,
    /// The role of the reader, not their name.
    pub role: Option<crate::auth::Role>,
    /// `household.view`, `household.reveal`, `household.export`.
    pub action: String,
}

/// `POST /api/residents/retention`: an admin ends the emergency.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionInput {
    /// Days after today when residents' personal data is anonymised (0–180).
    pub days: u32,
}

pub const RETENTION_MAX_DAYS: u32 = 180;

impl RetentionInput {
    pub fn validate(&self) -> Result<u32, FieldError> {
        if self.days > RETENTION_MAX_DAYS {
            return Err(FieldError::new("days", ErrorCode::InvalidValue));
        }
        Ok(self.days)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionStatus {
    pub emergency_ended_on: Option<NaiveDate>,
    pub purge_on: Option<NaiveDate>,
    pub purged_households: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn member() -> MemberInput {
        MemberInput {
            name: "张桂兰".into(),
            phone: Some("13912345678".into()),
            relation: Relation::SelfPerson,
            birth_year: 1944,
            id_number: None,
            groups: vec![SpecialGroup::ElderlyAlone],
            risk: RiskInfo::default(),
        }
    }

    #[test]
    fn a_member_form_names_every_refused_field_at_once() {
        let mut m = member();
        assert!(m.errors(today(), false).is_empty());
        m.name = String::new();
        m.phone = Some("123".into());
        m.birth_year = 1890;
        let fields: Vec<&str> = m.errors(today(), false).iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "phone", "birth_year"]);
        let mut m = member();
        m.id_number = Some("11010519491231002X".into());
        assert_eq!(m.errors(today(), false)[0].code, ErrorCode::ConsentRequired);
    }

    #[test]
    fn id_numbers_need_the_gb11643_check_character() {
        assert_eq!(
            parse_id_number("id", "11010519491231002x")
                .unwrap()
                .as_str(),
            "11010519491231002X"
        );
        assert_eq!(id_check_char("44052418800101001"), Some('4'));
        // Right check character, but born before 1900: not a living resident's ID.
        assert!(parse_id_number("id", "440524188001010014").is_err());
        for bad in [
            "440524188001010013",
            "44052418800101001",
            "4405241880010100144",
            "44052418801301001X",
            "A40524188001010014",
        ] {
            let e = parse_id_number("id_number", bad).unwrap_err();
            assert_eq!(
                (e.field, e.code),
                ("id_number", ErrorCode::InvalidIdNumber),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_plain_member_needs_no_consent() {
        let m = member().validate(today(), false).unwrap();
        assert_eq!(m.phone.as_ref().map(Phone::as_str), Some("13912345678"));
        assert!(!m.has_sensitive());
    }

    #[test]
    fn sensitive_fields_need_the_separate_consent() {
        let mut m = member();
        m.id_number = Some("11010519491231002X".into());
        let e = m.validate(today(), false).unwrap_err();
        assert_eq!((e.field, e.code), ("id_number", ErrorCode::ConsentRequired));
        assert!(m.validate(today(), true).is_ok());
        let mut m = member();
        m.groups.push(SpecialGroup::ChronicIllness);
        assert_eq!(m.validate(today(), false).unwrap_err().field, "groups");
    }

    #[test]
    fn bad_fields_are_named() {
        let mut m = member();
        m.phone = Some("1234".into());
        assert_eq!(m.validate(today(), true).unwrap_err().field, "phone");
        let mut m = member();
        m.birth_year = 2027;
        assert_eq!(m.validate(today(), true).unwrap_err().field, "birth_year");
        let mut m = member();
        m.risk.observation_start = today().succ_opt();
        m.risk.observation_end = Some(today());
        let e = m.validate(today(), true).unwrap_err();
        assert_eq!((e.field, e.code), ("observation_end", ErrorCode::DateOrder));
        let mut m = member();
        m.risk.arrival_date = Some(today());
        assert_eq!(m.validate(today(), true).unwrap_err().field, "arrival_from");
    }

    #[test]
    fn observation_status_follows_the_dates() {
        let mut r = RiskInfo {
            observation_start: NaiveDate::from_ymd_opt(2026, 11, 20),
            observation_end: NaiveDate::from_ymd_opt(2026, 12, 3),
            ..RiskInfo::default()
        };
        assert_eq!(r.observation_status(today()), ObservationStatus::Active);
        r.observation_end = NaiveDate::from_ymd_opt(2026, 11, 27);
        assert_eq!(r.observation_status(today()), ObservationStatus::Ended);
        assert_eq!(
            RiskInfo::default().observation_status(today()),
            ObservationStatus::NotObserved
        );
    }

    #[test]
    fn registration_needs_the_notice_agreed_and_a_password() {
        let mut r = RegistrationRequest {
            room_id: 1,
            phone: "13912345678".into(),
            password: "secret-pass".into(),
            members: vec![member()],
            consent_notice: true,
            consent_sensitive: false,
        };
        assert!(r.validate(today()).is_ok());
        r.consent_notice = false;
        assert_eq!(r.validate(today()).unwrap_err().field, "consent_notice");
        r.consent_notice = true;
        r.members.clear();
        assert_eq!(r.validate(today()).unwrap_err().field, "members");
    }

    #[test]
    fn enums_round_trip_through_their_names() {
        for g in SpecialGroup::ALL {
            assert_eq!(SpecialGroup::parse(g.as_str()), Some(*g));
            assert_eq!(
                serde_json::to_string(g).unwrap(),
                format!("\"{}\"", g.as_str())
            );
        }
        assert_eq!(
            serde_json::to_string(&Relation::SelfPerson).unwrap(),
            "\"self\""
        );
    }

    #[test]
    fn ledger_filters_become_a_query_string() {
        let q = LedgerQuery {
            grid_id: Some(2),
            group: Some(SpecialGroup::ElderlyAlone),
            q: Some("张".into()),
            ..LedgerQuery::default()
        };
        assert_eq!(
            q.to_query_string(),
            "grid_id=2&group=elderly_alone&q=%E5%BC%A0"
        );
    }
}
