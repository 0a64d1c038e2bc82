//! The deployment's catalog: streets, communities, operators and their sessions.
//!
//! These tables are read only through the deployment's own file: [`Catalog`] wraps that
//! file's [`Db`] so a community's handle cannot be passed here by mistake.

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::deployment::{CommunityKind, CommunitySummary, OperatorRole, OperatorSummary};
use shouwang_api::notices::NoticeCategory;
use shouwang_api::street::CommunityFigures;
use shouwang_api::street_access::GrantedList;
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
         WHERE s.token_hash = ? AND s.expires_at > ? AND o.disabled = FALSE",
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

pub async fn street_name(catalog: &Catalog, street_id: i64) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar("SELECT name FROM streets WHERE id = ?")
        .bind(street_id)
        .fetch_optional(catalog.0.reader())
        .await
}

pub struct NewStreetNoticeRow<'a> {
    pub street_id: i64,
    pub operator_id: i64,
    pub title: &'a str,
    pub category: NoticeCategory,
    pub doc_number: Option<&'a str>,
}

pub async fn insert_street_notice(
    catalog: &Catalog,
    row: &NewStreetNoticeRow<'_>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO street_notices (street_id, operator_id, title, category, doc_number, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(row.street_id)
    .bind(row.operator_id)
    .bind(row.title)
    .bind(row.category)
    .bind(row.doc_number)
    .bind(now)
    .fetch_one(catalog.0.writer())
    .await
}

/// Records that street notice `street_notice_id` is notice `notice_id` on community
/// `community_id`'s board.
pub async fn insert_street_notice_copy(
    catalog: &Catalog,
    street_notice_id: i64,
    community_id: i64,
    notice_id: i64,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO street_notice_copies (street_notice_id, community_id, notice_id) VALUES (?, ?, ?)",
    )
    .bind(street_notice_id)
    .bind(community_id)
    .bind(notice_id)
    .execute(catalog.0.writer())
    .await?;
    Ok(())
}

