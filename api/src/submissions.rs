//! Updates submitted by residents and volunteers, and their moderation (核实、驳回、辟谣).
//!
//! Nothing submitted is public until a moderator acts. Text is stored as plain text and
//! always rendered as text, never as HTML.

use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::page::PageQuery;
use crate::text::{optional_line, required_line, required_text};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const TEXT_MAX: usize = 1_000;
pub const PLACE_MAX: usize = 60;
pub const SOURCE_MAX: usize = 120;
pub const REASON_MAX: usize = 300;
pub const DEBUNK_TITLE_MAX: usize = crate::notices::TITLE_MAX;
pub const DEBUNK_BODY_MAX: usize = 5_000;
pub const BATCH_MAX: usize = 100;
pub const ANSWER_MAX: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum SubmissionCategory {
    /// 物资投放
    SupplyDrop,
    /// 停水停电
    Outage,
    /// 封闭管控
    Closure,
    /// 咨询
    Question,
    /// 待核实传言
    RumourCheck,
    /// 其他
    #[default]
    Other,
}

impl SubmissionCategory {
    pub const ALL: [SubmissionCategory; 6] = [
        SubmissionCategory::SupplyDrop,
        SubmissionCategory::Outage,
        SubmissionCategory::Closure,
        SubmissionCategory::Question,
        SubmissionCategory::RumourCheck,
        SubmissionCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionCategory::SupplyDrop => "supply_drop",
            SubmissionCategory::Outage => "outage",
            SubmissionCategory::Closure => "closure",
            SubmissionCategory::Question => "question",
            SubmissionCategory::RumourCheck => "rumour_check",
            SubmissionCategory::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Where a submission is in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum SubmissionStatus {
    /// Waiting for a moderator; seen only by its submitter and staff.
    Pending,
    /// Verified and on the public board.
    Published,
    /// Refused, with a reason its submitter sees.
    Rejected,
    /// Found to be a rumour; a debunk (辟谣) notice answers it.
    Rumour,
    /// A question (咨询) answered privately: only its asker reads the answer.
    Answered,
}

/// What a moderator does to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum ModerationAction {
    Verify,
    Reject,
    MarkRumour,
    Merge,
    /// Answer a question, privately or as a published Q&A.
    Answer,
}

impl ModerationAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ModerationAction::Verify => "verify",
            ModerationAction::Reject => "reject",
            ModerationAction::MarkRumour => "mark_rumour",
            ModerationAction::Merge => "merge",
            ModerationAction::Answer => "answer",
        }
    }
}

