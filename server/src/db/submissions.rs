//! Submitted updates, their moderation log, blocked submitters.

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::auth::Role;
use shouwang_api::privacy::mask_phone;
use shouwang_api::submissions::{
    BoardUpdate, ModerationEntry, MySubmission, Provenance, QueueItem, SubmissionCategory,
    SubmissionStatus, SubmitterHistory, ValidSubmission, ValidVerify,
};
use shouwang_api::text::is_mainland_mobile;
use sqlx::FromRow;

/// The status as the API reads it: an answered question is stored as 'pending' with
/// `answered_at` set (see migration 0017).
const STATUS: &str = "CASE WHEN s.status = 'pending' AND s.answered_at IS NOT NULL THEN 'answered' ELSE s.status END";

fn offset(offset: u64) -> i64 {
    i64::try_from(offset).unwrap_or(i64::MAX)
}

pub async fn insert(
    tx: &mut Tx,
    s: &ValidSubmission,
    submitter_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>(
        "INSERT INTO submissions (submitter_id, category, text, place, building_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(submitter_id)
    .bind(s.category)
    .bind(&s.text)
    .bind(&s.place)
    .bind(s.building_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

pub async fn building_exists(tx: &mut Tx, id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sql::query_scalar("SELECT COUNT(*) FROM buildings WHERE id = ? AND retired_at IS NULL")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(n > 0)
}

pub async fn is_blocked(tx: &mut Tx, user_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sql::query_scalar("SELECT COUNT(*) FROM submission_blocks WHERE user_id = ?")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

#[derive(FromRow)]
struct MineRow {
    id: i64,
    category: SubmissionCategory,
    text: String,
    place: Option<String>,
    status: SubmissionStatus,
    reject_reason: Option<String>,
    debunk_notice_id: Option<i64>,
    created_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
    has_photo: bool,
    answer: Option<String>,
}

pub async fn list_mine(
    db: &Db,
    user_id: i64,
    limit: u32,
    skip: u64,
) -> Result<(Vec<MySubmission>, u64), sqlx::Error> {
    // has_photo probes submission_photos by its primary key: one lookup per row of the page.
    let rows = sql::query_as::<MineRow>(
        &format!(
        "SELECT s.id, s.category, s.text, s.place, {STATUS} AS status, s.reject_reason, s.debunk_notice_id,
             s.created_at, s.decided_at, s.answer,
             EXISTS (SELECT 1 FROM submission_photos p WHERE p.submission_id = s.id) AS has_photo
         FROM submissions s WHERE s.submitter_id = ? ORDER BY s.id DESC LIMIT ? OFFSET ?"
    ))
    .bind(user_id)
    .bind(i64::from(limit))
    .bind(offset(skip))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar("SELECT COUNT(*) FROM submissions WHERE submitter_id = ?")
        .bind(user_id)
        .fetch_one(db.reader())
        .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(MySubmission {
                id: r.id,
                category: r.category,
                text: r.text,
                place: r.place,
                status: r.status,
                reject_reason: r.reject_reason,
                debunk_notice_id: r.debunk_notice_id,
                created_at: r.created_at,
                decided_at: r.decided_at,
                has_photo: r.has_photo,
                answer: r.answer,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

#[derive(FromRow)]
struct QueueRow {
    id: i64,
    category: SubmissionCategory,
    text: String,
    published_text: Option<String>,
    place: Option<String>,
    building_id: Option<i64>,
    status: SubmissionStatus,
    group_id: Option<i64>,
    grouped: i64,
    submitter_id: Option<i64>,
    display_name: Option<String>,
    username: Option<String>,
    total: i64,
    published: i64,
    rejected: i64,
    rumour: i64,
    blocked: bool,
    reject_reason: Option<String>,
    debunk_notice_id: Option<i64>,
    source_who: Option<String>,
    source_how: Option<String>,
    moderator_role: Option<Role>,
    created_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
    has_photo: bool,
    answer: Option<String>,
}

/// The submitter's track record comes from correlated counts on the
/// (submitter_id, status) index: one query for the page, not one per row. A question
/// about a rumour (传言求证) that was answered by a debunk is not a rumour the asker
/// spread, so it does not count.
const QUEUE_SELECT: &str = "SELECT s.id, s.category, s.text, s.published_text, s.place, s.building_id,
        CASE WHEN s.status = 'pending' AND s.answered_at IS NOT NULL THEN 'answered' ELSE s.status END AS status,
        s.group_id, (SELECT COUNT(*) FROM submissions g WHERE g.group_id = s.id) AS grouped,
        s.submitter_id, u.display_name, u.username,
        (SELECT COUNT(*) FROM submissions h WHERE h.submitter_id = s.submitter_id) AS total,
        (SELECT COUNT(*) FROM submissions h WHERE h.submitter_id = s.submitter_id AND h.status = 'published') AS published,
        (SELECT COUNT(*) FROM submissions h WHERE h.submitter_id = s.submitter_id AND h.status = 'rejected') AS rejected,
        (SELECT COUNT(*) FROM submissions h WHERE h.submitter_id = s.submitter_id AND h.status = 'rumour' AND h.category <> 'rumour_check') AS rumour,
        EXISTS (SELECT 1 FROM submission_blocks b WHERE b.user_id = s.submitter_id) AS blocked,
        s.reject_reason, s.debunk_notice_id, s.source_who, s.source_how, m.role AS moderator_role,
        s.created_at, s.decided_at, s.answer,
        EXISTS (SELECT 1 FROM submission_photos p WHERE p.submission_id = s.id) AS has_photo
     FROM submissions s
     LEFT JOIN users u ON u.id = s.submitter_id
     LEFT JOIN users m ON m.id = s.moderator_id";

impl TryFrom<QueueRow> for QueueItem {
    type Error = sqlx::Error;

    fn try_from(r: QueueRow) -> Result<Self, Self::Error> {
        let provenance = provenance(r.moderator_role, r.decided_at, r.source_who, r.source_how)?;
        Ok(QueueItem {
            id: r.id,
            category: r.category,
            text: r.text,
            published_text: r.published_text,
            place: r.place,
            building_id: r.building_id,
            status: r.status,
            group_id: r.group_id,
            grouped: r.grouped,
            submitter: SubmitterHistory {
                user_id: r.submitter_id,
                display_name: r.display_name,
                username: r.username.map(|u| {
                    if is_mainland_mobile(&u) {
                        mask_phone(&u)
                    } else {
                        u
                    }
                }),
                total: r.total,
                published: r.published,
                rejected: r.rejected,
                rumour: r.rumour,
                blocked: r.blocked,
            },
            reject_reason: r.reject_reason,
            debunk_notice_id: r.debunk_notice_id,
            provenance,
            created_at: r.created_at,
            decided_at: r.decided_at,
            has_photo: r.has_photo,
            answer: r.answer,
        })
    }
}

fn provenance(
    role: Option<Role>,
    at: Option<DateTime<Utc>>,
    who: Option<String>,
    how: Option<String>,
) -> Result<Option<Provenance>, sqlx::Error> {
    match (role, at, who, how) {
        (Some(role), Some(at), Some(who), Some(how)) => Ok(Some(Provenance {
            verified_by_role: role,
            verified_at: at,
            source_who: who,
            source_how: how,
        })),
        _ => Ok(None),
    }
}

/// One page of the moderation queue: submissions that head their group, oldest first.
pub async fn queue(
    db: &Db,
    status: SubmissionStatus,
    category: Option<SubmissionCategory>,
    limit: u32,
    skip: u64,
) -> Result<(Vec<QueueItem>, u64), sqlx::Error> {
    let category_condition = super::optional_filter(category.is_some(), "s.category", 2);
    // Answered questions are stored as pending (see STATUS); both keep to the index.
    let answered = match status {
        SubmissionStatus::Answered => " AND s.answered_at IS NOT NULL",
        SubmissionStatus::Pending => " AND s.answered_at IS NULL",
        _ => "",
    };
    let stored = match status {
        SubmissionStatus::Answered => SubmissionStatus::Pending,
        other => other,
    };
    let condition = format!("s.status = ?1{answered} AND s.group_id IS NULL{category_condition}");
    let rows = sql::query_as::<QueueRow>(&format!(
        "{QUEUE_SELECT} WHERE {condition} ORDER BY s.created_at, s.id LIMIT ?3 OFFSET ?4"
    ))
    .bind(stored)
    .bind(category)
    .bind(i64::from(limit))
    .bind(offset(skip))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM submissions s WHERE {condition}"
    ))
    .bind(stored)
    .bind(category)
    .fetch_one(db.reader())
    .await?;
    let items = rows
        .into_iter()
        .map(QueueItem::try_from)
        .collect::<Result<_, _>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

pub async fn find(db: &Db, id: i64) -> Result<Option<QueueItem>, sqlx::Error> {
    sql::query_as::<QueueRow>(&format!("{QUEUE_SELECT} WHERE s.id = ?"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .map(QueueItem::try_from)
        .transpose()
}

/// What a decision needs to know, read inside its transaction.
#[derive(Debug, Clone, Copy)]
pub struct Current {
    pub status: SubmissionStatus,
    pub group_id: Option<i64>,
    pub category: SubmissionCategory,
}

pub async fn current(tx: &mut Tx, id: i64) -> Result<Option<Current>, sqlx::Error> {
    let row: Option<(SubmissionStatus, Option<i64>, SubmissionCategory)> = sql::query_as(&format!(
        "SELECT {STATUS}, s.group_id, s.category FROM submissions s WHERE s.id = ?"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|(status, group_id, category)| {
        Ok(Current {
            status,
            group_id,
            category,
        })
    })
    .transpose()
}

/// The submitters a verdict on `id` answers: its own and those merged into it
/// (still pending), as (submission id, submitter id).
pub async fn pending_group(tx: &mut Tx, id: i64) -> Result<Vec<(i64, Option<i64>)>, sqlx::Error> {
    sql::query_as(
        "SELECT id, submitter_id FROM submissions
         WHERE (id = ?1 OR group_id = ?1) AND status = 'pending' AND answered_at IS NULL ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await
}

/// Publishes the head of a group with its source; the members merged into it get the
/// same verdict. Only pending rows change, so two moderators cannot both decide.
pub async fn verify(
    tx: &mut Tx,
    id: i64,
    moderator_id: i64,
    v: &ValidVerify,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(sql::query(
        "UPDATE submissions SET status = 'published', moderator_id = ?2, decided_at = ?3,
                source_who = ?4, source_how = ?5,
                published_text = CASE WHEN id = ?1 THEN ?6 ELSE published_text END
         WHERE (id = ?1 OR group_id = ?1) AND status = 'pending' AND answered_at IS NULL",
    )
    .bind(id)
    .bind(moderator_id)
    .bind(now)
    .bind(&v.source_who)
    .bind(&v.source_how)
    .bind(&v.text)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

pub async fn reject(
    tx: &mut Tx,
    id: i64,
    moderator_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(sql::query(
        "UPDATE submissions SET status = 'rejected', moderator_id = ?2, decided_at = ?3, reject_reason = ?4
         WHERE (id = ?1 OR group_id = ?1) AND status = 'pending' AND answered_at IS NULL",
    )
    .bind(id)
    .bind(moderator_id)
    .bind(now)
    .bind(reason)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

pub async fn mark_rumour(
    tx: &mut Tx,
    id: i64,
    moderator_id: i64,
    notice_id: i64,
    source_who: &str,
    source_how: &str,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(sql::query(
        "UPDATE submissions SET status = 'rumour', moderator_id = ?2, decided_at = ?3,
                debunk_notice_id = ?4, source_who = ?5, source_how = ?6
         WHERE (id = ?1 OR group_id = ?1) AND status = 'pending' AND answered_at IS NULL",
    )
    .bind(id)
    .bind(moderator_id)
    .bind(now)
    .bind(notice_id)
    .bind(source_who)
    .bind(source_how)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Answers a question (and those merged into it): privately (the asker reads it), or
/// published as a Q&A with `qa` as its public text.
pub async fn answer(
    tx: &mut Tx,
    id: i64,
    moderator_id: i64,
    answer: &str,
    qa: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(sql::query(
        "UPDATE submissions SET answer = ?4, answered_at = ?3, moderator_id = ?2, decided_at = ?3,
                status = CASE WHEN ?5 IS NULL THEN status ELSE 'published' END,
                published_text = CASE WHEN id = ?1 THEN ?5 ELSE published_text END,
                source_who = CASE WHEN ?5 IS NULL THEN NULL ELSE '社区工作人员' END,
                source_how = CASE WHEN ?5 IS NULL THEN NULL ELSE '答复咨询' END
         WHERE (id = ?1 OR group_id = ?1) AND status = 'pending' AND answered_at IS NULL",
    )
    .bind(id)
    .bind(moderator_id)
    .bind(now)
    .bind(answer)
    .bind(qa)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Puts `id` (and whatever was merged into it) under `into`.
pub async fn merge(tx: &mut Tx, id: i64, into: i64) -> Result<u64, sqlx::Error> {
    Ok(sql::query(
        "UPDATE submissions SET group_id = ?2
         WHERE (id = ?1 OR group_id = ?1) AND status = 'pending' AND answered_at IS NULL",
    )
    .bind(id)
    .bind(into)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

pub async fn log(
    tx: &mut Tx,
    submission_id: Option<i64>,
    moderator_id: i64,
    action: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO moderation_log (submission_id, moderator_id, action, detail, at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(submission_id)
    .bind(moderator_id)
    .bind(action)
    .bind(detail.to_string())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct LogRow {
    id: i64,
    submission_id: Option<i64>,
    moderator_id: i64,
    moderator_name: String,
    action: String,
    detail: Option<String>,
    at: DateTime<Utc>,
}

pub async fn moderation_log(
    db: &Db,
    submission_id: Option<i64>,
    limit: u32,
    skip: u64,
) -> Result<(Vec<ModerationEntry>, u64), sqlx::Error> {
    let condition = if submission_id.is_some() {
        "l.submission_id = ?1"
    } else {
        "?1 IS NULL"
    };
    let rows = sql::query_as::<LogRow>(&format!(
        "SELECT l.id, l.submission_id, l.moderator_id, u.display_name AS moderator_name, l.action, l.detail, l.at
         FROM moderation_log l JOIN users u ON u.id = l.moderator_id
         WHERE {condition} ORDER BY l.at DESC, l.id DESC LIMIT ?2 OFFSET ?3"
    ))
    .bind(submission_id)
    .bind(i64::from(limit))
    .bind(offset(skip))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM moderation_log l WHERE {condition}"
    ))
    .bind(submission_id)
    .fetch_one(db.reader())
    .await?;
    Ok((
        rows.into_iter()
            .map(|r| ModerationEntry {
                id: r.id,
                submission_id: r.submission_id,
                moderator_id: r.moderator_id,
                moderator_name: r.moderator_name,
                action: r.action,
                detail: r.detail.and_then(|d| serde_json::from_str(&d).ok()),
                at: r.at,
            })
            .collect(),
        u64::try_from(total).unwrap_or(0),
    ))
}

/// The role of an account, to tell a submitter from staff when blocking.
pub async fn role_of(tx: &mut Tx, user_id: i64) -> Result<Option<Role>, sqlx::Error> {
    sql::query_scalar("SELECT role FROM users WHERE id = ?")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn block(
    tx: &mut Tx,
    user_id: i64,
    reason: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(sql::query(
        "INSERT INTO submission_blocks (user_id, reason, blocked_by, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(reason)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

pub async fn unblock(tx: &mut Tx, user_id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sql::query("DELETE FROM submission_blocks WHERE user_id = ?")
            .bind(user_id)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            > 0,
    )
}

#[derive(FromRow)]
struct UpdateRow {
    id: i64,
    category: SubmissionCategory,
    text: String,
    place: Option<String>,
    source_who: Option<String>,
    source_how: Option<String>,
    moderator_role: Option<Role>,
    decided_at: Option<DateTime<Utc>>,
    has_photo: bool,
}

impl TryFrom<UpdateRow> for BoardUpdate {
    type Error = sqlx::Error;

    fn try_from(r: UpdateRow) -> Result<Self, Self::Error> {
        let published_at = r
            .decided_at
            .ok_or_else(|| sqlx::Error::Decode("a published update without a time".into()))?;
        let provenance = provenance(r.moderator_role, r.decided_at, r.source_who, r.source_how)?
            .ok_or_else(|| sqlx::Error::Decode("a published update without a source".into()))?;
        Ok(BoardUpdate {
            id: r.id,
            category: r.category,
            text: r.text,
            place: r.place,
            provenance,
            published_at,
            has_photo: r.has_photo,
        })
    }
}

const UPDATE_SELECT: &str =
    "SELECT s.id, s.category, COALESCE(s.published_text, s.text) AS text, s.place,
        s.source_who, s.source_how, m.role AS moderator_role, s.decided_at,
        EXISTS (SELECT 1 FROM submission_photos p WHERE p.submission_id = s.id) AS has_photo
     FROM submissions s LEFT JOIN users m ON m.id = s.moderator_id";

/// The public list of verified updates, newest first (only heads of groups).
pub async fn published(
    db: &Db,
    category: Option<SubmissionCategory>,
    limit: u32,
    skip: u64,
) -> Result<(Vec<BoardUpdate>, u64), sqlx::Error> {
    let category_condition = super::optional_filter(category.is_some(), "s.category", 1);
    let condition = format!("s.status = 'published' AND s.group_id IS NULL{category_condition}");
    let rows = sql::query_as::<UpdateRow>(&format!(
        "{UPDATE_SELECT} WHERE {condition} ORDER BY s.decided_at DESC, s.id DESC LIMIT ?2 OFFSET ?3"
    ))
    .bind(category)
    .bind(i64::from(limit))
    .bind(offset(skip))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM submissions s WHERE {condition}"
    ))
    .bind(category)
    .fetch_one(db.reader())
    .await?;
    Ok((
        rows.into_iter()
            .map(BoardUpdate::try_from)
            .collect::<Result<_, _>>()?,
        u64::try_from(total).unwrap_or(0),
    ))
}

pub async fn find_published(db: &Db, id: i64) -> Result<Option<BoardUpdate>, sqlx::Error> {
    sql::query_as::<UpdateRow>(&format!(
        "{UPDATE_SELECT} WHERE s.id = ? AND s.status = 'published' AND s.group_id IS NULL"
    ))
    .bind(id)
    .fetch_optional(db.reader())
    .await?
    .map(BoardUpdate::try_from)
    .transpose()
}
