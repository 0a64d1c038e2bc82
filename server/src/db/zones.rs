//! Building zones: the zone now (`buildings.zone`) and every period (`building_zones`).
//! Staff queries take a [`Scope`] and filter by it in SQL.

use super::scope::{self, BindScope, Scope};
use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::zones::{BuildingZone, UpcomingZone, ValidZoneChange, Zone, ZonePeriod};
use sqlx::FromRow;

/// A `scheduled_zones` row still waiting for its start.
const WAITING: &str = "applied_period IS NULL AND replaced_at IS NULL";
/// [`WAITING`] for `scheduled_zones s`.
const S_WAITING: &str = "s.applied_period IS NULL AND s.replaced_at IS NULL";

/// The building's name, when it exists, is active and is in scope (else 404).
pub async fn building_in_scope(
    tx: &mut Tx,
    id: i64,
    scope: Scope,
) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar(&format!(
        "SELECT b.name FROM buildings b WHERE b.id = ?3 AND b.retired_at IS NULL AND {}",
        Scope::filter("b.grid_id")
    ))
    .bind_scope(scope)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Ends the building's open period, sets the new one, and the zone now; one transaction.
pub async fn change(
    tx: &mut Tx,
    building_id: i64,
    change: &ValidZoneChange,
    set_by: i64,
    notice_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query("UPDATE building_zones SET ended_at = ? WHERE building_id = ? AND ended_at IS NULL")
        .bind(change.starts_at)
        .bind(building_id)
        .execute(&mut **tx)
        .await?;
    let id = sql::query_scalar::<i64>(
        "INSERT INTO building_zones (building_id, zone, starts_at, planned_end, reason, set_by, created_at,
                                     notice_id, internal_note, contact_name, contact_phone)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(building_id)
    .bind(change.zone)
    .bind(change.starts_at)
    .bind(change.planned_end)
    .bind(&change.reason)
    .bind(set_by)
    .bind(now)
    .bind(notice_id)
    .bind(&change.internal_note)
    .bind(&change.contact_name)
    .bind(&change.contact_phone)
    .fetch_one(&mut **tx)
    .await?;
    sql::query("UPDATE buildings SET zone = ?, zone_since = ? WHERE id = ?")
        .bind(change.zone)
        .bind(change.starts_at)
        .bind(building_id)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Replaces the change announced for the building that has not started yet, if any: a
/// new decision for the building supersedes it. Returns its id and its notice.
pub async fn replace_waiting(
    tx: &mut Tx,
    building_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sql::query_as(&format!(
        "UPDATE scheduled_zones SET replaced_at = ? WHERE building_id = ? AND {WAITING} RETURNING id, notice_id"
    ))
    .bind(now)
    .bind(building_id)
    .fetch_optional(&mut **tx)
    .await
}

/// The building's latest decision: the change announced and waiting, else the period
/// in force. What a new decision is compared with, and whose notice it replaces.
#[derive(Debug, FromRow)]
pub struct LatestDecision {
    zone: Zone,
    pub starts_at: DateTime<Utc>,
    pub planned_end: Option<DateTime<Utc>>,
    pub reason: String,
    pub notice_id: Option<i64>,
    pub waiting: bool,
}

impl LatestDecision {
    pub fn zone(&self) -> Zone {
        self.zone
    }
}

pub async fn latest_decision(
    tx: &mut Tx,
    building_id: i64,
) -> Result<Option<LatestDecision>, sqlx::Error> {
    sql::query_as::<LatestDecision>(&format!(
        "SELECT zone, starts_at, planned_end, reason, notice_id, TRUE AS waiting FROM scheduled_zones
         WHERE building_id = ?1 AND {WAITING}
         UNION ALL
         SELECT zone, starts_at, planned_end, reason, notice_id, FALSE AS waiting FROM building_zones
         WHERE building_id = ?1 AND ended_at IS NULL
         ORDER BY waiting DESC LIMIT 1"
    ))
    .bind(building_id)
    .fetch_optional(&mut **tx)
    .await
}

/// The notice of the building's period in force, if it announced one.
pub async fn current_notice(tx: &mut Tx, building_id: i64) -> Result<Option<i64>, sqlx::Error> {
    Ok(sql::query_scalar::<Option<i64>>(
        "SELECT notice_id FROM building_zones WHERE building_id = ? AND ended_at IS NULL",
    )
    .bind(building_id)
    .fetch_optional(&mut **tx)
    .await?
    .flatten())
}

/// The names of the people registered in the building: a public reason must not carry
/// them.
pub async fn resident_names(tx: &mut Tx, building_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sql::query_scalar(
        "SELECT DISTINCT m.name FROM members m JOIN households h ON h.id = m.household_id
         WHERE h.building_id = ?",
    )
    .bind(building_id)
    .fetch_all(&mut **tx)
    .await
}

/// Keeps a change announced ahead of its start until housekeeping applies it.
pub async fn schedule(
    tx: &mut Tx,
    building_id: i64,
    change: &ValidZoneChange,
    set_by: i64,
    notice_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>(
        "INSERT INTO scheduled_zones (building_id, zone, starts_at, planned_end, reason, set_by, created_at,
                                      notice_id, internal_note, contact_name, contact_phone)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(building_id)
    .bind(change.zone)
    .bind(change.starts_at)
    .bind(change.planned_end)
    .bind(&change.reason)
    .bind(set_by)
    .bind(now)
    .bind(notice_id)
    .bind(&change.internal_note)
    .bind(&change.contact_name)
    .bind(&change.contact_phone)
    .fetch_one(&mut **tx)
    .await
}

/// An announced change whose start has come.
#[derive(FromRow)]
pub struct DueChange {
    pub id: i64,
    pub building_id: i64,
    zone: Zone,
    starts_at: DateTime<Utc>,
    planned_end: Option<DateTime<Utc>>,
    reason: String,
    internal_note: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    pub set_by: i64,
    pub notice_id: i64,
}

impl DueChange {
    pub fn change(&self) -> ValidZoneChange {
        ValidZoneChange {
            zone: self.zone,
            starts_at: self.starts_at,
            planned_end: self.planned_end,
            reason: self.reason.clone(),
            internal_note: self.internal_note.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
        }
    }
}

/// Announced changes of active buildings whose start is at or before `now`, oldest first.
pub async fn due(db: &Db, now: DateTime<Utc>) -> Result<Vec<DueChange>, sqlx::Error> {
    sql::query_as::<DueChange>(&format!(
        "SELECT s.id, s.building_id, s.zone, s.starts_at, s.planned_end, s.reason, s.internal_note,
                s.contact_name, s.contact_phone, s.set_by, s.notice_id
         FROM scheduled_zones s JOIN buildings b ON b.id = s.building_id AND b.retired_at IS NULL
         WHERE {S_WAITING} AND s.starts_at <= ? ORDER BY s.starts_at"
    ))
    .bind(now)
    .fetch_all(db.reader())
    .await
}

/// Records that the announced change became history period `period`; false when it was
/// replaced or applied meanwhile.
pub async fn mark_applied(tx: &mut Tx, id: i64, period: i64) -> Result<bool, sqlx::Error> {
    let done = sql::query(&format!(
        "UPDATE scheduled_zones SET applied_period = ? WHERE id = ? AND {WAITING}"
    ))
    .bind(period)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(FromRow)]
struct WaitingRow {
    id: i64,
    zone: Zone,
    starts_at: DateTime<Utc>,
    planned_end: Option<DateTime<Utc>>,
    reason: String,
    internal_note: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    set_by_name: String,
    notice_id: i64,
}

/// The change announced for the building that has not started yet.
async fn waiting(db: &Db, building_id: i64) -> Result<Option<ZonePeriod>, sqlx::Error> {
    let Some(r) = sql::query_as::<WaitingRow>(&format!(
        "SELECT s.id, s.zone, s.starts_at, s.planned_end, s.reason, s.internal_note, s.contact_name,
                s.contact_phone, u.display_name AS set_by_name, s.notice_id
         FROM scheduled_zones s JOIN users u ON u.id = s.set_by
         WHERE s.building_id = ? AND {S_WAITING}"
    ))
    .bind(building_id)
    .fetch_optional(db.reader())
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(ZonePeriod {
        id: r.id,
        zone: r.zone,
        starts_at: r.starts_at,
        planned_end: r.planned_end,
        ended_at: None,
        reason: r.reason,
        internal_note: r.internal_note,
        contact_name: r.contact_name,
        contact_phone: r.contact_phone,
        set_by_name: r.set_by_name,
        notice_id: Some(r.notice_id),
        pending: true,
    }))
}

