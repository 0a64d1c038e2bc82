//! In-app notifications for the signed-in account.
//!
//! What a notification says is a [`Message`]: one variant per kind, carrying its typed
//! data. It is stored and sent as `kind` (e.g. `shift.promoted`) and `params` (a JSON
//! object), the shape rows have always had, so older rows still read. The server builds
//! a `Message`, the app matches on it: a renamed field fails to compile, not silently.

use crate::medicine::CustodyItemKind;
use crate::shifts::PostType;
use crate::supplies::{RequestKind, RequestState};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One message. `kind` says which (e.g. `shift.promoted`); `params` fills it in. The app
/// reads both through [`Notification::message`] and shows a generic line for a kind it
/// does not know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub params: serde_json::Value,
    /// Where in the app the message leads, e.g. `/volunteer/shifts/12`.
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl Notification {
    /// What the notification says, or `None` for a kind (or a shape) this build does not
    /// know, such as one added by a newer server.
    pub fn message(&self) -> Option<Message> {
        Message::from_stored(&self.kind, &self.params)
    }
}

/// Every kind of notification, with its data. Serialised adjacently tagged, which is the
/// stored shape: `{"kind": "...", "params": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "params")]
pub enum Message {
    /// A resident asked to merge households; staff of the grid decide.
    #[serde(rename = "residents.merge_request")]
    MergeRequest { id: i64 },
    /// A waitlisted volunteer moved up and has a seat.
    #[serde(rename = "shift.promoted")]
    ShiftPromoted(ShiftNotice),
    /// Staff cancelled a shift the volunteer was on.
    #[serde(rename = "shift.cancelled")]
    ShiftCancelled(ShiftNotice),
    #[serde(rename = "volunteer.approved")]
    VolunteerApproved {
        #[serde(default)]
        cancelled: u32,
    },
    /// Paused; `cancelled` of their future shifts were given up.
    #[serde(rename = "volunteer.paused")]
    VolunteerPaused {
        #[serde(default)]
        cancelled: u32,
    },
    #[serde(rename = "volunteer.removed")]
    VolunteerRemoved {
        #[serde(default)]
        cancelled: u32,
    },
    /// The submitter's report was verified and published. `id` is their submission.
    #[serde(rename = "submission.verified")]
    SubmissionVerified {
        #[serde(default)]
        id: Option<i64>,
    },
    /// Rejected, with the moderator's reason (their own words, shown as written).
    #[serde(rename = "submission.rejected")]
    SubmissionRejected {
        #[serde(default)]
        id: Option<i64>,
        reason: String,
    },
    /// A question was answered, privately or as a published Q&A.
    #[serde(rename = "submission.answered")]
    SubmissionAnswered {
        #[serde(default)]
        id: Option<i64>,
        #[serde(default)]
        published: bool,
    },
    /// The report was found to be a rumour; the debunk notice answers it.
    #[serde(rename = "submission.rumour")]
    SubmissionRumour {
        #[serde(default)]
        id: Option<i64>,
        notice_id: i64,
    },
    /// A notice the reader acknowledged was debunked.
    #[serde(rename = "receipt.debunk")]
    ReceiptDebunk { notice_id: i64 },
    /// The resident's request changed state.
    #[serde(rename = "supply.state")]
    SupplyState { id: i64, state: RequestState },
    /// A request was handed to this volunteer.
    #[serde(rename = "supply.assignment")]
    SupplyAssignment { id: i64, kind: RequestKind },
    /// Too many wrong pickup codes: the check is locked; someone may be guessing.
    #[serde(rename = "supply.pickup_locked")]
    SupplyPickupLocked { id: i64 },
    /// A resident's card or record book is still out past the time limit: to the grid's
    /// staff and the volunteer holding it.
    #[serde(rename = "medicine.custody_overdue")]
    MedicineCustodyOverdue { id: i64, item: CustodyItemKind },
    /// A resident found medicine missing or short on arrival: to the grid's staff.
    #[serde(rename = "medicine.short")]
    MedicineShort { id: i64 },
    /// A check-in of a person of the grid reported a fever or symptoms.
    #[serde(rename = "health.flagged")]
    HealthFlagged { name: String },
    /// A household member's home observation ended.
    #[serde(rename = "health.observation_ended")]
    ObservationEnded { member: i64 },
    /// A testing round was scheduled for the household's unit.
    #[serde(rename = "testing.scheduled")]
    TestingScheduled {
        name: String,
        date: NaiveDate,
        place: String,
        /// `HH:MM`, community time.
        start: String,
        end: String,
    },
    #[serde(rename = "testing.cancelled")]
    TestingCancelled { name: String, date: NaiveDate },
    /// A duty was put on the worker's roster (值班表).
    #[serde(rename = "duty.assigned")]
    DutyAssigned {
        id: i64,
        post: String,
        /// `MM-DD HH:MM`, community time.
        starts: String,
    },
}

/// The shift a shift notification is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftNotice {
    pub shift_id: i64,
    pub post: PostName,
    /// The name staff typed for a custom post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_custom: Option<String>,
    pub place: String,
    /// `MM-DD HH:MM`, community time.
    pub starts: String,
}

/// A post as a notification names it: its type, which the app words in the reader's
/// language, or, in rows stored before the type was, the Chinese name the server wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PostName {
    Post(PostType),
    Stored(String),
}

impl Message {
    /// The stored `kind`, e.g. `shift.promoted`.
    pub fn kind(&self) -> String {
        self.stored().0
    }

