//! Moderating submissions: verdicts (verify, reject, rumour with its debunk notice,
//! answer), merging duplicates, batches, and blocking submitters. Each decision is logged,
//! audited and told to everyone whose submission it answered, in one transaction.

use crate::db::{self, Db, Tx, audit};
use crate::domain::submissions as rules;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use shouwang_api::ErrorCode;
use shouwang_api::notifications::Message;
use shouwang_api::submissions::{
    BatchResult, ModerationAction, QueueItem, ValidBatch, ValidRumour, ValidVerify, may_answer,
    qa_text,
};

/// Verifies and publishes `id` (and what was merged into it).
pub async fn verify(
    db: &Db,
    moderator: i64,
    id: i64,
    v: &ValidVerify,
    now: DateTime<Utc>,
) -> AppResult<QueueItem> {
    let mut tx = db.begin().await?;
    decide_verify(&mut tx, moderator, id, v, now).await?;
    tx.commit().await?;
    load(db, id).await
}

/// Rejects `id` (and what was merged into it) with a reason the submitters see.
pub async fn reject(
    db: &Db,
    moderator: i64,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<QueueItem> {
    let mut tx = db.begin().await?;
    decide_reject(&mut tx, moderator, id, reason, now).await?;
    tx.commit().await?;
    load(db, id).await
}

/// Marks `id` as rumour and publishes a debunk (辟谣) notice linked to it; everyone who
/// asked about the claim is told.
pub async fn mark_rumour(
    state: &AppState,
    moderator: i64,
    id: i64,
    rumour: &ValidRumour,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<QueueItem> {
    let notice = rules::debunk_notice(rumour, today);
    let mut tx = state.db.begin().await?;
    open_head(&mut tx, id, ModerationAction::MarkRumour).await?;
    let notice_id = db::notices::insert_published(&mut tx, &notice, moderator, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(moderator), "notice.create")
            .target("notice", notice_id)
            .detail(json!({ "debunks_submission": id })),
        now,
    )
    .await?;
    let answered = db::submissions::pending_group(&mut tx, id).await?;
    db::submissions::mark_rumour(
        &mut tx,
        id,
        moderator,
        notice_id,
        &rumour.source_who,
        &rumour.source_how,
        now,
    )
    .await?;
    record(
        &mut tx,
        moderator,
        id,
        "mark_rumour",
        json!({ "notice_id": notice_id, "answered": answered.len() }),
        now,
    )
    .await?;
    super::receipts::reach_askers(&mut tx, moderator, notice_id, &answered, now).await?;
    let link = format!("/notices/{notice_id}");
    tell_askers(
        &mut tx,
        &answered,
        |id| Message::SubmissionRumour {
            id: Some(id),
            notice_id,
        },
        &link,
        now,
    )
    .await?;
    tx.commit().await?;
    // The debunk is a published notice: the cached board must show it now.
    state.board_cache.invalidate();
    load(&state.db, id).await
}

/// Answers the question `id`: privately, or published as a Q&A on the board.
pub async fn answer(
    state: &AppState,
    moderator: i64,
    id: i64,
    answer: &str,
    publish: bool,
    now: DateTime<Utc>,
) -> AppResult<QueueItem> {
    let mut tx = state.db.begin().await?;
    let current = db::submissions::current(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !may_answer(current.category) {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    open_head(&mut tx, id, ModerationAction::Answer).await?;
    let question = load(&state.db, id).await?.text;
    let qa = publish.then(|| qa_text(&question, answer));
    let answered = db::submissions::pending_group(&mut tx, id).await?;
    db::submissions::answer(&mut tx, id, moderator, answer, qa.as_deref(), now).await?;
    record(
        &mut tx,
        moderator,
        id,
        "answer",
        json!({ "published": publish, "answered": answered.len() }),
        now,
    )
    .await?;
    tell_askers(
        &mut tx,
        &answered,
        |id| Message::SubmissionAnswered {
            id: Some(id),
            published: publish,
        },
        "/submissions/mine",
        now,
    )
    .await?;
    tx.commit().await?;
    if publish {
        // A Q&A is on the board now.
        state.board_cache.invalidate();
    }
    load(&state.db, id).await
}

/// Merges `id` into `into`, the submission about the same claim; one verdict then answers
/// both. Answers `into`.
pub async fn merge(
    db: &Db,
    moderator: i64,
    id: i64,
    into: i64,
    now: DateTime<Utc>,
) -> AppResult<QueueItem> {
    let mut tx = db.begin().await?;
    let current = db::submissions::current(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let target = db::submissions::current(&mut tx, into)
        .await?
        .ok_or_else(|| {
            AppError::with_field(ErrorCode::InvalidValue, "into", "No such submission.")
        })?;
    if let Err(refusal) =
        rules::check_merge(id, current.status, into, target.status, target.group_id)
    {
        return Err(match refusal {
            rules::MergeRefusal::SameSubmission => AppError::with_field(
                ErrorCode::InvalidValue,
                "into",
                "A submission cannot be merged into itself.",
            ),
            _ => AppError::code(ErrorCode::IllegalTransition),
        });
    }
    let moved = db::submissions::merge(&mut tx, id, into).await?;
    record(
        &mut tx,
        moderator,
        id,
        "merge",
        json!({ "into": into, "moved": moved }),
        now,
    )
    .await?;
    tx.commit().await?;
    load(db, into).await
}

/// One verdict for many pending submissions: those no longer open are skipped and
/// listed, the others decided in one transaction.
pub async fn batch(
    db: &Db,
    moderator: i64,
    batch: &ValidBatch,
    now: DateTime<Utc>,
) -> AppResult<BatchResult> {
    let mut tx = db.begin().await?;
    let mut result = BatchResult {
        done: Vec::new(),
        skipped: Vec::new(),
    };
    let ids = match batch {
        ValidBatch::Verify(ids, _) | ValidBatch::Reject(ids, _) => ids.clone(),
    };
    for id in ids {
        let decided = match batch {
            ValidBatch::Verify(_, v) => decide_verify(&mut tx, moderator, id, v, now).await,
            ValidBatch::Reject(_, reason) => {
                decide_reject(&mut tx, moderator, id, reason, now).await
            }
        };
        match decided {
            Ok(()) => result.done.push(id),
            Err(AppError::Refused { .. }) => result.skipped.push(id),
            Err(e) => return Err(e),
        }
    }
    tx.commit().await?;
    Ok(result)
}

/// Blocks account `user_id` from submitting (repeated abuse); staff accounts cannot be.
pub async fn block(
    db: &Db,
    moderator: i64,
    user_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let role = db::submissions::role_of(&mut tx, user_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if role.is_staff() {
        return Err(AppError::code(ErrorCode::Forbidden));
    }
    if db::submissions::block(&mut tx, user_id, reason, moderator, now).await? {
        record_submitter(&mut tx, moderator, user_id, "block", now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Lifts the block of `user_id`.
pub async fn unblock(db: &Db, moderator: i64, user_id: i64, now: DateTime<Utc>) -> AppResult<()> {
    let mut tx = db.begin().await?;
    if !db::submissions::unblock(&mut tx, user_id).await? {
        return Err(AppError::not_found());
    }
    record_submitter(&mut tx, moderator, user_id, "unblock", now).await?;
    tx.commit().await?;
    Ok(())
}

/// The moderation log entry and the audit entry of a block or unblock.
async fn record_submitter(
    tx: &mut Tx,
    moderator: i64,
    user_id: i64,
    action: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let detail = json!({ "user_id": user_id });
    db::submissions::log(tx, None, moderator, action, detail, now).await?;
    audit::record(
        tx,
        audit::Entry::new(Some(moderator), &format!("submitter.{action}")).target("user", user_id),
        now,
    )
    .await?;
    Ok(())
}

/// Checks that `id` heads an open group and may take `action`.
async fn open_head(tx: &mut Tx, id: i64, action: ModerationAction) -> AppResult<()> {
    let current = db::submissions::current(tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if current.status.after(action).is_none() || current.group_id.is_some() {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    Ok(())
}

async fn decide_verify(
    tx: &mut Tx,
    moderator: i64,
    id: i64,
    v: &ValidVerify,
    now: DateTime<Utc>,
) -> AppResult<()> {
    open_head(tx, id, ModerationAction::Verify).await?;
    let answered = db::submissions::pending_group(tx, id).await?;
    db::submissions::verify(tx, id, moderator, v, now).await?;
    record(
        tx,
        moderator,
        id,
        "verify",
        json!({ "edited": v.text.is_some(), "answered": answered.len() }),
        now,
    )
    .await?;
    tell_askers(
        tx,
        &answered,
        |id| Message::SubmissionVerified { id: Some(id) },
        "/submissions/mine",
        now,
    )
    .await?;
    Ok(())
}

async fn decide_reject(
    tx: &mut Tx,
    moderator: i64,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    open_head(tx, id, ModerationAction::Reject).await?;
    let answered = db::submissions::pending_group(tx, id).await?;
    db::submissions::reject(tx, id, moderator, reason, now).await?;
    record(
        tx,
        moderator,
        id,
        "reject",
        json!({ "answered": answered.len() }),
        now,
    )
    .await?;
    tell_askers(
        tx,
        &answered,
        |id| Message::SubmissionRejected {
            id: Some(id),
            reason: reason.to_owned(),
        },
        "/submissions/mine",
        now,
    )
    .await?;
    Ok(())
}

/// Tells everyone whose submission a verdict answered (anonymous ones have nobody to
/// tell): `message` names the id of their own submission.
async fn tell_askers(
    tx: &mut Tx,
    answered: &[(i64, Option<i64>)],
    message: impl Fn(i64) -> Message,
    link: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for (submission, submitter) in answered {
        if let Some(user) = submitter {
            db::notifications::notify(tx, *user, &message(*submission), Some(link), now).await?;
        }
    }
    Ok(())
}

/// The moderation log entry and the audit entry of one decision, in its transaction.
async fn record(
    tx: &mut Tx,
    moderator: i64,
    id: i64,
    action: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> AppResult<()> {
    db::submissions::log(tx, Some(id), moderator, action, detail.clone(), now).await?;
    audit::record(
        tx,
        audit::Entry::new(Some(moderator), &format!("submission.{action}"))
            .target("submission", id)
            .detail(detail),
        now,
    )
    .await?;
    Ok(())
}

async fn load(db: &Db, id: i64) -> AppResult<QueueItem> {
    db::submissions::find(db, id)
        .await?
        .ok_or_else(AppError::not_found)
}
