//! The staff's duty roster, its rest rules, and the private wellbeing checks.

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::workers::{DutyRules, HowOften, WellbeingAnswers, Worker};
use sqlx::FromRow;

/// One duty as stored, with its worker's name.
#[derive(Debug, Clone, FromRow)]
pub struct StoredDuty {
    pub id: i64,
    pub worker_id: i64,
    pub worker_name: String,
    pub post: String,
    pub note: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

const SELECT_DUTY: &str = "SELECT d.id, d.worker_id, u.display_name AS worker_name, d.post, d.note,
        d.starts_at, d.ends_at
     FROM staff_duties d JOIN users u ON u.id = d.worker_id";

/// Duties starting in `[from, to)`, of one worker or all, in order of start.
pub async fn duties_starting(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    worker_id: Option<i64>,
) -> Result<Vec<StoredDuty>, sqlx::Error> {
    sql::query_as::<StoredDuty>(&format!(
        "{SELECT_DUTY} WHERE d.starts_at >= ?1 AND d.starts_at < ?2
             AND (?3 IS NULL OR d.worker_id = ?3)
         ORDER BY d.starts_at, d.id"
    ))
    .bind(from)
    .bind(to)
    .bind(worker_id)
    .fetch_all(db.reader())
    .await
}

pub async fn find(db: &Db, id: i64) -> Result<Option<StoredDuty>, sqlx::Error> {
    sql::query_as::<StoredDuty>(&format!("{SELECT_DUTY} WHERE d.id = ?"))
        .bind(id)
        .fetch_optional(db.reader())
        .await
}

/// Whether the worker already has a duty overlapping `[starts_at, ends_at)`.
pub async fn overlaps(
    tx: &mut Tx,
    worker_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sql::query_scalar(
        "SELECT id FROM staff_duties WHERE worker_id = ? AND starts_at < ? AND ends_at > ? LIMIT 1",
    )
    .bind(worker_id)
    .bind(ends_at)
    .bind(starts_at)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

pub struct NewDuty<'a> {
    pub worker_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub post: &'a str,
    pub note: Option<&'a str>,
    pub created_by: i64,
}

pub async fn insert(
    tx: &mut Tx,
    duty: &NewDuty<'_>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>(
        "INSERT INTO staff_duties (worker_id, starts_at, ends_at, post, note, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(duty.worker_id)
    .bind(duty.starts_at)
    .bind(duty.ends_at)
    .bind(duty.post)
    .bind(duty.note)
    .bind(duty.created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Removes a duty; whether there was one.
pub async fn delete(tx: &mut Tx, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar::<i64>("DELETE FROM staff_duties WHERE id = ? RETURNING worker_id")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Staff and admins who can be put on duty (not disabled), by name.
pub async fn workers(db: &Db) -> Result<Vec<Worker>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        id: i64,
        display_name: String,
    }
    let rows = sql::query_as::<Row>(
        "SELECT id, display_name FROM users
         WHERE role IN ('staff', 'admin') AND disabled_at IS NULL ORDER BY display_name, id",
    )
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Worker {
            id: r.id,
            name: r.display_name,
        })
        .collect())
}

/// Whether `id` is a staff member or admin who can be put on duty.
pub async fn is_worker(tx: &mut Tx, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sql::query_scalar(
        "SELECT id FROM users WHERE id = ? AND role IN ('staff', 'admin') AND disabled_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

pub async fn rules(db: &Db) -> Result<DutyRules, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        max_hours_per_week: i64,
        min_rest_minutes: i64,
        max_days_in_a_row: i64,
    }
    let row = sql::query_as::<Row>(
        "SELECT max_hours_per_week, min_rest_minutes, max_days_in_a_row FROM duty_rules WHERE id = 1",
    )
    .fetch_one(db.reader())
    .await?;
    let number = |what: &str, value: i64| {
        u32::try_from(value)
            .map_err(|e| sqlx::Error::Decode(format!("bad {what} in the database: {e}").into()))
    };
    Ok(DutyRules {
        max_hours_per_week: number("max_hours_per_week", row.max_hours_per_week)?,
        min_rest_minutes: number("min_rest_minutes", row.min_rest_minutes)?,
        max_days_in_a_row: number("max_days_in_a_row", row.max_days_in_a_row)?,
    })
}

