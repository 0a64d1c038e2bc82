//! Supply and help requests (生活物资需求、配送到户、关爱): what residents ask for, the
//! states a request moves through, and what each party sees of it.

use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::personal::Phone;
use crate::text::{optional_line, parse_mobile, required_text};
use crate::zones::Zone;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const ITEMS_MAX: usize = 500;
pub const NOTE_MAX: usize = 300;
/// Pickup codes are this many digits.
pub const PICKUP_CODE_LEN: usize = 6;
/// Sealed-building runs take at most this many requests.
pub const RUN_MAX: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum RequestKind {
    /// 生活物资 (groceries), delivered to the door.
    #[default]
    Grocery,
    /// 药品 (medicine), delivered to the door.
    Medicine,
    /// 慢性病常规处方药 (a regular prescription for a chronic illness).
    Prescription,
    /// 老人照护 (elderly care).
    ElderlyCare,
    /// 心理疏导 (psychological support).
    Psychological,
    /// 其他帮助.
    OtherHelp,
}

impl RequestKind {
    pub const ALL: [RequestKind; 6] = [
        RequestKind::Grocery,
        RequestKind::Medicine,
        RequestKind::Prescription,
        RequestKind::ElderlyCare,
        RequestKind::Psychological,
        RequestKind::OtherHelp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Grocery => "grocery",
            RequestKind::Medicine => "medicine",
            RequestKind::Prescription => "prescription",
            RequestKind::ElderlyCare => "elderly_care",
            RequestKind::Psychological => "psychological",
            RequestKind::OtherHelp => "other_help",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Goods carried to a door (the volunteer must be on a delivery shift or available).
    pub fn is_delivery(self) -> bool {
        matches!(
            self,
            RequestKind::Grocery | RequestKind::Medicine | RequestKind::Prescription
        )
    }

    /// Which kinds a building's zone opens. Medicine and help are always open: illness and
    /// loneliness do not wait for a zone. Groceries come to the door only where people may
    /// not go out to buy them (controlled and sealed buildings); in a precaution building
    /// the shops are open.
    pub fn open_in(self, zone: Zone) -> bool {
        match self {
            RequestKind::Grocery => zone != Zone::Precaution,
            _ => true,
        }
    }

    pub fn open_kinds(zone: Zone) -> Vec<RequestKind> {
        Self::ALL.into_iter().filter(|k| k.open_in(zone)).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum Urgency {
    #[default]
    Normal,
    /// 今天内
    Urgent,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Normal => "normal",
            Urgency::Urgent => "urgent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Urgency::Normal, Urgency::Urgent]
            .into_iter()
            .find(|u| u.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum RequestState {
    Submitted,
    Accepted,
    Assigned,
    OutForDelivery,
    Delivered,
    Confirmed,
    Cancelled,
    Refused,
}

/// What someone can do to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestAction {
    /// Staff take the request on (受理).
    Accept,
    /// Staff hand it to a volunteer (`volunteer_id`).
    Assign,
    /// The volunteer (or staff, at a sealed building's gate) sets out with it.
    Dispatch,
    /// Handed over at the door; needs the resident's pickup code.
    Deliver,
    /// The resident confirms receipt.
    Confirm,
    /// Withdrawn by the resident or staff before it is on its way (`note` = reason).
    Cancel,
    /// Staff cannot fulfil it (`note` = reason).
    Refuse,
}

impl RequestState {
    pub const ALL: [RequestState; 8] = [
        RequestState::Submitted,
        RequestState::Accepted,
        RequestState::Assigned,
        RequestState::OutForDelivery,
        RequestState::Delivered,
        RequestState::Confirmed,
        RequestState::Cancelled,
        RequestState::Refused,
    ];

    /// States in which somebody still has to act.
    pub const OPEN: [RequestState; 5] = [
        RequestState::Submitted,
        RequestState::Accepted,
        RequestState::Assigned,
        RequestState::OutForDelivery,
        RequestState::Delivered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Submitted => "submitted",
            RequestState::Accepted => "accepted",
            RequestState::Assigned => "assigned",
            RequestState::OutForDelivery => "out_for_delivery",
            RequestState::Delivered => "delivered",
            RequestState::Confirmed => "confirmed",
            RequestState::Cancelled => "cancelled",
            RequestState::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// The state after `action`, or `None` when the action is not possible now.
    pub fn after(self, action: RequestAction) -> Option<RequestState> {
        use RequestAction as A;
        use RequestState as S;
        match (self, action) {
            (S::Submitted, A::Accept) => Some(S::Accepted),
            // Re-assigning (a volunteer fell ill) keeps the request assigned.
            (S::Accepted | S::Assigned, A::Assign) => Some(S::Assigned),
            (S::Assigned, A::Dispatch) => Some(S::OutForDelivery),
            (S::OutForDelivery, A::Deliver) => Some(S::Delivered),
            (S::Delivered, A::Confirm) => Some(S::Confirmed),
            (S::Submitted | S::Accepted | S::Assigned, A::Cancel) => Some(S::Cancelled),
            (S::Submitted | S::Accepted, A::Refuse) => Some(S::Refused),
            _ => None,
        }
    }
}

/// `POST /api/supplies/requests`: a resident asks for something.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestInput {
    pub kind: RequestKind,
    #[serde(default)]
    pub urgency: Urgency,
    /// What is needed: the shopping list, the medicine and dose, the help.
    pub items: String,
    #[serde(default)]
    pub notes: Option<String>,
    /// Whom the volunteer calls at the door; the account's phone when absent.
    #[serde(default)]
    pub contact_phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    pub kind: RequestKind,
    pub urgency: Urgency,
    pub items: String,
    pub notes: Option<String>,
    pub contact_phone: Option<Phone>,
}

impl RequestInput {
    pub fn validate(&self) -> Result<ValidRequest, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the request form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<ValidRequest, Vec<FieldError>> {
        let mut c = Checks::default();
        let items = c.check(required_text("items", &self.items, ITEMS_MAX));
        let notes = c.check(optional_line("notes", self.notes.as_deref(), NOTE_MAX));
        let contact_phone = c.check(match self.contact_phone.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(phone) => parse_mobile("contact_phone", phone).map(Some),
        });
        c.finish(|| {
            Some(ValidRequest {
                kind: self.kind,
                urgency: self.urgency,
                items: items?,
                notes: notes?,
                contact_phone: contact_phone?,
            })
        })
    }
}

/// `POST /api/supplies/requests/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionInput {
    pub action: RequestAction,
    /// Required for `assign`.
    #[serde(default)]
    pub volunteer_id: Option<i64>,
    /// Required for `deliver`: the code the resident shows at the door.
    #[serde(default)]
    pub pickup_code: Option<String>,
    /// The reason, required for `cancel` and `refuse`; a remark otherwise.
    #[serde(default)]
    pub note: Option<String>,
}

/// An action that passed validation, carrying what its kind needs: an assignment always
/// names a volunteer and a delivery always has a well-formed pickup code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidAction {
    Accept {
        note: Option<String>,
    },
    Assign {
        volunteer_id: i64,
        note: Option<String>,
    },
    Dispatch {
        note: Option<String>,
    },
    Deliver {
        pickup_code: String,
        note: Option<String>,
    },
    Confirm {
        note: Option<String>,
    },
    /// The reason is optional here: a resident withdrawing their own request gives none
    /// (the history says who cancelled); staff must give one, which the server checks.
    Cancel {
        reason: Option<String>,
    },
    Refuse {
        reason: String,
    },
}

impl ValidAction {
    pub fn action(&self) -> RequestAction {
        match self {
            ValidAction::Accept { .. } => RequestAction::Accept,
            ValidAction::Assign { .. } => RequestAction::Assign,
            ValidAction::Dispatch { .. } => RequestAction::Dispatch,
            ValidAction::Deliver { .. } => RequestAction::Deliver,
            ValidAction::Confirm { .. } => RequestAction::Confirm,
            ValidAction::Cancel { .. } => RequestAction::Cancel,
            ValidAction::Refuse { .. } => RequestAction::Refuse,
        }
    }

