//! The rate limits' buckets when several instances share one PostgreSQL database (see
//! `auth::rate_limit`): one row per (limit, key) with the instant, in microseconds since
//! 1970, at which that key's allowance is whole again. Each change is one statement, so two
//! instances counting the same key at the same moment cannot both slip through.

use super::Db;
use super::sql;

/// The instants of one event against one limit, in microseconds since 1970.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub now: i64,
    /// How much later one event moves the key's instant.
    pub period: i64,
    /// How far ahead of `now` the instant may lie and still allow an event (the burst).
    pub tolerance: i64,
}

/// Counts one event unless the key's allowance is spent: `None` when it was counted,
/// otherwise the instant at which the key's allowance will be whole again.
pub async fn check(db: &Db, cell: Cell<'_>) -> Result<Option<i64>, sqlx::Error> {
    let counted = sql::query_scalar::<i64>(
        "INSERT INTO rate_limits (bucket, key, full_at) VALUES (?1, ?2, ?3 + ?4)
         ON CONFLICT (bucket, key) DO UPDATE
         SET full_at = (CASE WHEN rate_limits.full_at > ?3 THEN rate_limits.full_at ELSE ?3 END) + ?4
         WHERE (CASE WHEN rate_limits.full_at > ?3 THEN rate_limits.full_at ELSE ?3 END) - ?3 <= ?5
         RETURNING full_at",
    )
    .bind(cell.bucket)
    .bind(cell.key)
    .bind(cell.now)
    .bind(cell.period)
    .bind(cell.tolerance)
    .fetch_optional(db.writer())
    .await?;
    match counted {
        Some(_) => Ok(None),
        None => Ok(Some(full_at(db, cell).await?.unwrap_or(cell.now))),
    }
}

/// The instant at which the key's allowance is whole again, if it has a row.
pub async fn full_at(db: &Db, cell: Cell<'_>) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar::<i64>("SELECT full_at FROM rate_limits WHERE bucket = ?1 AND key = ?2")
        .bind(cell.bucket)
        .bind(cell.key)
        .fetch_optional(db.writer())
        .await
}

/// Counts one event even when the allowance is spent.
pub async fn charge(db: &Db, cell: Cell<'_>) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO rate_limits (bucket, key, full_at) VALUES (?1, ?2, ?3 + ?4)
         ON CONFLICT (bucket, key) DO UPDATE
         SET full_at = (CASE WHEN rate_limits.full_at > ?3 THEN rate_limits.full_at ELSE ?3 END) + ?4",
    )
    .bind(cell.bucket)
    .bind(cell.key)
    .bind(cell.now)
    .bind(cell.period)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// Gives back one counted event.
pub async fn refund(db: &Db, cell: Cell<'_>) -> Result<(), sqlx::Error> {
    sql::query("UPDATE rate_limits SET full_at = full_at - ?3 WHERE bucket = ?1 AND key = ?2")
        .bind(cell.bucket)
        .bind(cell.key)
        .bind(cell.period)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// Forgets the keys whose allowance is whole again.
pub async fn forget_idle(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sql::query("DELETE FROM rate_limits WHERE full_at <= ?")
        .bind(now)
        .execute(db.writer())
        .await?;
    Ok(done.rows_affected())
}