    /// The stored pair: `kind` and `params`.
    pub fn stored(&self) -> (String, serde_json::Value) {
        // An adjacently tagged enum of plain data always serialises to an object.
        let mut value = serde_json::to_value(self).unwrap_or_default();
        let kind = value["kind"].as_str().unwrap_or_default().to_owned();
        let params = value
            .get_mut("params")
            .map(serde_json::Value::take)
            .unwrap_or_else(|| serde_json::json!({}));
        (kind, params)
    }

    /// Reads a stored pair; `None` when the kind is unknown or its params do not fit.
    pub fn from_stored(kind: &str, params: &serde_json::Value) -> Option<Message> {
        // Kinds without data were stored with `{}`; serde wants the params of a unit-like
        // variant to be an object too, which they are.
        serde_json::from_value(serde_json::json!({ "kind": kind, "params": params })).ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn every_variant() -> Vec<Message> {
        let shift = ShiftNotice {
            shift_id: 3,
            post: PostName::Post(PostType::Entrance),
            post_custom: None,
            place: "东门".into(),
            starts: "12-07 08:00".into(),
        };
        let date = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        vec![
            Message::MergeRequest { id: 1 },
            Message::ShiftPromoted(shift.clone()),
            Message::ShiftCancelled(ShiftNotice {
                post: PostName::Post(PostType::Custom),
                post_custom: Some("测温点".into()),
                ..shift
            }),
            Message::VolunteerApproved { cancelled: 0 },
            Message::VolunteerPaused { cancelled: 2 },
            Message::VolunteerRemoved { cancelled: 1 },
            Message::SubmissionVerified { id: Some(4) },
            Message::SubmissionRejected {
                id: Some(5),
                reason: "重复".into(),
            },
            Message::SubmissionAnswered {
                id: Some(6),
                published: true,
            },
            Message::SubmissionRumour {
                id: Some(7),
                notice_id: 8,
            },
            Message::ReceiptDebunk { notice_id: 9 },
            Message::SupplyState {
                id: 10,
                state: RequestState::Delivered,
            },
            Message::SupplyAssignment {
                id: 11,
                kind: RequestKind::Medicine,
            },
            Message::SupplyPickupLocked { id: 12 },
            Message::MedicineCustodyOverdue {
                id: 14,
                item: CustodyItemKind::InsuranceCard,
            },
            Message::MedicineShort { id: 15 },
            Message::DutyAssigned {
                id: 16,
                post: "值班室".into(),
                starts: "12-08 08:00".into(),
            },
            Message::HealthFlagged {
                name: "王芳".into(),
            },
            Message::ObservationEnded { member: 13 },
            Message::TestingScheduled {
                name: "第3轮".into(),
                date,
                place: "广场".into(),
                start: "08:00".into(),
                end: "08:30".into(),
            },
            Message::TestingCancelled {
                name: "第3轮".into(),
                date,
            },
        ]
    }

    #[test]
    fn every_variant_round_trips_through_the_stored_shape() {
        let variants = every_variant();
        let mut kinds: Vec<String> = variants.iter().map(Message::kind).collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), 21, "one kind per variant: {kinds:?}");
        for message in variants {
            let (kind, params) = message.stored();
            assert!(params.is_object(), "{kind}: params are an object");
            assert_eq!(Message::from_stored(&kind, &params), Some(message));
        }
    }

    /// Rows written before the enum, exactly as the server stored them.
    #[test]
    fn rows_stored_before_the_enum_still_read() {
        let rows = [
            ("residents.merge_request", json!({ "id": 4 })),
            (
                "shift.promoted",
                json!({ "shift_id": 2, "post": "出入口管理/测温扫码", "place": "东门", "starts": "12-07 08:00" }),
            ),
            ("volunteer.approved", json!({ "cancelled": 0 })),
            ("submission.verified", json!({ "id": 3 })),
            ("submission.rejected", json!({ "reason": "重复", "id": 3 })),
            (
                "submission.answered",
                json!({ "published": false, "id": 3 }),
            ),
            ("submission.rumour", json!({ "notice_id": 9, "id": 3 })),
            ("receipt.debunk", json!({ "notice_id": 9 })),
            ("supply.state", json!({ "id": 1, "state": "delivered" })),
            ("supply.assignment", json!({ "id": 1, "kind": "medicine" })),
            ("supply.pickup_locked", json!({ "id": 1 })),
            ("health.flagged", json!({ "name": "王芳" })),
            ("health.observation_ended", json!({ "member": 5 })),
            (
                "testing.scheduled",
                json!({ "name": "第3轮", "date": "2026-12-08", "place": "广场", "start": "08:00", "end": "08:30" }),
            ),
            (
                "testing.cancelled",
                json!({ "name": "第3轮", "date": "2026-12-08" }),
            ),
        ];
        for (kind, params) in rows {
            let message = Message::from_stored(kind, &params);
            assert!(message.is_some(), "{kind} {params} reads");
        }
        let Some(Message::ShiftPromoted(shift)) = Message::from_stored(
            "shift.promoted",
            &json!({ "shift_id": 2, "post": "出入口管理/测温扫码", "place": "东门", "starts": "12-07 08:00" }),
        ) else {
            panic!("an old shift row reads as a shift");
        };
        assert_eq!(shift.post, PostName::Stored("出入口管理/测温扫码".into()));
    }

    #[test]
    fn unknown_kinds_and_misshapen_params_read_as_nothing() {
        assert_eq!(Message::from_stored("future.kind", &json!({})), None);
        assert_eq!(
            Message::from_stored("health.flagged", &json!({ "nom": "x" })),
            None
        );
    }
}