    /// The person's own words stored with the change: a remark or a reason.
    pub fn note(&self) -> Option<&str> {
        match self {
            ValidAction::Accept { note }
            | ValidAction::Assign { note, .. }
            | ValidAction::Dispatch { note }
            | ValidAction::Deliver { note, .. }
            | ValidAction::Confirm { note }
            | ValidAction::Cancel { reason: note } => note.as_deref(),
            ValidAction::Refuse { reason } => Some(reason),
        }
    }
}

impl ActionInput {
    pub fn new(action: RequestAction) -> Self {
        ActionInput {
            action,
            volunteer_id: None,
            pickup_code: None,
            note: None,
        }
    }

    pub fn validate(&self) -> Result<ValidAction, FieldError> {
        let note = optional_line("note", self.note.as_deref(), NOTE_MAX)?;
        Ok(match self.action {
            RequestAction::Accept => ValidAction::Accept { note },
            RequestAction::Assign => ValidAction::Assign {
                volunteer_id: self
                    .volunteer_id
                    .filter(|id| *id > 0)
                    .ok_or(FieldError::new("volunteer_id", ErrorCode::Required))?,
                note,
            },
            RequestAction::Dispatch => ValidAction::Dispatch { note },
            RequestAction::Deliver => ValidAction::Deliver {
                pickup_code: match self.pickup_code.as_deref().map(str::trim) {
                    None | Some("") => {
                        return Err(FieldError::new("pickup_code", ErrorCode::Required));
                    }
                    Some(code)
                        if code.len() == PICKUP_CODE_LEN
                            && code.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        code.to_owned()
                    }
                    Some(_) => return Err(FieldError::new("pickup_code", ErrorCode::InvalidValue)),
                },
                note,
            },
            RequestAction::Confirm => ValidAction::Confirm { note },
            RequestAction::Cancel => ValidAction::Cancel { reason: note },
            RequestAction::Refuse => ValidAction::Refuse {
                reason: note.ok_or(FieldError::new("note", ErrorCode::Required))?,
            },
        })
    }
}

