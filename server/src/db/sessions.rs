//! Sign-in sessions, stored by the SHA-256 of their token.

use super::Db;
use super::sql;
use chrono::{DateTime, Utc};
use shouwang_api::auth::{Account, Role};
use sqlx::FromRow;

pub async fn insert(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// The account behind a live session of an enabled account.
pub async fn find_account(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Account>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        id: i64,
        username: String,
        display_name: String,
        role: Role,
    }
    let row = sql::query_as::<Row>(
        "SELECT u.id, u.username, u.display_name, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.reader())
    .await?;
    row.map(|r| {
        Ok(Account {
            id: r.id,
            role: r.role,
            username: r.username,
            display_name: r.display_name,
        })
    })
    .transpose()
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sql::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(db.writer())
        .await?;
    Ok(())
}

pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    Ok(sql::query("DELETE FROM sessions WHERE expires_at <= ?")
        .bind(now)
        .execute(db.writer())
        .await?
        .rows_affected())
}
