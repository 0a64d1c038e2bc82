//! Medicine runs (代配药): the lines, the items in custody and the bag photo of a supply
//! request. Staff lists take a [`Scope`] through the request's grid.

use super::scope::{BindScope, Scope};
use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::medicine::{
    Arrival, CustodyItemKind, CustodyMarks, ValidArrival, ValidMedicineRequest,
};
use shouwang_api::supplies::RequestState;
use sqlx::FromRow;

fn offset(skip: u64) -> i64 {
    i64::try_from(skip).unwrap_or(i64::MAX)
}

/// Stores what a new medicine request needs, beside its supply request `request_id`.
pub async fn insert(
    tx: &mut Tx,
    request_id: i64,
    request: &ValidMedicineRequest,
) -> Result<(), sqlx::Error> {
    sql::query("INSERT INTO medicine_requests (request_id, hospital) VALUES (?, ?)")
        .bind(request_id)
        .bind(&request.hospital)
        .execute(&mut **tx)
        .await?;
    for (position, line) in (0_i64..).zip(&request.lines) {
        sql::query(
            "INSERT INTO medicine_lines (request_id, position, drug, dose, quantity)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(request_id)
        .bind(position)
        .bind(&line.drug)
        .bind(&line.dose)
        .bind(&line.quantity)
        .execute(&mut **tx)
        .await?;
    }
    for kind in &request.handed_over {
        sql::query("INSERT INTO custody_items (request_id, kind) VALUES (?, ?)")
            .bind(request_id)
            .bind(*kind)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The run's own record, without the request's.
#[derive(Debug, FromRow)]
pub struct StoredRun {
    pub request_id: i64,
    pub state: RequestState,
    pub volunteer_id: Option<i64>,
    pub hospital: String,
    pub arrival_checked_at: Option<DateTime<Utc>>,
    pub arrival_note: Option<String>,
    pub bag_photo_at: Option<DateTime<Utc>>,
    pub bag_photo_width: Option<i64>,
    pub bag_photo_height: Option<i64>,
    #[sqlx(skip)]
    pub lines: Vec<StoredLine>,
    #[sqlx(skip)]
    pub items: Vec<StoredItem>,
}

#[derive(Debug, FromRow)]
pub struct StoredLine {
    pub id: i64,
    pub drug: String,
    pub dose: Option<String>,
    pub quantity: String,
    pub arrival: Option<Arrival>,
}

/// One item in custody as stored.
#[derive(Debug, Clone, FromRow)]
pub struct StoredItem {
    pub id: i64,
    pub kind: CustodyItemKind,
    pub holder_id: Option<i64>,
    pub holder_name: Option<String>,
    pub volunteer_took_at: Option<DateTime<Utc>>,
    pub resident_gave_at: Option<DateTime<Utc>>,
    pub volunteer_returned_at: Option<DateTime<Utc>>,
    pub resident_got_back_at: Option<DateTime<Utc>>,
}

impl StoredItem {
    pub fn marks(&self) -> CustodyMarks {
        CustodyMarks {
            volunteer_took_at: self.volunteer_took_at,
            resident_gave_at: self.resident_gave_at,
            volunteer_returned_at: self.volunteer_returned_at,
            resident_got_back_at: self.resident_got_back_at,
        }
    }
}

const ITEM_COLUMNS: &str = "c.id, c.kind, c.holder_id, u.display_name AS holder_name,
    c.volunteer_took_at, c.resident_gave_at, c.volunteer_returned_at, c.resident_got_back_at";

/// A medicine run with its lines and items (three queries, whatever the number of lines).
pub async fn find(db: &Db, request_id: i64) -> Result<Option<StoredRun>, sqlx::Error> {
    let Some(mut run) = sql::query_as::<StoredRun>(
        "SELECT m.request_id, r.state, r.volunteer_id, m.hospital, m.arrival_checked_at,
                m.arrival_note, p.created_at AS bag_photo_at, p.width AS bag_photo_width,
                p.height AS bag_photo_height
         FROM medicine_requests m JOIN supply_requests r ON r.id = m.request_id
         LEFT JOIN medicine_bag_photos p ON p.request_id = m.request_id
         WHERE m.request_id = ?",
    )
    .bind(request_id)
    .fetch_optional(db.reader())
    .await?
    else {
        return Ok(None);
    };
    run.lines = sql::query_as::<StoredLine>(
        "SELECT id, drug, dose, quantity, arrival FROM medicine_lines
         WHERE request_id = ? ORDER BY position",
    )
    .bind(request_id)
    .fetch_all(db.reader())
    .await?;
    run.items = sql::query_as::<StoredItem>(&format!(
        "SELECT {ITEM_COLUMNS} FROM custody_items c LEFT JOIN users u ON u.id = c.holder_id
         WHERE c.request_id = ? ORDER BY c.kind"
    ))
    .bind(request_id)
    .fetch_all(db.reader())
    .await?;
    Ok(Some(run))
}

/// Whether request `request_id` is a medicine run.
pub async fn is_run(tx: &mut Tx, request_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sql::query_scalar("SELECT COUNT(*) FROM medicine_requests WHERE request_id = ?")
        .bind(request_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

/// One item of one run, read inside the transaction that changes it.
pub async fn item_in(
    tx: &mut Tx,
    request_id: i64,
    item_id: i64,
) -> Result<Option<StoredItem>, sqlx::Error> {
    sql::query_as::<StoredItem>(&format!(
        "SELECT {ITEM_COLUMNS} FROM custody_items c LEFT JOIN users u ON u.id = c.holder_id
         WHERE c.request_id = ? AND c.id = ?"
    ))
    .bind(request_id)
    .bind(item_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Stores an item's confirmations, unless another one changed them since `before` was
/// read (false then: the caller answers with a conflict rather than overwrite it).
pub async fn set_marks(
    tx: &mut Tx,
    item_id: i64,
    before: &CustodyMarks,
    after: &CustodyMarks,
    holder_id: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let out_since = after.out_since();
    let back_at = match (after.volunteer_returned_at, after.resident_got_back_at) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    };
    let changed = sql::query(
        "UPDATE custody_items SET volunteer_took_at = ?1, resident_gave_at = ?2,
             volunteer_returned_at = ?3, resident_got_back_at = ?4, out_since = ?5, back_at = ?6,
             holder_id = COALESCE(holder_id, ?7)
         WHERE id = ?8
           AND volunteer_took_at IS NOT DISTINCT FROM ?9 AND resident_gave_at IS NOT DISTINCT FROM ?10
           AND volunteer_returned_at IS NOT DISTINCT FROM ?11
           AND resident_got_back_at IS NOT DISTINCT FROM ?12",
    )
    .bind(after.volunteer_took_at)
    .bind(after.resident_gave_at)
    .bind(after.volunteer_returned_at)
    .bind(after.resident_got_back_at)
    .bind(out_since)
    .bind(back_at)
    .bind(holder_id)
    .bind(item_id)
    .bind(before.volunteer_took_at)
    .bind(before.resident_gave_at)
    .bind(before.volunteer_returned_at)
    .bind(before.resident_got_back_at)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

/// Stores (or replaces) the bag photo.
pub async fn store_bag_photo(
    tx: &mut Tx,
    request_id: i64,
    jpeg: &[u8],
    width: u32,
    height: u32,
    taken_by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO medicine_bag_photos (request_id, jpeg, width, height, taken_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (request_id) DO UPDATE SET jpeg = excluded.jpeg, width = excluded.width,
             height = excluded.height, taken_by = excluded.taken_by,
             created_at = excluded.created_at",
    )
    .bind(request_id)
    .bind(jpeg)
    .bind(i64::from(width))
    .bind(i64::from(height))
    .bind(taken_by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn bag_photo(db: &Db, request_id: i64) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sql::query_scalar("SELECT jpeg FROM medicine_bag_photos WHERE request_id = ?")
        .bind(request_id)
        .fetch_optional(db.reader())
        .await
}

pub async fn line_ids(tx: &mut Tx, request_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sql::query_scalar("SELECT id FROM medicine_lines WHERE request_id = ? ORDER BY position")
        .bind(request_id)
        .fetch_all(&mut **tx)
        .await
}

/// Records the resident's check of what arrived; false when it was already checked.
pub async fn record_arrival(
    tx: &mut Tx,
    request_id: i64,
    arrival: &ValidArrival,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE medicine_requests SET arrival_checked_at = ?, arrival_note = ?
         WHERE request_id = ? AND arrival_checked_at IS NULL",
    )
    .bind(now)
    .bind(&arrival.note)
    .bind(request_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    for line in &arrival.lines {
        sql::query("UPDATE medicine_lines SET arrival = ? WHERE id = ? AND request_id = ?")
            .bind(line.arrival)
            .bind(line.line_id)
            .bind(request_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(true)
}

/// An item out of a resident's hands, with where it is from.
#[derive(Debug, FromRow)]
pub struct StoredOut {
    pub request_id: i64,
    pub address: String,
    #[sqlx(flatten)]
    pub item: StoredItem,
}

/// The items out in the caller's grids, longest out (so overdue) first.
pub async fn out_in_scope(
    db: &Db,
    scope: Scope,
    limit: u32,
    skip: u64,
) -> Result<(Vec<StoredOut>, u64), sqlx::Error> {
    let filters = format!(
        "c.out_since IS NOT NULL AND c.back_at IS NULL AND {}",
        Scope::filter("r.grid_id")
    );
    let rows = sql::query_as::<StoredOut>(&format!(
        "SELECT c.request_id, b.name || ' ' || un.name || ' ' || rm.name AS address, {ITEM_COLUMNS}
         FROM custody_items c JOIN supply_requests r ON r.id = c.request_id
         JOIN households h ON h.id = r.household_id
         JOIN rooms rm ON rm.id = h.room_id JOIN units un ON un.id = h.unit_id
         JOIN buildings b ON b.id = h.building_id
         LEFT JOIN users u ON u.id = c.holder_id
         WHERE {filters} ORDER BY c.out_since, c.id LIMIT ?3 OFFSET ?4"
    ))
    .bind_scope(scope)
    .bind(i64::from(limit))
    .bind(offset(skip))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM custody_items c JOIN supply_requests r ON r.id = c.request_id
         WHERE {filters}"
    ))
    .bind_scope(scope)
    .fetch_one(db.reader())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// An item out since before `out_before`, not back, and nobody told yet.
#[derive(Debug, FromRow)]
pub struct Overdue {
    pub id: i64,
    pub request_id: i64,
    pub grid_id: i64,
    pub kind: CustodyItemKind,
    pub holder_id: Option<i64>,
}

pub async fn overdue_untold(
    tx: &mut Tx,
    out_before: DateTime<Utc>,
) -> Result<Vec<Overdue>, sqlx::Error> {
    sql::query_as::<Overdue>(
        "SELECT c.id, c.request_id, r.grid_id, c.kind, c.holder_id
         FROM custody_items c JOIN supply_requests r ON r.id = c.request_id
         WHERE c.out_since IS NOT NULL AND c.back_at IS NULL AND c.out_since < ?
           AND c.escalated_at IS NULL
         ORDER BY c.out_since, c.id",
    )
    .bind(out_before)
    .fetch_all(&mut **tx)
    .await
}

pub async fn mark_escalated(
    tx: &mut Tx,
    item_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE custody_items SET escalated_at = ? WHERE id = ?")
        .bind(now)
        .bind(item_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
