//! Read receipts for important notices. Staff queries take a [`Scope`] and filter by it
//! in SQL, as the residents' ledger does: a staff member counts and follows up only the
//! households of the grids they work.

use super::scope::{BindScope, Scope};
use super::sql;
use super::sql::QueryBuilder;
use super::{Db, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::notices::NoticeStatus;
use shouwang_api::receipts::{BuildingReceipts, ReceiptMethod, ReceiptNotice};
use shouwang_api::residents::SpecialGroup;
use sqlx::FromRow;

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Asks for receipts (every building when `buildings` is empty), replacing what was asked.
pub async fn require(
    tx: &mut Tx,
    notice_id: i64,
    required_by: i64,
    buildings: &[i64],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO receipt_notices (notice_id, all_buildings, required_by, created_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (notice_id) DO UPDATE SET all_buildings = excluded.all_buildings",
    )
    .bind(notice_id)
    .bind(buildings.is_empty())
    .bind(required_by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sql::query("DELETE FROM receipt_buildings WHERE notice_id = ?")
        .bind(notice_id)
        .execute(&mut **tx)
        .await?;
    add_buildings(tx, notice_id, buildings).await
}

/// Adds buildings to a notice that asks only some (a debunk reaching more askers).
pub async fn add_buildings(
    tx: &mut Tx,
    notice_id: i64,
    buildings: &[i64],
) -> Result<(), sqlx::Error> {
    for building in buildings {
        sql::query(
            "INSERT INTO receipt_buildings (notice_id, building_id) VALUES (?, ?)
             ON CONFLICT DO NOTHING",
        )
        .bind(notice_id)
        .bind(building)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Stops asking for receipts; those given stay on record. False when none were asked.
pub async fn unrequire(tx: &mut Tx, notice_id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sql::query("DELETE FROM receipt_notices WHERE notice_id = ?")
            .bind(notice_id)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            > 0,
    )
}

/// How many of `ids` are buildings in use.
pub async fn existing_buildings(tx: &mut Tx, ids: &[i64]) -> Result<usize, sqlx::Error> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut b =
        QueryBuilder::new("SELECT COUNT(*) FROM buildings WHERE retired_at IS NULL AND id IN (");
    let mut list = b.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    b.push(")");
    let n: i64 = b.build_query_scalar().fetch_one(&mut **tx).await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Whether the notice asks for receipts, and if so whether from every building.
pub async fn requirement(db: &Db, notice_id: i64) -> Result<Option<bool>, sqlx::Error> {
    sql::query_scalar("SELECT all_buildings FROM receipt_notices WHERE notice_id = ?")
        .bind(notice_id)
        .fetch_optional(db.reader())
        .await
}

/// Whether the notice asks this building for receipts.
pub async fn asks(db: &Db, notice_id: i64, building_id: i64) -> Result<bool, sqlx::Error> {
    sql::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM receipt_notices rn WHERE rn.notice_id = ?1 AND (rn.all_buildings
             OR EXISTS (SELECT 1 FROM receipt_buildings rb WHERE rb.notice_id = ?1 AND rb.building_id = ?2)))",
    )
    .bind(notice_id)
    .bind(building_id)
    .fetch_one(db.reader())
    .await
}

/// The account's active household and its building.
pub async fn household_of(db: &Db, user_id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sql::query_as(
        "SELECT h.id, h.building_id FROM household_accounts ha JOIN households h ON h.id = ha.household_id
         WHERE ha.user_id = ? AND h.state = 'active'",
    )
    .bind(user_id)
    .fetch_optional(db.reader())
    .await
}

/// The household's receipt of a notice: when, and how.
pub async fn receipt_of(
    db: &Db,
    notice_id: i64,
    household_id: i64,
) -> Result<Option<(DateTime<Utc>, ReceiptMethod)>, sqlx::Error> {
    sql::query_as("SELECT at, method FROM receipts WHERE notice_id = ? AND household_id = ?")
        .bind(notice_id)
        .bind(household_id)
        .fetch_optional(db.reader())
        .await
}

pub struct NewReceipt<'a> {
    pub notice_id: i64,
    pub household_id: i64,
    pub building_id: i64,
    pub method: ReceiptMethod,
    pub recorded_by: i64,
    pub note: Option<&'a str>,
}