/// One recorded change of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestEvent {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub from_state: Option<RequestState>,
    pub to_state: RequestState,
    /// A person's own words (a refusal's reason, a staff remark), shown as written.
    pub note: Option<String>,
    /// What the system recorded about the change, as a code the app words in the
    /// reader's language; never stored as a sentence.
    #[serde(default)]
    pub detail: Option<EventDetail>,
}

/// The system's part of a request's history, as codes and parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum EventDetail {
    /// Assigned to this volunteer (指派给 …).
    AssignedTo { volunteer: String },
    /// Put on a sealed building's run (编入第 N 批楼栋配送).
    AddedToRun { run_id: i64 },
    /// Withdrawn by the resident who asked (居民取消), who gives no reason.
    CancelledByResident,
    /// Handed over at the building's gate (已在楼门口交接).
    HandedOverAtGate,
}

/// A request as the resident who made it sees it (with the pickup code) and as staff see
/// it (without the code; the contact phone masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplyRequest {
    pub id: i64,
    pub kind: RequestKind,
    pub urgency: Urgency,
    pub state: RequestState,
    pub priority: bool,
    pub items: String,
    pub notes: Option<String>,
    /// 1号楼 2单元 301.
    pub address: String,
    pub building_id: i64,
    pub contact_phone: Option<String>,
    /// Shown to the resident only, who gives it to the volunteer at the door.
    pub pickup_code: Option<String>,
    pub volunteer_name: Option<String>,
    pub run_id: Option<i64>,
    /// A medicine run (代配药): its lines and custody are at `/api/medicine/requests/{id}`.
    #[serde(default)]
    pub medicine_run: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Open, and nobody acted on it within the time limit.
    pub stale: bool,
    /// The history; filled on the detail view.
    #[serde(default)]
    pub events: Vec<RequestEvent>,
}

