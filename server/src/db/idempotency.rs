//! The stored first answers to requests sent with an `Idempotency-Key` (see
//! `web::idempotency` for the rules).

use super::Db;
use super::sql;
use chrono::{DateTime, Utc};
use sqlx::FromRow;

/// One key of one caller.
#[derive(Debug, Clone, Copy)]
pub struct KeyRef<'a> {
    pub key: &'a str,
    pub caller: &'a str,
}

/// What is stored under a key.
#[derive(Debug, Clone, FromRow)]
pub struct Stored {
    pub request_hash: String,
    /// `None` while the first request is still running.
    pub status: Option<i64>,
    pub content_type: Option<String>,
    pub body: Option<Vec<u8>>,
}

/// Takes the key for a request about to run, in one statement so two concurrent
/// duplicates cannot both win: true when this request may run. A key already taken is
/// taken over only when it has expired, or when the same request claimed it before
/// `stale_before` and never finished (the server stopped mid-request).
pub async fn claim(
    db: &Db,
    key: KeyRef<'_>,
    request_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    stale_before: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sql::query(
        "INSERT INTO idempotency_keys (key, caller, request_hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (key, caller) DO UPDATE SET
             request_hash = excluded.request_hash, status = NULL, content_type = NULL,
             body = NULL, created_at = excluded.created_at, expires_at = excluded.expires_at
         WHERE idempotency_keys.expires_at <= ?4
            OR (idempotency_keys.status IS NULL
                AND idempotency_keys.request_hash = excluded.request_hash
                AND idempotency_keys.created_at < ?6)",
    )
    .bind(key.key)
    .bind(key.caller)
    .bind(request_hash)
    .bind(now)
    .bind(expires_at)
    .bind(stale_before)
    .execute(db.writer())
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find(db: &Db, key: KeyRef<'_>) -> Result<Option<Stored>, sqlx::Error> {
    sql::query_as::<Stored>(
        "SELECT request_hash, status, content_type, body FROM idempotency_keys
         WHERE key = ? AND caller = ?",
    )
    .bind(key.key)
    .bind(key.caller)
    .fetch_optional(db.reader())
    .await
}

/// Keeps the first answer.
pub async fn complete(
    db: &Db,
    key: KeyRef<'_>,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ?
         WHERE key = ? AND caller = ?",
    )
    .bind(i64::from(status))
    .bind(content_type)
    .bind(body)
    .bind(key.key)
    .bind(key.caller)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// Frees the key of a request whose answer is not kept, so that a retry runs again.
pub async fn release(db: &Db, key: KeyRef<'_>) -> Result<(), sqlx::Error> {
    sql::query("DELETE FROM idempotency_keys WHERE key = ? AND caller = ? AND status IS NULL")
        .bind(key.key)
        .bind(key.caller)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// Deletes the keys expired by `now`; returns how many.
pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = sql::query("DELETE FROM idempotency_keys WHERE expires_at <= ?")
        .bind(now)
        .execute(db.writer())
        .await?;
    Ok(done.rows_affected())
}