impl SubmissionStatus {
    pub const ALL: [SubmissionStatus; 5] = [
        SubmissionStatus::Pending,
        SubmissionStatus::Published,
        SubmissionStatus::Rejected,
        SubmissionStatus::Rumour,
        SubmissionStatus::Answered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Pending => "pending",
            SubmissionStatus::Published => "published",
            SubmissionStatus::Rejected => "rejected",
            SubmissionStatus::Rumour => "rumour",
            SubmissionStatus::Answered => "answered",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Every verdict is final and is given only once, to a pending submission; a merge
    /// keeps it pending (its group's verdict will answer it).
    pub fn after(self, action: ModerationAction) -> Option<SubmissionStatus> {
        match (self, action) {
            (SubmissionStatus::Pending, ModerationAction::Verify) => {
                Some(SubmissionStatus::Published)
            }
            (SubmissionStatus::Pending, ModerationAction::Reject) => {
                Some(SubmissionStatus::Rejected)
            }
            (SubmissionStatus::Pending, ModerationAction::MarkRumour) => {
                Some(SubmissionStatus::Rumour)
            }
            (SubmissionStatus::Pending, ModerationAction::Merge) => Some(SubmissionStatus::Pending),
            (SubmissionStatus::Pending, ModerationAction::Answer) => {
                Some(SubmissionStatus::Answered)
            }
            _ => None,
        }
    }
}

/// `POST /api/submissions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionInput {
    #[serde(default)]
    pub category: SubmissionCategory,
    pub text: String,
    /// Free text: 3号楼2单元门口, 东门.
    #[serde(default)]
    pub place: Option<String>,
    /// A building of the community, when the submitter picked one.
    #[serde(default)]
    pub building_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidSubmission {
    pub category: SubmissionCategory,
    pub text: String,
    pub place: Option<String>,
    pub building_id: Option<i64>,
}

impl SubmissionInput {
    pub fn validate(&self) -> Result<ValidSubmission, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the submission form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<ValidSubmission, Vec<FieldError>> {
        let mut c = Checks::default();
        let text = c.check(required_text("text", &self.text, TEXT_MAX));
        let place = c.check(optional_line("place", self.place.as_deref(), PLACE_MAX));
        if self.building_id.is_some_and(|id| id <= 0) {
            c.refuse("building_id", ErrorCode::InvalidValue);
        }
        c.finish(|| {
            Some(ValidSubmission {
                category: self.category,
                text: text?,
                place: place?,
                building_id: self.building_id,
            })
        })
    }
}

/// `POST /api/submissions/{id}/verify`: publish, with where the confirmation came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyInput {
    /// Who confirmed it: 物业公司, 3号楼楼栋长.
    pub source_who: String,
    /// How: 电话核实, 现场查看.
    pub source_how: String,
    /// The text as it will be published, when the moderator edits it; the submitted
    /// original is kept.
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidVerify {
    pub source_who: String,
    pub source_how: String,
    pub text: Option<String>,
}

impl VerifyInput {
    pub fn validate(&self) -> Result<ValidVerify, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the moderation form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<ValidVerify, Vec<FieldError>> {
        let mut c = Checks::default();
        let source_who = c.check(required_line("source_who", &self.source_who, SOURCE_MAX));
        let source_how = c.check(required_line("source_how", &self.source_how, SOURCE_MAX));
        let text = c.check(match self.text.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(t) => required_text("text", t, TEXT_MAX).map(Some),
        });
        c.finish(|| {
            Some(ValidVerify {
                source_who: source_who?,
                source_how: source_how?,
                text: text?,
            })
        })
    }
}

/// `POST /api/submissions/{id}/reject`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectInput {
    /// Shown to the submitter.
    pub reason: String,
}

impl RejectInput {
    pub fn validate(&self) -> Result<String, FieldError> {
        required_line("reason", &self.reason, REASON_MAX)
    }
}

/// `POST /api/submissions/{id}/rumour`: mark as rumour and publish a debunk notice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RumourInput {
    /// The debunk's title: 【辟谣】……
    pub title: String,
    /// The facts, as Markdown (rendered and sanitised like every notice).
    pub body: String,
    /// Who confirmed the facts, e.g. 街道办.
    pub source_who: String,
    pub source_how: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidRumour {
    pub title: String,
    pub body: String,
    pub source_who: String,
    pub source_how: String,
}

impl RumourInput {
    pub fn validate(&self) -> Result<ValidRumour, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the debunk form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<ValidRumour, Vec<FieldError>> {
        let mut c = Checks::default();
        let title = c.check(required_line("title", &self.title, DEBUNK_TITLE_MAX));
        let body = c.check(required_text("body", &self.body, DEBUNK_BODY_MAX));
        let source_who = c.check(required_line("source_who", &self.source_who, SOURCE_MAX));
        let source_how = c.check(required_line("source_how", &self.source_how, SOURCE_MAX));
        c.finish(|| {
            Some(ValidRumour {
                title: title?,
                body: body?,
                source_who: source_who?,
                source_how: source_how?,
            })
        })
    }
}

/// `POST /api/submissions/{id}/answer`: answer a question (咨询). Privately, the asker
/// reads it on 我的提交 and in a notification; published, the question and its answer go
/// on the board as a Q&A.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerInput {
    pub answer: String,
    /// Publish as a Q&A on the board; private when false.
    #[serde(default)]
    pub publish: bool,
}

impl AnswerInput {
    pub fn validate(&self) -> Result<String, FieldError> {
        required_text("answer", &self.answer, ANSWER_MAX)
    }
}

/// Only a question is answered; any other submission gets a verdict.
pub fn may_answer(category: SubmissionCategory) -> bool {
    category == SubmissionCategory::Question
}

/// What a published Q&A reads on the board.
pub fn qa_text(question: &str, answer: &str) -> String {
    format!("问：{question}\n答：{answer}")
}