/// Records a receipt; false when the household had already acknowledged.
pub async fn insert(
    tx: &mut Tx,
    r: NewReceipt<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(sql::query(
        "INSERT INTO receipts (notice_id, household_id, building_id, method, recorded_by, note, at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(r.notice_id)
    .bind(r.household_id)
    .bind(r.building_id)
    .bind(r.method)
    .bind(r.recorded_by)
    .bind(r.note)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// The building of an active household in the caller's grids.
pub async fn household_in_scope(
    tx: &mut Tx,
    scope: Scope,
    household_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar(&format!(
        "SELECT building_id FROM households WHERE id = ?3 AND state = 'active' AND {}",
        Scope::filter("grid_id")
    ))
    .bind_scope(scope)
    .bind(household_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Whether a building in use is in the caller's grids.
pub async fn building_in_scope(
    db: &Db,
    scope: Scope,
    building_id: i64,
) -> Result<bool, sqlx::Error> {
    sql::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM buildings WHERE id = ?3 AND retired_at IS NULL AND {})",
        Scope::filter("grid_id")
    ))
    .bind_scope(scope)
    .bind(building_id)
    .fetch_one(db.reader())
    .await
}

/// The households a notice asks, in the caller's grids (`h` is the household).
fn asked() -> String {
    format!(
        "h.state = 'active' AND {}
    AND (rn.all_buildings OR h.building_id IN
         (SELECT building_id FROM receipt_buildings rb WHERE rb.notice_id = rn.notice_id))",
        Scope::filter("h.grid_id")
    )
}

#[derive(FromRow)]
struct NoticeRow {
    notice_id: i64,
    title: String,
    status: NoticeStatus,
    all_buildings: bool,
    households: i64,
    acknowledged: i64,
    required_at: DateTime<Utc>,
}

/// Notices that ask for receipts, newest first, with the caller's grids' progress.
pub async fn notices(
    db: &Db,
    scope: Scope,
    limit: u32,
    offset: u64,
) -> Result<(Vec<ReceiptNotice>, u64), sqlx::Error> {
    let asked = asked();
    let sql = format!(
        "SELECT rn.notice_id, n.title, n.status, rn.all_buildings, rn.created_at AS required_at,
            (SELECT COUNT(*) FROM households h WHERE {asked}) AS households,
            (SELECT COUNT(*) FROM receipts r JOIN households h ON h.id = r.household_id
              WHERE r.notice_id = rn.notice_id AND {asked}) AS acknowledged
         FROM receipt_notices rn JOIN notices n ON n.id = rn.notice_id
         ORDER BY rn.created_at DESC, rn.notice_id DESC LIMIT ?3 OFFSET ?4"
    );
    let rows = sql::query_as::<NoticeRow>(&sql)
        .bind_scope(scope)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(db.reader())
        .await?;
    let total: i64 = sql::query_scalar("SELECT COUNT(*) FROM receipt_notices")
        .fetch_one(db.reader())
        .await?;
    let items = rows
        .into_iter()
        .map(|r| ReceiptNotice {
            notice_id: r.notice_id,
            title: r.title,
            status: r.status,
            all_buildings: r.all_buildings,
            households: count(r.households),
            acknowledged: count(r.acknowledged),
            required_at: r.required_at,
        })
        .collect();
    Ok((items, count(total)))
}

#[derive(FromRow)]
struct BuildingRow {
    building_id: i64,
    building: String,
    grid: String,
    households: i64,
    acknowledged: i64,
}

/// Each asked building of the caller's grids: its households and how many acknowledged.
pub async fn buildings(
    db: &Db,
    scope: Scope,
    notice_id: i64,
) -> Result<Vec<BuildingReceipts>, sqlx::Error> {
    let rows = sql::query_as::<BuildingRow>(&format!(
        "SELECT b.id AS building_id, b.name AS building, g.name AS grid,
            (SELECT COUNT(*) FROM households h WHERE h.building_id = b.id AND h.state = 'active') AS households,
            (SELECT COUNT(*) FROM receipts r JOIN households h ON h.id = r.household_id
              WHERE r.notice_id = ?3 AND r.building_id = b.id AND h.state = 'active') AS acknowledged
         FROM receipt_notices rn CROSS JOIN buildings b JOIN grids g ON g.id = b.grid_id
         WHERE rn.notice_id = ?3 AND b.retired_at IS NULL AND {}
           AND (rn.all_buildings OR b.id IN (SELECT building_id FROM receipt_buildings rb WHERE rb.notice_id = ?3))
         ORDER BY g.id, b.id LIMIT 1000",
        Scope::filter("b.grid_id")
    ))
    .bind_scope(scope)
    .bind(notice_id)
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| BuildingReceipts {
            building_id: r.building_id,
            building: r.building,
            grid: r.grid,
            households: count(r.households),
            acknowledged: count(r.acknowledged),
        })
        .collect())
}

