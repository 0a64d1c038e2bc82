//! A community's grants of personal data to its street's staff, in the community's own
//! database (the grant is the community's decision, kept with the data it opens).

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::personal::Phone;
use shouwang_api::residents::Address;
use shouwang_api::street_access::{GrantScope, GrantedList, StreetGrant, ValidGrant};
use sqlx::FromRow;

pub async fn insert(
    tx: &mut Tx,
    grant: &ValidGrant,
    by: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO street_grants (scope, purpose, granted_by, granted_at, expires_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(grant.scope)
    .bind(&grant.purpose)
    .bind(by)
    .bind(now)
    .bind(now + chrono::Duration::days(i64::from(grant.days)))
    .fetch_one(&mut **tx)
    .await
}

/// Ends a grant that is still live; false when there is none of that id, or it has
/// already ended (revoked or expired), so a second tap changes nothing.
pub async fn revoke(
    tx: &mut Tx,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sql::query(
        "UPDATE street_grants SET revoked_by = ?, revoked_at = ?
         WHERE id = ? AND revoked_at IS NULL AND expires_at > ?",
    )
    .bind(by)
    .bind(now)
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(FromRow)]
struct GrantRow {
    id: i64,
    scope: GrantScope,
    purpose: String,
    granted_at: DateTime<Utc>,
    granted_by: String,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    revoked_by: Option<String>,
}

/// Every grant, newest first (the admin's page: the live ones and the history).
pub async fn list(db: &Db, now: DateTime<Utc>) -> Result<Vec<StreetGrant>, sqlx::Error> {
    let rows: Vec<GrantRow> = sql::query_as(
        "SELECT g.id, g.scope, g.purpose, g.granted_at, gu.display_name AS granted_by,
                g.expires_at, g.revoked_at, ru.display_name AS revoked_by
         FROM street_grants g JOIN users gu ON gu.id = g.granted_by
         LEFT JOIN users ru ON ru.id = g.revoked_by
         ORDER BY g.granted_at DESC, g.id DESC LIMIT 100",
    )
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StreetGrant {
            live: r.revoked_at.is_none() && r.expires_at > now,
            id: r.id,
            scope: r.scope,
            purpose: r.purpose,
            granted_at: r.granted_at,
            granted_by: r.granted_by,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
            revoked_by: r.revoked_by,
        })
        .collect())
}

/// The live grants, one per scope (the one lasting longest).
pub async fn live(db: &Db, now: DateTime<Utc>) -> Result<Vec<GrantedList>, sqlx::Error> {
    let rows: Vec<(GrantScope, String, DateTime<Utc>)> = sql::query_as(
        "SELECT g.scope, g.purpose, g.expires_at FROM street_grants g
         WHERE g.revoked_at IS NULL AND g.expires_at > ?1
           AND NOT EXISTS (SELECT 1 FROM street_grants o
                           WHERE o.scope = g.scope AND o.revoked_at IS NULL
                             AND (o.expires_at > g.expires_at
                                  OR (o.expires_at = g.expires_at AND o.id > g.id)))
         ORDER BY g.scope",
    )
    .bind(now)
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(scope, purpose, expires_at)| GrantedList {
            scope,
            purpose,
            expires_at,
        })
        .collect())
}

/// The live grant of one scope, if any.
pub async fn live_of(
    db: &Db,
    scope: GrantScope,
    now: DateTime<Utc>,
) -> Result<Option<GrantedList>, sqlx::Error> {
    Ok(live(db, now).await?.into_iter().find(|g| g.scope == scope))
}

#[derive(FromRow)]
struct ContactRow {
    phone: Option<Phone>,
    grid_id: i64,
    grid: String,
    building_id: i64,
    building: String,
    unit: String,
    room_id: i64,
    room: String,
}

/// A person's phone and where they live, for the record the street opens.
pub async fn contact_of_member(
    tx: &mut Tx,
    member_id: i64,
) -> Result<Option<(Option<Phone>, Address)>, sqlx::Error> {
    let row: Option<ContactRow> = sql::query_as(
        "SELECT m.phone, h.grid_id, g.name AS grid, b.id AS building_id, b.name AS building,
                u.name AS unit, r.id AS room_id, r.name AS room
         FROM members m JOIN households h ON h.id = m.household_id
         JOIN rooms r ON r.id = h.room_id JOIN units u ON u.id = r.unit_id
         JOIN buildings b ON b.id = h.building_id JOIN grids g ON g.id = h.grid_id
         WHERE m.id = ?",
    )
    .bind(member_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| {
        (
            r.phone,
            Address {
                grid_id: r.grid_id,
                grid: r.grid,
                building_id: r.building_id,
                building: r.building,
                unit: r.unit,
                room_id: r.room_id,
                room: r.room,
            },
        )
    }))
}