/// `POST /api/submissions/{id}/merge`: this submission is about the same claim as `into`;
/// the verdict given to `into` will answer both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeInput {
    pub into: i64,
}

/// `POST /api/submissions/batch`: one verdict for many pending submissions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchInput {
    pub ids: Vec<i64>,
    /// `verify` or `reject`.
    pub action: ModerationAction,
    #[serde(default)]
    pub verify: Option<VerifyInput>,
    #[serde(default)]
    pub reject: Option<RejectInput>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValidBatch {
    Verify(Vec<i64>, ValidVerify),
    Reject(Vec<i64>, String),
}

impl BatchInput {
    pub fn validate(&self) -> Result<ValidBatch, FieldError> {
        let mut ids = self.ids.clone();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(FieldError::new("ids", ErrorCode::Required));
        }
        if ids.len() > BATCH_MAX {
            return Err(FieldError::with_limit("ids", ErrorCode::TooLong, BATCH_MAX));
        }
        match self.action {
            ModerationAction::Verify => {
                let verify = self
                    .verify
                    .as_ref()
                    .ok_or(FieldError::new("source_who", ErrorCode::Required))?
                    .validate()?;
                if verify.text.is_some() {
                    // One edited text cannot fit many different submissions.
                    return Err(FieldError::new("text", ErrorCode::InvalidValue));
                }
                Ok(ValidBatch::Verify(ids, verify))
            }
            ModerationAction::Reject => {
                let reason = self
                    .reject
                    .as_ref()
                    .ok_or(FieldError::new("reason", ErrorCode::Required))?
                    .validate()?;
                Ok(ValidBatch::Reject(ids, reason))
            }
            _ => Err(FieldError::new("action", ErrorCode::InvalidValue)),
        }
    }
}

/// `POST /api/submitters/{id}/block`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockInput {
    pub reason: String,
}

impl BlockInput {
    pub fn validate(&self) -> Result<String, FieldError> {
        required_line("reason", &self.reason, REASON_MAX)
    }
}

/// Where a published update came from: "verified by <role> at <time>, source: ...".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provenance {
    pub verified_by_role: crate::auth::Role,
    pub verified_at: DateTime<Utc>,
    pub source_who: String,
    pub source_how: String,
}

/// A submission as its submitter sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MySubmission {
    pub id: i64,
    pub category: SubmissionCategory,
    pub text: String,
    pub place: Option<String>,
    pub status: SubmissionStatus,
    /// Why it was rejected.
    pub reject_reason: Option<String>,
    /// The debunk notice that answers it.
    pub debunk_notice_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Whether a photo is attached (`GET /api/submissions/{id}/photo`).
    #[serde(default)]
    pub has_photo: bool,
    /// The answer to a question.
    #[serde(default)]
    pub answer: Option<String>,
}

/// What a moderator knows of a submitter: their track record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitterHistory {
    /// None for an anonymous submission.
    pub user_id: Option<i64>,
    pub display_name: Option<String>,
    /// Masked when it is a phone number.
    pub username: Option<String>,
    pub total: i64,
    pub published: i64,
    pub rejected: i64,
    /// Submissions of theirs that asserted a claim found to be a rumour. Asking whether a
    /// rumour is true (传言求证) is never counted.
    pub rumour: i64,
    pub blocked: bool,
}

/// A submission in the moderation queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub id: i64,
    pub category: SubmissionCategory,
    /// As submitted.
    pub text: String,
    /// As published, when a moderator edited it.
    pub published_text: Option<String>,
    pub place: Option<String>,
    pub building_id: Option<i64>,
    pub status: SubmissionStatus,
    /// The submission whose verdict answers this one.
    pub group_id: Option<i64>,
    /// How many other submissions were merged into this one.
    pub grouped: i64,
    pub submitter: SubmitterHistory,
    pub reject_reason: Option<String>,
    pub debunk_notice_id: Option<i64>,
    pub provenance: Option<Provenance>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Whether a photo is attached (`GET /api/submissions/{id}/photo`).
    #[serde(default)]
    pub has_photo: bool,
    /// The answer to a question.
    #[serde(default)]
    pub answer: Option<String>,
}

