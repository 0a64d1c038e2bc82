//! Accounts.

use super::sql;
use super::{Db, audit, is_unique_violation};
use chrono::{DateTime, Utc};
use shouwang_api::ErrorCode;
use shouwang_api::auth::{Account, Role};
use shouwang_api::users::{NewStaffAccount, UserSummary};
use sqlx::FromRow;

#[derive(Debug, FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: Role,
    disabled_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl UserRow {
    fn into_summary(self) -> Result<UserSummary, sqlx::Error> {
        Ok(UserSummary {
            id: self.id,
            role: self.role,
            username: self.username,
            display_name: self.display_name,
            disabled: self.disabled_at.is_some(),
            created_at: self.created_at,
        })
    }
}

/// What signing in needs to know about an account.
#[derive(Debug)]
pub struct LoginRecord {
    pub account: Account,
    pub password_hash: String,
    pub disabled: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertUserError {
    #[error("the username is already taken")]
    UsernameTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl InsertUserError {
    pub fn code(&self) -> ErrorCode {
        match self {
            InsertUserError::UsernameTaken => ErrorCode::UsernameTaken,
            InsertUserError::Database(_) => ErrorCode::Internal,
        }
    }
}

/// Creates a staff or admin account; `created_by` is recorded in the audit trail.
pub async fn insert(
    db: &Db,
    account: &NewStaffAccount,
    password_hash: &str,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, InsertUserError> {
    let mut tx = db.begin().await?;
    let id = insert_in(
        &mut tx,
        account.username.as_str(),
        &account.display_name,
        account.role,
        password_hash,
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(created_by, "user.create")
            .target("user", id)
            .detail(serde_json::json!({ "role": account.role })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Inserts an account inside a larger transaction (sign-up flows, the demo).
pub async fn insert_in(
    tx: &mut super::Tx,
    username: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<i64, InsertUserError> {
    let result = sql::query_scalar::<i64>(
        "INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(role)
    .bind(password_hash)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    match result {
        Ok(id) => Ok(id),
        Err(e) if is_unique_violation(&e) => Err(InsertUserError::UsernameTaken),
        Err(e) => Err(e.into()),
    }
}

pub async fn find_for_login(db: &Db, username: &str) -> Result<Option<LoginRecord>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        id: i64,
        username: String,
        display_name: String,
        role: Role,
        password_hash: String,
        disabled_at: Option<DateTime<Utc>>,
    }
    let row = sql::query_as::<Row>(
        "SELECT id, username, display_name, role, password_hash, disabled_at FROM users WHERE username = ?",
    )
    .bind(username)
    .fetch_optional(db.reader())
    .await?;
    row.map(|r| {
        Ok(LoginRecord {
            account: Account {
                id: r.id,
                role: r.role,
                username: r.username,
                display_name: r.display_name,
            },
            password_hash: r.password_hash,
            disabled: r.disabled_at.is_some(),
        })
    })
    .transpose()
}

pub async fn find_summary(db: &Db, id: i64) -> Result<Option<UserSummary>, sqlx::Error> {
    sql::query_as::<UserRow>(
        "SELECT id, username, display_name, role, disabled_at, created_at FROM users WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(db.reader())
    .await?
    .map(UserRow::into_summary)
    .transpose()
}

/// The accounts people hold: not the street's author accounts (`street_account`), which
/// no one signs in with and no one picks.
const PEOPLES_ACCOUNTS: &str = "username NOT LIKE 'street:%'";

/// The community's accounts, for its admin's list and its pickers.
pub async fn list(
    db: &Db,
    role: Option<Role>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<UserSummary>, u64), sqlx::Error> {
    let rows = sql::query_as::<UserRow>(&format!(
        "SELECT id, username, display_name, role, disabled_at, created_at FROM users
         WHERE (?1 IS NULL OR role = ?1) AND {PEOPLES_ACCOUNTS} ORDER BY id LIMIT ?2 OFFSET ?3"
    ))
    .bind(role)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM users WHERE (?1 IS NULL OR role = ?1) AND {PEOPLES_ACCOUNTS}"
    ))
    .bind(role)
    .fetch_one(db.reader())
    .await?;
    let items = rows
        .into_iter()
        .map(UserRow::into_summary)
        .collect::<Result<_, _>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

/// Disables or re-enables an account. Disabling also ends its sessions.
/// Returns false when there is no such account.
pub async fn set_disabled(
    db: &Db,
    id: i64,
    disabled: bool,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let at = disabled.then(Utc::now);
    let changed = sql::query("UPDATE users SET disabled_at = ? WHERE id = ?")
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    if disabled {
        sql::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    audit::record(
        &mut tx,
        audit::Entry::new(Some(by), action).target("user", id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Replaces a password (the demo resets its accounts' passwords on each start).
pub async fn set_password(
    tx: &mut super::Tx,
    username: &str,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query("UPDATE users SET password_hash = ? WHERE username = ?")
        .bind(password_hash)
        .bind(username)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(changed > 0)
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sql::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db.reader())
        .await
}

/// True when the account signed itself up (a volunteer, or a resident who registered
/// their household) after `since`: anyone can make such an account, so at first it is
/// trusted no more than a visitor.
pub async fn signed_up_self_since(
    db: &Db,
    user_id: i64,
    since: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    sql::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users u WHERE u.id = ?1 AND u.created_at > ?2
             AND (u.role = 'volunteer'
                  OR (u.role = 'resident' AND EXISTS (SELECT 1 FROM households h
                                                      WHERE h.created_by = u.id AND h.source = 'self'))))",
    )
    .bind(user_id)
    .bind(since)
    .fetch_one(db.reader())
    .await
}

/// The account a street writes its notices under in this community, made on the first
/// one: a notice's author must be an account of the community, and the audit log names
/// accounts. Its username (`street:<id>`) is one no one can register or sign in with
/// (a username has no `:`), its password hash verifies nothing, and it is disabled; its
/// display name follows the street's. Returns its id.
pub async fn street_account(
    tx: &mut super::Tx,
    street_id: i64,
    street_name: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO users (username, display_name, role, password_hash, disabled_at, created_at)
         VALUES (?1, ?2, 'staff', '!', ?3, ?3)
         ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name
         RETURNING id",
    )
    .bind(format!("street:{street_id}"))
    .bind(street_name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}