pub async fn update_rules(
    tx: &mut Tx,
    rules: &DutyRules,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE duty_rules SET max_hours_per_week = ?, min_rest_minutes = ?, max_days_in_a_row = ?,
         updated_at = ? WHERE id = 1",
    )
    .bind(i64::from(rules.max_hours_per_week))
    .bind(i64::from(rules.min_rest_minutes))
    .bind(i64::from(rules.max_days_in_a_row))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A wellbeing check as stored: the four answers as points.
#[derive(Debug, Clone, FromRow)]
pub struct StoredCheck {
    pub id: i64,
    pub taken_at: DateTime<Utc>,
    pub nervous: i64,
    pub worrying: i64,
    pub little_interest: i64,
    pub feeling_down: i64,
}

impl StoredCheck {
    /// The answers; a stored value outside 0–3 is reported, never guessed.
    pub fn answers(&self) -> Result<WellbeingAnswers, sqlx::Error> {
        let answer = |what: &str, points: i64| {
            u8::try_from(points)
                .ok()
                .and_then(HowOften::from_points)
                .ok_or_else(|| {
                    sqlx::Error::Decode(format!("bad {what} in wellbeing check {}", self.id).into())
                })
        };
        Ok(WellbeingAnswers {
            nervous: answer("nervous", self.nervous)?,
            worrying: answer("worrying", self.worrying)?,
            little_interest: answer("little_interest", self.little_interest)?,
            feeling_down: answer("feeling_down", self.feeling_down)?,
        })
    }
}

pub async fn insert_check(
    db: &Db,
    user_id: i64,
    answers: &WellbeingAnswers,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = sql::query_scalar::<i64>(
        "INSERT INTO wellbeing_checks (user_id, taken_at, nervous, worrying, little_interest, feeling_down)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(user_id)
    .bind(now)
    .bind(i64::from(answers.nervous.points()))
    .bind(i64::from(answers.worrying.points()))
    .bind(i64::from(answers.little_interest.points()))
    .bind(i64::from(answers.feeling_down.points()))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The caller's own checks, newest first.
pub async fn own_checks(
    db: &Db,
    user_id: i64,
    limit: u32,
    offset: u64,
) -> Result<(Vec<StoredCheck>, u64), sqlx::Error> {
    let rows = sql::query_as::<StoredCheck>(
        "SELECT id, taken_at, nervous, worrying, little_interest, feeling_down
         FROM wellbeing_checks WHERE user_id = ? ORDER BY taken_at DESC, id DESC LIMIT ? OFFSET ?",
    )
    .bind(user_id)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar("SELECT COUNT(*) FROM wellbeing_checks WHERE user_id = ?")
        .bind(user_id)
        .fetch_one(db.reader())
        .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// Erases every check of the caller; how many there were.
pub async fn erase_own(db: &Db, user_id: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let done = sql::query("DELETE FROM wellbeing_checks WHERE user_id = ?")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// Each worker's latest check since `since`, without who took it.
pub async fn latest_checks(db: &Db, since: DateTime<Utc>) -> Result<Vec<StoredCheck>, sqlx::Error> {
    sql::query_as::<StoredCheck>(
        "SELECT c.id, c.taken_at, c.nervous, c.worrying, c.little_interest, c.feeling_down
         FROM wellbeing_checks c
         WHERE c.taken_at >= ?1 AND NOT EXISTS (
             SELECT 1 FROM wellbeing_checks later
             WHERE later.user_id = c.user_id AND later.taken_at >= ?1
               AND (later.taken_at > c.taken_at OR (later.taken_at = c.taken_at AND later.id > c.id)))",
    )
    .bind(since)
    .fetch_all(db.reader())
    .await
}