#[derive(FromRow)]
struct FollowUpRow {
    household_id: i64,
    unit: String,
    room: String,
    head_name: String,
    head_phone: Option<String>,
    member_count: i64,
    groups: Option<String>,
    last_visit_on: Option<NaiveDate>,
}

/// A household to visit for a receipt, as stored: the head's phone in full.
#[derive(Debug)]
pub struct StoredFollowUp {
    pub household_id: i64,
    pub unit: String,
    pub room: String,
    pub head_name: String,
    pub head_phone: Option<String>,
    pub member_count: u32,
    pub groups: Vec<SpecialGroup>,
    pub last_visit_on: Option<NaiveDate>,
}

/// The households of one building (in the caller's grids) without a receipt: those with
/// an elderly person living alone first, then any special group, then those without a
/// phone, then by unit and room. Stored, with phones in full: only
/// `domain::receipts::follow_up_view` makes the reply.
pub async fn follow_up(
    db: &Db,
    scope: Scope,
    notice_id: i64,
    building_id: i64,
    limit: u32,
    offset: u64,
) -> Result<(Vec<StoredFollowUp>, u64), sqlx::Error> {
    let pending = format!(
        "h.building_id = ?3 AND h.state = 'active' AND {}
           AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.notice_id = ?4 AND r.household_id = h.id)",
        Scope::filter("h.grid_id")
    );
    let sql = format!(
        "SELECT h.id AS household_id, u.name AS unit, rm.name AS room, h.head_name, h.head_phone,
            h.member_count, h.last_visit_on,
            (SELECT group_concat(DISTINCT grp) FROM member_groups mg WHERE mg.household_id = h.id) AS groups
         FROM households h JOIN rooms rm ON rm.id = h.room_id JOIN units u ON u.id = h.unit_id
         WHERE {pending}
         ORDER BY EXISTS (SELECT 1 FROM member_groups e WHERE e.grp = 'elderly_alone' AND e.household_id = h.id) DESC,
                  EXISTS (SELECT 1 FROM member_groups a WHERE a.household_id = h.id) DESC,
                  h.head_phone IS NULL DESC, h.unit_id, length(rm.name), rm.name
         LIMIT ?5 OFFSET ?6"
    );
    let rows = sql::query_as::<FollowUpRow>(&sql)
        .bind_scope(scope)
        .bind(building_id)
        .bind(notice_id)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(db.reader())
        .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM households h WHERE {pending}"
    ))
    .bind_scope(scope)
    .bind(building_id)
    .bind(notice_id)
    .fetch_one(db.reader())
    .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(StoredFollowUp {
                household_id: r.household_id,
                unit: r.unit,
                room: r.room,
                head_name: r.head_name,
                head_phone: r.head_phone,
                member_count: u32::try_from(r.member_count).unwrap_or(0),
                groups: super::split_list(r.groups.as_deref(), SpecialGroup::parse)?,
                last_visit_on: r.last_visit_on,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((items, count(total)))
}

/// For each of these submissions: the building it names, and its submitter's household's
/// building.
pub async fn asker_places(
    tx: &mut Tx,
    submission_ids: &[i64],
) -> Result<Vec<(Option<i64>, Option<i64>)>, sqlx::Error> {
    let mut places = Vec::with_capacity(submission_ids.len());
    for id in submission_ids {
        let place: Option<(Option<i64>, Option<i64>)> = sql::query_as(
            "SELECT s.building_id, h.building_id FROM submissions s
             LEFT JOIN household_accounts ha ON ha.user_id = s.submitter_id
             LEFT JOIN households h ON h.id = ha.household_id AND h.state = 'active'
             WHERE s.id = ?",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        places.extend(place);
    }
    Ok(places)
}

/// Every resident account of an active household in one of these buildings.
pub async fn resident_accounts_in(tx: &mut Tx, buildings: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
    let mut accounts = Vec::new();
    for building in buildings {
        let ids: Vec<i64> = sql::query_scalar(
            "SELECT ha.user_id FROM households h JOIN household_accounts ha ON ha.household_id = h.id
             WHERE h.building_id = ? AND h.state = 'active' ORDER BY ha.user_id",
        )
        .bind(building)
        .fetch_all(&mut **tx)
        .await?;
        accounts.extend(ids);
    }
    Ok(accounts)
}