/// A delivery as the assigned volunteer sees it: where, what, and whom to call — no ID
/// numbers, no health data, the phone only when revealed for this delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: i64,
    pub kind: RequestKind,
    pub urgency: Urgency,
    pub state: RequestState,
    pub items: String,
    pub notes: Option<String>,
    pub address: String,
    /// Masked until revealed (`POST .../contact`).
    pub contact_phone: Option<String>,
    pub run_id: Option<i64>,
    /// A medicine run (代配药): its lines and custody are at `/api/medicine/requests/{id}`.
    #[serde(default)]
    pub medicine_run: bool,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/supplies/requests/{id}/contact`: the phone for this delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactReveal {
    pub contact_phone: Option<String>,
}

/// `GET /api/supplies/requests`: the staff dashboard's filters. Without `state`, every
/// open request; oldest and priority first.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct RequestListQuery {
    pub state: Option<RequestState>,
    pub kind: Option<RequestKind>,
    pub building_id: Option<i64>,
    /// Only priority requests.
    pub priority: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A volunteer staff may assign, with whether they fit a delivery now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignableVolunteer {
    pub id: i64,
    pub name: String,
    /// On a delivery shift now or today, or usually available today.
    pub can_deliver: bool,
}

/// `POST /api/supplies/runs`: group accepted requests of one sealed building into one run,
/// handed over at the gate to `volunteer_id` (in the building) or to the 楼栋长.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunInput {
    pub building_id: i64,
    pub request_ids: Vec<i64>,
    /// The in-building volunteer; absent: the 楼栋长 takes the run at the gate.
    #[serde(default)]
    pub volunteer_id: Option<i64>,
}

impl RunInput {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.request_ids.is_empty() {
            return Err(FieldError::new("request_ids", ErrorCode::Required));
        }
        if self.request_ids.len() > RUN_MAX {
            return Err(FieldError::with_limit(
                "request_ids",
                ErrorCode::TooLong,
                RUN_MAX,
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplyRun {
    pub id: i64,
    pub building_id: i64,
    pub building_name: String,
    /// The volunteer's name, or the 楼栋长's.
    pub handover_to: Option<String>,
    pub volunteer_id: Option<i64>,
    pub request_ids: Vec<i64>,
    pub created_at: DateTime<Utc>,
    pub handed_over_at: Option<DateTime<Utc>>,
}

/// `GET /api/supplies/runs`: the runs of the caller's grids, newest first.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct RunListQuery {
    pub building_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One order of a run and where it stands on its way to the door.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunStop {
    pub request_id: i64,
    pub run_id: i64,
    pub kind: RequestKind,
    pub state: RequestState,
    /// 1号楼 2单元 301.
    pub address: String,
}

/// A run of the runs list with its orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunWithStops {
    pub run: SupplyRun,
    pub stops: Vec<RunStop>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestAction as A;
    use RequestState as S;

    #[test]
    fn the_happy_path_runs_from_submitted_to_confirmed() {
        let mut state = S::Submitted;
        for action in [A::Accept, A::Assign, A::Dispatch, A::Deliver, A::Confirm] {
            state = state.after(action).expect("allowed");
        }
        assert_eq!(state, S::Confirmed);
        assert!(!state.is_open());
    }

    #[test]
    fn every_illegal_transition_is_refused() {
        let legal = [
            (S::Submitted, A::Accept),
            (S::Accepted, A::Assign),
            (S::Assigned, A::Assign),
            (S::Assigned, A::Dispatch),
            (S::OutForDelivery, A::Deliver),
            (S::Delivered, A::Confirm),
            (S::Submitted, A::Cancel),
            (S::Accepted, A::Cancel),
            (S::Assigned, A::Cancel),
            (S::Submitted, A::Refuse),
            (S::Accepted, A::Refuse),
        ];
        let actions = [
            A::Accept,
            A::Assign,
            A::Dispatch,
            A::Deliver,
            A::Confirm,
            A::Cancel,
            A::Refuse,
        ];
        for state in S::ALL {
            for action in actions {
                assert_eq!(
                    state.after(action).is_some(),
                    legal.contains(&(state, action)),
                    "{state:?} + {action:?}"
                );
            }
        }
    }

    #[test]
    fn groceries_come_to_the_door_only_in_restricted_zones() {
        assert!(!RequestKind::Grocery.open_in(Zone::Precaution));
        assert!(RequestKind::Grocery.open_in(Zone::Controlled));
        assert!(RequestKind::Grocery.open_in(Zone::Sealed));
        for zone in Zone::ALL {
            assert!(RequestKind::Medicine.open_in(zone));
            assert!(RequestKind::Psychological.open_in(zone));
        }
        assert_eq!(RequestKind::open_kinds(Zone::Precaution).len(), 5);
    }

    #[test]
    fn actions_name_the_missing_field() {
        let mut input = ActionInput::new(A::Refuse);
        assert_eq!(input.validate().unwrap_err().field, "note");
        input.note = Some("缺货".into());
        assert!(input.validate().is_ok());
        assert_eq!(
            ActionInput::new(A::Assign).validate().unwrap_err().field,
            "volunteer_id"
        );
        let mut deliver = ActionInput::new(A::Deliver);
        assert_eq!(deliver.validate().unwrap_err().field, "pickup_code");
        deliver.pickup_code = Some("12a456".into());
        assert_eq!(
            deliver.validate().unwrap_err().code,
            ErrorCode::InvalidValue
        );
        deliver.pickup_code = Some(" 123456 ".into());
        assert_eq!(
            deliver.validate().unwrap(),
            ValidAction::Deliver {
                pickup_code: "123456".into(),
                note: None
            }
        );
    }

    #[test]
    fn an_assignment_always_names_a_real_volunteer() {
        let mut assign = ActionInput::new(A::Assign);
        for missing in [None, Some(0), Some(-3)] {
            assign.volunteer_id = missing;
            assert_eq!(assign.validate().unwrap_err().field, "volunteer_id");
        }
        assign.volunteer_id = Some(7);
        let valid = assign.validate().unwrap();
        assert_eq!(
            valid,
            ValidAction::Assign {
                volunteer_id: 7,
                note: None
            }
        );
        assert_eq!(valid.action(), A::Assign);
    }

    #[test]
    fn a_resident_cancels_without_a_reason_and_a_refusal_needs_one() {
        assert_eq!(
            ActionInput::new(A::Cancel).validate().unwrap(),
            ValidAction::Cancel { reason: None }
        );
        let mut refuse = ActionInput::new(A::Refuse);
        refuse.note = Some(" 缺货 ".into());
        assert_eq!(refuse.validate().unwrap().note(), Some("缺货"));
    }

    #[test]
    fn requests_need_items_and_a_valid_phone() {
        let mut input = RequestInput {
            kind: RequestKind::Medicine,
            items: " ".into(),
            ..RequestInput::default()
        };
        assert_eq!(input.validate().unwrap_err().field, "items");
        input.items = "硝苯地平缓释片 一盒".into();
        input.contact_phone = Some("123".into());
        assert_eq!(input.validate().unwrap_err().field, "contact_phone");
        input.contact_phone = Some("13912345678".into());
        assert!(input.validate().is_ok());
    }
}