/// A street notice as its street's staff list it.
#[derive(Debug, Clone, FromRow)]
pub struct StoredStreetNotice {
    pub id: i64,
    pub title: String,
    pub category: NoticeCategory,
    pub doc_number: Option<String>,
    pub sent_by: String,
    pub created_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// One page of what street `street_id` sent, newest first, and how many there are.
pub async fn street_notices(
    catalog: &Catalog,
    street_id: i64,
    limit: u32,
    offset: u64,
) -> Result<(Vec<StoredStreetNotice>, u64), sqlx::Error> {
    let rows = sql::query_as(
        "SELECT n.id, n.title, n.category, n.doc_number, o.display_name AS sent_by, n.created_at,
                n.withdrawn_at
         FROM street_notices n JOIN operators o ON o.id = n.operator_id
         WHERE n.street_id = ? ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?",
    )
    .bind(street_id)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(catalog.0.reader())
    .await?;
    let total: i64 = sql::query_scalar("SELECT COUNT(*) FROM street_notices WHERE street_id = ?")
        .bind(street_id)
        .fetch_one(catalog.0.reader())
        .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// Street notice `id` if it is street `street_id`'s.
pub async fn street_notice(
    catalog: &Catalog,
    street_id: i64,
    id: i64,
) -> Result<Option<StoredStreetNotice>, sqlx::Error> {
    sql::query_as(
        "SELECT n.id, n.title, n.category, n.doc_number, o.display_name AS sent_by, n.created_at,
                n.withdrawn_at
         FROM street_notices n JOIN operators o ON o.id = n.operator_id
         WHERE n.id = ? AND n.street_id = ?",
    )
    .bind(id)
    .bind(street_id)
    .fetch_optional(catalog.0.reader())
    .await
}

/// Where a street notice went: (community id, notice id in that community).
pub async fn street_notice_copies(
    catalog: &Catalog,
    street_notice_id: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sql::query_as(
        "SELECT community_id, notice_id FROM street_notice_copies
         WHERE street_notice_id = ? ORDER BY community_id",
    )
    .bind(street_notice_id)
    .fetch_all(catalog.0.reader())
    .await
}

/// Marks a street notice withdrawn; false when it already was (two staff at once).
pub async fn withdraw_street_notice(
    catalog: &Catalog,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(sql::query(
        "UPDATE street_notices SET withdrawn_at = ?, withdrawn_by = ?
         WHERE id = ? AND withdrawn_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(catalog.0.writer())
    .await?
    .rows_affected()
        > 0)
}

/// A community's figures as the keeper last took them, with its live grants to the street
/// (`kept_figures`): what the street's dashboard shows without opening the community.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptFigures {
    pub community_id: i64,
    pub taken_at: DateTime<Utc>,
    /// When the community's day the figures are of ends.
    pub day_ends_at: DateTime<Utc>,
    pub utc_offset_minutes: i32,
    pub figures: CommunityFigures,
    pub granted: Vec<GrantedList>,
}

#[derive(FromRow)]
struct KeptRow {
    community_id: i64,
    taken_at: DateTime<Utc>,
    day_ends_at: DateTime<Utc>,
    utc_offset_minutes: i32,
    figures: String,
    granted: String,
}

impl KeptRow {
    fn decode(self) -> Option<KeptFigures> {
        let figures = serde_json::from_str(&self.figures);
        let granted = serde_json::from_str(&self.granted);
        match (figures, granted) {
            (Ok(figures), Ok(granted)) => Some(KeptFigures {
                community_id: self.community_id,
                taken_at: self.taken_at,
                day_ends_at: self.day_ends_at,
                utc_offset_minutes: self.utc_offset_minutes,
                figures,
                granted,
            }),
            // Kept by a release whose figures had other fields: the community is read
            // again, as if nothing were kept.
            _ => None,
        }
    }
}

/// Keeps figures, in one transaction. A row never replaces one taken later (two
/// instances' keepers, or a dashboard's own read racing the keeper).
pub async fn keep_figures(catalog: &Catalog, kept: &[KeptFigures]) -> Result<(), sqlx::Error> {
    if kept.is_empty() {
        return Ok(());
    }
    let mut tx = catalog.0.begin().await?;
    for k in kept {
        let figures =
            serde_json::to_string(&k.figures).map_err(|e| sqlx::Error::Encode(e.into()))?;
        let granted =
            serde_json::to_string(&k.granted).map_err(|e| sqlx::Error::Encode(e.into()))?;
        sql::query(
            "INSERT INTO kept_figures (community_id, taken_at, day_ends_at, utc_offset_minutes,
                                       figures, granted, grants_read_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?2)
             ON CONFLICT (community_id) DO UPDATE SET
                 taken_at = excluded.taken_at, day_ends_at = excluded.day_ends_at,
                 utc_offset_minutes = excluded.utc_offset_minutes, figures = excluded.figures,
                 granted = CASE WHEN excluded.taken_at >= kept_figures.grants_read_at
                                THEN excluded.granted ELSE kept_figures.granted END,
                 grants_read_at = CASE WHEN excluded.taken_at >= kept_figures.grants_read_at
                                       THEN excluded.taken_at
                                       ELSE kept_figures.grants_read_at END
             WHERE excluded.taken_at >= kept_figures.taken_at",
        )
        .bind(k.community_id)
        .bind(k.taken_at)
        .bind(k.day_ends_at)
        .bind(k.utc_offset_minutes)
        .bind(figures)
        .bind(granted)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// A community's live grants as read at `read_at`, into its kept figures (if any: without,
/// the street's next read takes both). Grants read earlier than those kept change nothing.
pub async fn keep_grants(
    catalog: &Catalog,
    community_id: i64,
    granted: &[GrantedList],
    read_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let granted = serde_json::to_string(granted).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sql::query(
        // Numbered throughout: sqlx's SQLite driver numbers a bare `?` by its own count,
        // which a `?2` in the same statement puts out of step with SQLite's.
        "UPDATE kept_figures SET granted = ?1, grants_read_at = ?2
         WHERE community_id = ?3 AND grants_read_at <= ?2",
    )
    .bind(granted)
    .bind(read_at)
    .bind(community_id)
    .execute(catalog.0.writer())
    .await?;
    Ok(())
}

/// The figures kept for the communities of a street, in one read.
pub async fn kept_figures_of_street(
    catalog: &Catalog,
    street_id: i64,
) -> Result<Vec<KeptFigures>, sqlx::Error> {
    let rows: Vec<KeptRow> = sql::query_as(
        "SELECT k.community_id, k.taken_at, k.day_ends_at, k.utc_offset_minutes,
                k.figures, k.granted
         FROM kept_figures k JOIN communities c ON c.id = k.community_id
         WHERE c.street_id = ?",
    )
    .bind(street_id)
    .fetch_all(catalog.0.reader())
    .await?;
    Ok(rows.into_iter().filter_map(KeptRow::decode).collect())
}