/// `GET /api/submissions`: the moderation queue, oldest first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct QueueQuery {
    /// Default `pending`.
    pub status: Option<SubmissionStatus>,
    pub category: Option<SubmissionCategory>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl QueueQuery {
    pub fn paging(&self) -> PageQuery {
        PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// An update on the public board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardUpdate {
    pub id: i64,
    pub category: SubmissionCategory,
    pub text: String,
    pub place: Option<String>,
    pub provenance: Provenance,
    pub published_at: DateTime<Utc>,
    /// Whether a photo is attached (`GET /api/submissions/{id}/photo`).
    #[serde(default)]
    pub has_photo: bool,
}

/// `GET /api/board/updates`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct UpdateListQuery {
    pub category: Option<SubmissionCategory>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl UpdateListQuery {
    pub fn paging(&self) -> PageQuery {
        PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// One entry of the moderation log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationEntry {
    pub id: i64,
    pub submission_id: Option<i64>,
    pub moderator_id: i64,
    pub moderator_name: String,
    /// verify, reject, mark_rumour, merge, answer, block, unblock, settings.
    pub action: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub detail: Option<serde_json::Value>,
    pub at: DateTime<Utc>,
}

/// `GET/PUT /api/submissions/settings`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionSettings {
    /// Whether visitors who are not signed in may submit (rate limited).
    pub anonymous_allowed: bool,
}

/// `POST /api/submissions/batch`: what happened to each id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchResult {
    /// Decided now.
    pub done: Vec<i64>,
    /// Unknown, or no longer pending.
    pub skipped: Vec<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submissions_are_trimmed_and_bounded() {
        let input = SubmissionInput {
            category: SubmissionCategory::RumourCheck,
            text: "  听说明天全区封控，是真的吗？ ".into(),
            place: Some("  ".into()),
            building_id: None,
        };
        let v = input.validate().unwrap();
        assert_eq!(v.text, "听说明天全区封控，是真的吗？");
        assert_eq!(v.place, None);
        let mut long = input.clone();
        long.text = "谣".repeat(TEXT_MAX + 1);
        assert_eq!(long.validate().unwrap_err().limit, Some(TEXT_MAX));
        let mut bad = input;
        bad.building_id = Some(0);
        assert_eq!(bad.validate().unwrap_err().field, "building_id");
    }

    #[test]
    fn verdicts_are_given_once_to_pending_submissions() {
        use ModerationAction::*;
        use SubmissionStatus::*;
        assert_eq!(Pending.after(Verify), Some(Published));
        assert_eq!(Pending.after(Reject), Some(Rejected));
        assert_eq!(Pending.after(MarkRumour), Some(Rumour));
        assert_eq!(Pending.after(Merge), Some(Pending));
        assert_eq!(Pending.after(Answer), Some(Answered));
        for done in [Published, Rejected, Rumour, Answered] {
            for action in [Verify, Reject, MarkRumour, Merge, Answer] {
                assert_eq!(done.after(action), None);
            }
        }
    }

    #[test]
    fn verifying_needs_a_source() {
        let err = VerifyInput::default().validate().unwrap_err();
        assert_eq!((err.field, err.code), ("source_who", ErrorCode::Required));
    }

    #[test]
    fn batches_are_deduplicated_bounded_and_cannot_share_an_edit() {
        let verify = VerifyInput {
            source_who: "物业".into(),
            source_how: "电话".into(),
            text: None,
        };
        let batch = BatchInput {
            ids: vec![3, 1, 3],
            action: ModerationAction::Verify,
            verify: Some(verify.clone()),
            reject: None,
        };
        assert!(
            matches!(batch.validate().unwrap(), ValidBatch::Verify(ids, _) if ids == vec![1, 3])
        );
        let mut edited = batch.clone();
        edited.verify = Some(VerifyInput {
            text: Some("x".into()),
            ..verify
        });
        assert_eq!(edited.validate().unwrap_err().field, "text");
        let mut many = batch.clone();
        many.ids = (1..=(BATCH_MAX as i64 + 1)).collect();
        assert_eq!(many.validate().unwrap_err().field, "ids");
        let mut merge = batch;
        merge.action = ModerationAction::Merge;
        assert_eq!(merge.validate().unwrap_err().field, "action");
    }
}
