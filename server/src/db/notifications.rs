//! Notifications for one account at a time.

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::notifications::{Message, Notification};
use sqlx::FromRow;

/// Queues a message for `user_id`, inside the transaction of the change it reports.
pub async fn notify(
    tx: &mut Tx,
    user_id: i64,
    message: &Message,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let (kind, params) = message.stored();
    sql::query_scalar::<i64>("INSERT INTO notifications (user_id, kind, params, link, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
        .bind(user_id)
        .bind(kind)
        .bind(params.to_string())
        .bind(link)
        .bind(now)
        .fetch_one(&mut **tx)
        .await
}

#[derive(FromRow)]
struct Row {
    id: i64,
    kind: String,
    params: String,
    link: Option<String>,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

pub async fn list(
    db: &Db,
    user_id: i64,
    limit: u32,
    offset: u64,
) -> Result<(Vec<Notification>, u64), sqlx::Error> {
    let rows = sql::query_as::<Row>(
        "SELECT id, kind, params, link, created_at, read_at FROM notifications
         WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
    )
    .bind(user_id)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ?")
        .bind(user_id)
        .fetch_one(db.reader())
        .await?;
    let items = rows
        .into_iter()
        .map(|r| Notification {
            id: r.id,
            kind: r.kind,
            params: serde_json::from_str(&r.params).unwrap_or(serde_json::Value::Null),
            link: r.link,
            created_at: r.created_at,
            read: r.read_at.is_some(),
        })
        .collect();
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

pub async fn unread_count(db: &Db, user_id: i64) -> Result<u64, sqlx::Error> {
    let n: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(db.reader())
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Marks one of the account's own notifications read; false when it has no such one.
pub async fn mark_read(
    db: &Db,
    user_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(db.writer())
    .await?
    .rows_affected();
    Ok(changed > 0)
}

pub async fn mark_all_read(db: &Db, user_id: i64, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    Ok(
        sql::query("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(db.writer())
            .await?
            .rows_affected(),
    )
}
