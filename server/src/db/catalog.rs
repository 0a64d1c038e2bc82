//! The deployment's catalog: streets, communities, operators and their sessions.
//!
//! These tables are read only through the deployment's own file: [`Catalog`] wraps that
//! file's [`Db`] so a community's handle cannot be passed here by mistake.

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::deployment::{CommunityKind, CommunitySummary, OperatorRole, OperatorSummary};
use sqlx::FromRow;

/// The deployment's own database file, where the catalog lives.
#[derive(Debug, Clone)]
pub struct Catalog(Db);

impl Catalog {
    pub fn new(db: Db) -> Catalog {
        Catalog(db)
    }

    pub fn db(&self) -> &Db {
        &self.0
    }
}

/// A community as the catalog stores it.
#[derive(Debug, Clone, FromRow)]
pub struct StoredCommunity {
    pub id: i64,
    pub street_id: i64,
    pub street_name: String,
    pub slug: String,
    pub name: String,
    pub kind: CommunityKind,
    pub host: Option<String>,
    /// Relative to the communities folder; none for the deployment's own file.
    pub file: Option<String>,
}

impl StoredCommunity {
    pub fn summary(&self) -> CommunitySummary {
        CommunitySummary {
            id: self.id,
            slug: self.slug.clone(),
            name: self.name.clone(),
            kind: self.kind,
            street_id: self.street_id,
            street_name: self.street_name.clone(),
            path: format!("/c/{}/", self.slug),
        }
    }
}

const COMMUNITY_COLUMNS: &str =
    "c.id, c.street_id, s.name AS street_name, c.slug, c.name, c.kind, c.host, c.file
     FROM communities c JOIN streets s ON s.id = c.street_id";

pub async fn communities(catalog: &Catalog) -> Result<Vec<StoredCommunity>, sqlx::Error> {
    sql::query_as(&format!(
        "SELECT {COMMUNITY_COLUMNS} ORDER BY c.street_id, c.id"
    ))
    .fetch_all(catalog.0.reader())
    .await
}

pub async fn community_by_slug(
    catalog: &Catalog,
    slug: &str,
) -> Result<Option<StoredCommunity>, sqlx::Error> {
    sql::query_as(&format!("SELECT {COMMUNITY_COLUMNS} WHERE c.slug = ?"))
        .bind(slug)
        .fetch_optional(catalog.0.reader())
        .await
}

pub async fn street_exists(catalog: &Catalog, street_id: i64) -> Result<bool, sqlx::Error> {
    sql::query_scalar("SELECT EXISTS (SELECT 1 FROM streets WHERE id = ?)")
        .bind(street_id)
        .fetch_one(catalog.0.reader())
        .await
}

pub async fn street_by_name(catalog: &Catalog, name: &str) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar("SELECT id FROM streets WHERE name = ?")
        .bind(name)
        .fetch_optional(catalog.0.reader())
        .await
}

pub async fn streets(catalog: &Catalog) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sql::query_as("SELECT id, name FROM streets ORDER BY id")
        .fetch_all(catalog.0.reader())
        .await
}

pub async fn insert_street(
    tx: &mut Tx,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO streets (name, created_at) VALUES (?, ?)
         ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

pub struct NewCommunityRow<'a> {
    pub street_id: i64,
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: CommunityKind,
    /// None: the deployment's own file.
    pub file: Option<&'a str>,
}

/// Adds a community; None when the slug is taken.
pub async fn insert_community(
    tx: &mut Tx,
    row: &NewCommunityRow<'_>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO communities (street_id, slug, name, kind, file, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(row.street_id)
    .bind(row.slug)
    .bind(row.name)
    .bind(row.kind)
    .bind(row.file)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn set_community_file(tx: &mut Tx, id: i64, file: &str) -> Result<(), sqlx::Error> {
    sql::query("UPDATE communities SET file = ? WHERE id = ?")
        .bind(file)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn rename_street(tx: &mut Tx, id: i64, name: &str) -> Result<(), sqlx::Error> {
    sql::query("UPDATE streets SET name = ? WHERE id = ?")
        .bind(name)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn rename_community(
    tx: &mut Tx,
    id: i64,
    slug: &str,
    name: &str,
    kind: CommunityKind,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE communities SET slug = ?, name = ?, kind = ? WHERE id = ?")
        .bind(slug)
        .bind(name)
        .bind(kind)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An operator with what signing in needs.
#[derive(Debug, Clone, FromRow)]
pub struct StoredOperator {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: OperatorRole,
    pub street_id: Option<i64>,
    pub password_hash: String,
    pub disabled: bool,
}

impl StoredOperator {
    pub fn summary(&self) -> OperatorSummary {
        OperatorSummary {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            street_id: self.street_id,
        }
    }
}

pub struct NewOperatorRow<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: OperatorRole,
    pub street_id: Option<i64>,
}

/// Adds an operator; None when the username is taken.
pub async fn insert_operator(
    catalog: &Catalog,
    row: &NewOperatorRow<'_>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO operators (username, display_name, password_hash, role, street_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(row.username)
    .bind(row.display_name)
    .bind(row.password_hash)
    .bind(row.role)
    .bind(row.street_id)
    .bind(now)
    .fetch_optional(catalog.0.writer())
    .await
}

pub async fn operator_for_login(
    catalog: &Catalog,
    username: &str,
) -> Result<Option<StoredOperator>, sqlx::Error> {
    sql::query_as(
        "SELECT id, username, display_name, role, street_id, password_hash, disabled
         FROM operators WHERE username = ?",
    )
    .bind(username)
    .fetch_optional(catalog.0.reader())
    .await
}

pub async fn insert_session(
    catalog: &Catalog,
    token_hash: &str,
    operator_id: i64,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO operator_sessions (token_hash, operator_id, expires_at, created_at)
         VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(operator_id)
    .bind(expires_at)
    .bind(now)
    .execute(catalog.0.writer())
    .await?;
    Ok(())
}

/// The operator behind a live session of an enabled operator.
pub async fn session_operator(
    catalog: &Catalog,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<OperatorSummary>, sqlx::Error> {
    let row: Option<StoredOperator> = sql::query_as(
        "SELECT o.id, o.username, o.display_name, o.role, o.street_id, o.password_hash, o.disabled
         FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND o.disabled = 0",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(catalog.0.reader())
    .await?;
    Ok(row.map(|o| o.summary()))
}

pub async fn delete_session(catalog: &Catalog, token_hash: &str) -> Result<(), sqlx::Error> {
    sql::query("DELETE FROM operator_sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(catalog.0.writer())
        .await?;
    Ok(())
}

pub async fn delete_expired_sessions(
    catalog: &Catalog,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(
        sql::query("DELETE FROM operator_sessions WHERE expires_at <= ?")
            .bind(now)
            .execute(catalog.0.writer())
            .await?
            .rows_affected(),
    )
}

pub async fn audit(
    catalog: &Catalog,
    operator_id: Option<i64>,
    action: &str,
    community_id: Option<i64>,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO operator_audit (at, operator_id, action, community_id, detail)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(now)
    .bind(operator_id)
    .bind(action)
    .bind(community_id)
    .bind(detail)
    .execute(catalog.0.writer())
    .await?;
    Ok(())
}

pub async fn set_operator_password(
    catalog: &Catalog,
    username: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE operators SET password_hash = ? WHERE username = ?")
        .bind(password_hash)
        .bind(username)
        .execute(catalog.0.writer())
        .await?;
    Ok(())
}
