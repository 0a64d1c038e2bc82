//! The audit trail: who did what to which record, and when.

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::audit::AuditEntry;
use sqlx::FromRow;

/// One thing to record. `detail` must never hold a secret or a person's data: ids,
/// counts and field names only.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub target_type: Option<&'a str>,
    pub target_id: Option<i64>,
    pub detail: Option<serde_json::Value>,
    /// A street's staff member (an operator of the deployment, not an account here):
    /// their id in the catalog and their name at the time.
    pub operator: Option<(i64, &'a str)>,
}

impl<'a> Entry<'a> {
    pub fn new(actor_id: Option<i64>, action: &'a str) -> Self {
        Entry {
            actor_id,
            action,
            target_type: None,
            target_id: None,
            detail: None,
            operator: None,
        }
    }

    pub fn target(mut self, target_type: &'a str, target_id: i64) -> Self {
        self.target_type = Some(target_type);
        self.target_id = Some(target_id);
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail);
        self
    }

    /// An entry of a street's staff member, who has no account in the community.
    pub fn by_operator(action: &'a str, operator_id: i64, operator_name: &'a str) -> Self {
        Entry {
            operator: Some((operator_id, operator_name)),
            ..Entry::new(None, action)
        }
    }
}

pub async fn record(tx: &mut Tx, entry: Entry<'_>, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO audit_log (at, actor_id, action, target_type, target_id, detail, operator_id,
             operator_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(now)
    .bind(entry.actor_id)
    .bind(entry.action)
    .bind(entry.target_type)
    .bind(entry.target_id)
    .bind(entry.detail.map(|d| d.to_string()))
    .bind(entry.operator.map(|o| o.0))
    .bind(entry.operator.map(|o| o.1))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// For events that change nothing else (a sign-in, a refused sign-in).
pub async fn record_alone(
    db: &Db,
    entry: Entry<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    record(&mut tx, entry, now).await?;
    tx.commit().await
}

#[derive(Debug, FromRow)]
struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    actor_name: Option<String>,
    actor_role: Option<String>,
    by_street_staff: bool,
    action: String,
    target_type: Option<String>,
    target_id: Option<i64>,
    detail: Option<String>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            actor_role: r.actor_role.and_then(|role| role.parse().ok()),
            by_street_staff: r.by_street_staff,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            detail: r.detail.and_then(|d| serde_json::from_str(&d).ok()),
        }
    }
}

pub async fn list(db: &Db, limit: u32, offset: u64) -> Result<(Vec<AuditEntry>, u64), sqlx::Error> {
    let rows = sql::query_as::<AuditRow>(
        "SELECT a.id, a.at, a.actor_id, COALESCE(u.display_name, a.operator_name) AS actor_name,
                u.role AS actor_role, a.operator_id IS NOT NULL AS by_street_staff, a.action, a.target_type, a.target_id, a.detail
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
         ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?",
    )
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(db.reader())
        .await?;
    Ok((
        rows.into_iter().map(AuditEntry::from).collect(),
        u64::try_from(total).unwrap_or(0),
    ))
}