#[derive(FromRow)]
struct BuildingRow {
    building_id: i64,
    building_name: String,
    grid_id: i64,
    grid_name: String,
    zone: Zone,
    zone_since: Option<DateTime<Utc>>,
    planned_end: Option<DateTime<Utc>>,
}

/// One page of the buildings in scope with their zone, sealed first.
pub async fn list(
    db: &Db,
    scope: Scope,
    zone: Option<Zone>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<BuildingZone>, u64), sqlx::Error> {
    let zone_filter = super::optional_filter(zone.is_some(), "b.zone", 3);
    let from = format!(
        "FROM buildings b JOIN grids g ON g.id = b.grid_id
         WHERE b.retired_at IS NULL AND {}{zone_filter}",
        Scope::filter("b.grid_id")
    );
    let rows = sql::query(&format!(
        "SELECT b.id, b.id AS building_id, b.name AS building_name, g.id AS grid_id, g.name AS grid_name,
                b.zone, b.zone_since,
                (SELECT planned_end FROM building_zones z WHERE z.building_id = b.id AND z.ended_at IS NULL)
                    AS planned_end
         {from}
         ORDER BY CASE b.zone WHEN 'sealed' THEN 0 WHEN 'controlled' THEN 1 ELSE 2 END, g.name, b.name
         LIMIT ?4 OFFSET ?5"
    ))
    .bind_scope(scope)
    .bind(zone)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let rows: Vec<BuildingRow> = super::decode_rows("buildings", rows)?;
    let total: i64 = sql::query_scalar(&format!("SELECT COUNT(*) {from}"))
        .bind_scope(scope)
        .bind(zone)
        .fetch_one(db.reader())
        .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(BuildingZone {
                building_id: r.building_id,
                building_name: r.building_name,
                grid_id: r.grid_id,
                grid_name: r.grid_name,
                zone: r.zone,
                zone_since: r.zone_since,
                planned_end: r.planned_end,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

#[derive(FromRow)]
struct PeriodRow {
    id: i64,
    zone: Zone,
    starts_at: DateTime<Utc>,
    planned_end: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    reason: String,
    internal_note: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    set_by_name: String,
    notice_id: Option<i64>,
}

/// Every period of one building, newest first, after the change announced for it that
/// has not started yet (marked `pending`).
pub async fn history(db: &Db, building_id: i64) -> Result<Vec<ZonePeriod>, sqlx::Error> {
    let upcoming = waiting(db, building_id).await?;
    let rows = sql::query(
        "SELECT z.id, z.zone, z.starts_at, z.planned_end, z.ended_at, z.reason, z.internal_note,
                z.contact_name, z.contact_phone, u.display_name AS set_by_name, z.notice_id
         FROM building_zones z JOIN users u ON u.id = z.set_by
         WHERE z.building_id = ? ORDER BY z.starts_at DESC, z.id DESC",
    )
    .bind(building_id)
    .fetch_all(db.reader())
    .await?;
    let periods = super::decode_rows::<PeriodRow>("building_zones", rows)?
        .into_iter()
        .map(|r| ZonePeriod {
            id: r.id,
            zone: r.zone,
            starts_at: r.starts_at,
            planned_end: r.planned_end,
            ended_at: r.ended_at,
            reason: r.reason,
            internal_note: r.internal_note,
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            set_by_name: r.set_by_name,
            notice_id: r.notice_id,
            pending: false,
        });
    Ok(upcoming.into_iter().chain(periods).collect())
}

/// What a resident's home page needs about their building.
#[derive(Debug, FromRow)]
pub struct HomeZone {
    pub building_name: String,
    pub zone: Zone,
    pub zone_since: Option<DateTime<Utc>>,
    pub planned_end: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub zone_contact_name: Option<String>,
    pub zone_contact_phone: Option<String>,
    pub head_name: Option<String>,
    pub head_phone: Option<String>,
    pub worker_name: Option<String>,
    pub worker_username: Option<String>,
    upcoming_zone: Option<Zone>,
    upcoming_starts_at: Option<DateTime<Utc>>,
    upcoming_reason: Option<String>,
}

impl HomeZone {
    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// The change announced for the building that has not started yet.
    pub fn upcoming(&self) -> Option<UpcomingZone> {
        let (Some(zone), Some(starts_at)) = (self.upcoming_zone, self.upcoming_starts_at) else {
            return None;
        };
        Some(UpcomingZone {
            zone,
            starts_at,
            reason: self.upcoming_reason.clone().unwrap_or_default(),
        })
    }
}

/// The building of the caller's household (an account's one household).
pub async fn of_account(db: &Db, user_id: i64) -> Result<Option<HomeZone>, sqlx::Error> {
    sql::query_as::<HomeZone>(&format!(
        "SELECT b.name AS building_name, b.zone, b.zone_since, z.planned_end, z.reason,
                z.contact_name AS zone_contact_name, z.contact_phone AS zone_contact_phone,
                b.head_name, b.head_phone, w.display_name AS worker_name, w.username AS worker_username,
                s.zone AS upcoming_zone, s.starts_at AS upcoming_starts_at, s.reason AS upcoming_reason
         FROM household_accounts ha
         JOIN households h ON h.id = ha.household_id
         JOIN buildings b ON b.id = h.building_id
         LEFT JOIN building_zones z ON z.building_id = b.id AND z.ended_at IS NULL
         LEFT JOIN scheduled_zones s ON s.building_id = b.id AND {S_WAITING}
         LEFT JOIN users w ON w.id = {}
         WHERE ha.user_id = ?",
        scope::first_worker_of("h.grid_id")
    ))
    .bind(user_id)
    .fetch_optional(db.reader())
    .await
}
