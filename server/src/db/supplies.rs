//! Supply and help requests, their events, and sealed-building runs. Staff queries take a
//! [`Scope`] and filter by it in SQL; volunteers read only requests assigned to them.

use super::scope::{BindScope, Scope};
use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::supplies::{
    EventDetail, RequestEvent, RequestKind, RequestListQuery, RequestState, RunListQuery, RunStop,
    SupplyRun, Urgency, ValidRequest,
};
use shouwang_api::volunteers::{AvailabilitySlot, VolunteerStatus};
use shouwang_api::zones::Zone;
use sqlx::FromRow;

const ADDRESS: &str = "b.name || ' ' || un.name || ' ' || rm.name";
const PLACE_JOINS: &str = "JOIN households h ON h.id = r.household_id
     JOIN rooms rm ON rm.id = h.room_id JOIN units un ON un.id = h.unit_id
     JOIN buildings b ON b.id = h.building_id";

fn offset(offset: u64) -> i64 {
    i64::try_from(offset).unwrap_or(i64::MAX)
}

/// Where the caller's household is, and what decides its requests' priority.
#[derive(Debug, FromRow)]
pub struct HouseholdPlace {
    pub household_id: i64,
    pub grid_id: i64,
    pub building_id: i64,
    pub zone: Zone,
    pub special_group: bool,
    pub account_username: String,
    pub head_phone: Option<String>,
}

pub async fn place_of_account(
    tx: &mut Tx,
    user_id: i64,
) -> Result<Option<HouseholdPlace>, sqlx::Error> {
    sql::query_as::<HouseholdPlace>(
        "SELECT h.id AS household_id, h.grid_id, h.building_id, b.zone,
                EXISTS (SELECT 1 FROM member_groups mg WHERE mg.household_id = h.id) AS special_group,
                u.username AS account_username, h.head_phone
         FROM household_accounts ha JOIN households h ON h.id = ha.household_id
         JOIN buildings b ON b.id = h.building_id JOIN users u ON u.id = ha.user_id
         WHERE ha.user_id = ? AND h.state = 'active'",
    )
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await
}

pub struct NewRequest<'a> {
    pub place: &'a HouseholdPlace,
    pub request: &'a ValidRequest,
    pub contact_phone: Option<&'a str>,
    pub priority: bool,
    pub pickup_code: &'a str,
    pub requested_by: i64,
}

pub async fn insert(
    tx: &mut Tx,
    new: NewRequest<'_>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let r = new.request;
    let id = sql::query_scalar::<i64>(
        "INSERT INTO supply_requests (household_id, grid_id, building_id, requested_by, kind, urgency,
             priority, items, notes, contact_phone, pickup_code, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?) RETURNING id",
    )
    .bind(new.place.household_id)
    .bind(new.place.grid_id)
    .bind(new.place.building_id)
    .bind(new.requested_by)
    .bind(r.kind)
    .bind(r.urgency)
    .bind(new.priority)
    .bind(&r.items)
    .bind(&r.notes)
    .bind(new.contact_phone)
    .bind(new.pickup_code)
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    insert_event(
        tx,
        id,
        new.requested_by,
        None,
        RequestState::Submitted,
        EventText::default(),
        now,
    )
    .await?;
    Ok(id)
}

/// What an event says beyond its states: a person's own words and the system's code.
#[derive(Debug, Default, Clone, Copy)]
pub struct EventText<'a> {
    pub note: Option<&'a str>,
    pub detail: Option<&'a EventDetail>,
}

impl<'a> EventText<'a> {
    pub fn detail(detail: &'a EventDetail) -> Self {
        EventText {
            note: None,
            detail: Some(detail),
        }
    }
}

pub async fn insert_event(
    tx: &mut Tx,
    request_id: i64,
    actor_id: i64,
    from: Option<RequestState>,
    to: RequestState,
    text: EventText<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let detail = text
        .detail
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sql::query(
        "INSERT INTO request_events (request_id, actor_id, from_state, to_state, note, detail, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(request_id)
    .bind(actor_id)
    .bind(from)
    .bind(to)
    .bind(text.note)
    .bind(detail)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What deciding an action on a request needs, read inside its transaction.
#[derive(Debug, FromRow)]
pub struct Core {
    pub id: i64,
    pub state: RequestState,
    pub kind: RequestKind,
    pub household_id: i64,
    pub grid_id: i64,
    pub building_id: i64,
    pub volunteer_id: Option<i64>,
    pub pickup_code: String,
    pub pickup_failures: i64,
    pub pickup_locked_until: Option<DateTime<Utc>>,
}

pub async fn core_in(tx: &mut Tx, id: i64) -> Result<Option<Core>, sqlx::Error> {
    sql::query_as::<Core>(
        "SELECT id, state, kind, household_id, grid_id, building_id, volunteer_id, pickup_code,
                pickup_failures, pickup_locked_until
         FROM supply_requests WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Stores the count of wrong pickup codes in a row and, when it reached the limit, the
/// end of the lock.
pub async fn set_pickup_failures(
    tx: &mut Tx,
    id: i64,
    failures: i64,
    locked_until: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE supply_requests SET pickup_failures = ?, pickup_locked_until = ? WHERE id = ?",
    )
    .bind(failures)
    .bind(locked_until)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn grid_in_scope(tx: &mut Tx, grid_id: i64, scope: Scope) -> Result<bool, sqlx::Error> {
    let n: i64 = sql::query_scalar(&format!("SELECT COUNT(*) WHERE {}", Scope::filter("?3")))
        .bind_scope(scope)
        .bind(grid_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

pub async fn is_member_account(
    tx: &mut Tx,
    user_id: i64,
    household_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM household_accounts WHERE user_id = ? AND household_id = ?",
    )
    .bind(user_id)
    .bind(household_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

/// The resident accounts of a household (to notify).
pub async fn accounts_of(tx: &mut Tx, household_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sql::query_scalar("SELECT user_id FROM household_accounts WHERE household_id = ?")
        .bind(household_id)
        .fetch_all(&mut **tx)
        .await
}

/// Moves a request from `from` to `to` (only if still in `from`); an assignment also
/// sets the volunteer. Returns whether it moved.
pub async fn change_state(
    tx: &mut Tx,
    id: i64,
    from: RequestState,
    to: RequestState,
    volunteer_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE supply_requests SET state = ?, updated_at = ?, volunteer_id = COALESCE(?, volunteer_id)
         WHERE id = ? AND state = ?",
    )
    .bind(to)
    .bind(now)
    .bind(volunteer_id)
    .bind(id)
    .bind(from)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

/// A volunteer as an assignment needs them: approved?, usual availability, and whether
/// they hold a live sign-up on a delivery shift that has not ended and starts before
/// `until`.
#[derive(Debug)]
pub struct Carrier {
    pub name: String,
    pub status: Option<VolunteerStatus>,
    pub availability: Vec<AvailabilitySlot>,
    pub on_delivery_shift: bool,
}

#[derive(FromRow)]
struct CarrierRow {
    id: i64,
    name: String,
    status: VolunteerStatus,
    availability: String,
    on_delivery_shift: bool,
}

impl From<CarrierRow> for (i64, Carrier) {
    fn from(r: CarrierRow) -> Self {
        (
            r.id,
            Carrier {
                name: r.name,
                status: Some(r.status),
                availability: serde_json::from_str(&r.availability).unwrap_or_default(),
                on_delivery_shift: r.on_delivery_shift,
            },
        )
    }
}

const CARRIER: &str = "SELECT v.user_id AS id, v.name, v.status, v.availability,
        EXISTS (SELECT 1 FROM shift_signups s JOIN shifts sh ON sh.id = s.shift_id
                WHERE s.volunteer_id = v.user_id AND s.status IN ('signed_up', 'checked_in')
                  AND sh.post = 'delivery' AND sh.cancelled_at IS NULL
                  AND sh.ends_at > ?1 AND sh.starts_at < ?2) AS on_delivery_shift
     FROM volunteers v";

pub async fn carrier(
    tx: &mut Tx,
    volunteer_id: i64,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<Carrier>, sqlx::Error> {
    Ok(
        sql::query_as::<CarrierRow>(&format!("{CARRIER} WHERE v.user_id = ?3"))
            .bind(now)
            .bind(until)
            .bind(volunteer_id)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| <(i64, Carrier)>::from(r).1),
    )
}

/// Approved volunteers, for the assign picker (a community has tens to a few hundred).
pub async fn approved_carriers(
    db: &Db,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<(i64, Carrier)>, sqlx::Error> {
    Ok(sql::query_as::<CarrierRow>(&format!(
        "{CARRIER} WHERE v.status = 'approved' ORDER BY v.name LIMIT 500"
    ))
    .bind(now)
    .bind(until)
    .fetch_all(db.reader())
    .await?
    .into_iter()
    .map(Into::into)
    .collect())
}

/// A request as stored: the contact phone in full and the pickup code. Never a reply by
/// itself; `domain::supplies` makes each party's view of it.
#[derive(Debug, FromRow)]
pub struct StoredRequest {
    pub id: i64,
    pub kind: RequestKind,
    pub urgency: Urgency,
    pub state: RequestState,
    pub priority: bool,
    pub items: String,
    pub notes: Option<String>,
    pub address: String,
    pub building_id: i64,
    pub contact_phone: Option<shouwang_api::personal::Phone>,
    pub pickup_code: String,
    pub volunteer_name: Option<String>,
    pub run_id: Option<i64>,
    pub medicine_run: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Filled for one request ([`find`]), empty in lists.
    #[sqlx(skip)]
    pub events: Vec<RequestEvent>,
}

const REQUEST_COLUMNS: &str = "r.id, r.kind, r.urgency, r.state, r.priority, r.items, r.notes,
    b.name || ' ' || un.name || ' ' || rm.name AS address, r.building_id, r.contact_phone,
    r.pickup_code, v.name AS volunteer_name, r.run_id,
    EXISTS (SELECT 1 FROM medicine_requests m WHERE m.request_id = r.id) AS medicine_run,
    r.created_at, r.updated_at";
const REQUEST_FROM: &str = "FROM supply_requests r
     JOIN households h ON h.id = r.household_id
     JOIN rooms rm ON rm.id = h.room_id JOIN units un ON un.id = h.unit_id
     JOIN buildings b ON b.id = h.building_id
     LEFT JOIN volunteers v ON v.user_id = r.volunteer_id";

pub async fn find(db: &Db, id: i64) -> Result<Option<StoredRequest>, sqlx::Error> {
    let Some(row) = sql::query(&format!(
        "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE r.id = ?"
    ))
    .bind(id)
    .fetch_optional(db.reader())
    .await?
    else {
        return Ok(None);
    };
    let mut request: StoredRequest = super::decode_row("supply_requests", &row)?;
    request.events = events(db, id).await?;
    Ok(Some(request))
}

#[derive(FromRow)]
struct EventRow {
    created_at: DateTime<Utc>,
    actor_name: Option<String>,
    from_state: Option<RequestState>,
    to_state: RequestState,
    note: Option<String>,
    detail: Option<String>,
}

async fn events(db: &Db, request_id: i64) -> Result<Vec<RequestEvent>, sqlx::Error> {
    Ok(sql::query_as::<EventRow>(
        "SELECT e.created_at, u.display_name AS actor_name, e.from_state, e.to_state, e.note,
                e.detail
         FROM request_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.request_id = ? ORDER BY e.id",
    )
    .bind(request_id)
    .fetch_all(db.reader())
    .await?
    .into_iter()
    .map(|e| RequestEvent {
        at: e.created_at,
        actor_name: e.actor_name,
        from_state: e.from_state,
        to_state: e.to_state,
        note: e.note,
        // A code this build does not know reads as no detail, not as an error.
        detail: e
            .detail
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok()),
    })
    .collect())
}

/// A household's requests, newest first.
pub async fn of_household(
    db: &Db,
    household_id: i64,
    limit: u32,
    skip: u64,
) -> Result<(Vec<StoredRequest>, u64), sqlx::Error> {
    let rows = sql::query(&format!(
        "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE r.household_id = ?1
         ORDER BY r.created_at DESC, r.id DESC LIMIT ?2 OFFSET ?3"
    ))
    .bind(household_id)
    .bind(i64::from(limit))
    .bind(offset(skip))
    .fetch_all(db.reader())
    .await?;
    let total: i64 =
        sql::query_scalar("SELECT COUNT(*) FROM supply_requests WHERE household_id = ?")
            .bind(household_id)
            .fetch_one(db.reader())
            .await?;
    Ok((
        super::decode_rows("supply_requests", rows)?,
        u64::try_from(total).unwrap_or(0),
    ))
}

/// The staff dashboard: requests of the caller's grids, urgent first, then priority, then
/// oldest first (migration 0018's index).
/// Without a state: every open one.
pub async fn dashboard(
    db: &Db,
    scope: Scope,
    query: &RequestListQuery,
    limit: u32,
    skip: u64,
) -> Result<(Vec<StoredRequest>, u64), sqlx::Error> {
    let state_condition = match query.state {
        Some(_) => " AND r.state = ?3".to_owned(),
        None => format!(
            " AND ?3 IS NULL AND r.state IN ({})",
            RequestState::OPEN
                .iter()
                .map(|s| format!("'{}'", s.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let filters = format!(
        "{}{state_condition}{}{}{}",
        Scope::filter("r.grid_id"),
        super::optional_filter(query.kind.is_some(), "r.kind", 4),
        super::optional_filter(query.building_id.is_some(), "r.building_id", 5),
        super::optional_filter(query.priority.is_some(), "r.priority", 6),
    );
    let (state, kind) = (query.state, query.kind);
    let rows = sql::query(&format!(
        "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE {filters}
         ORDER BY r.urgency DESC, r.priority DESC, r.created_at, r.id LIMIT ?7 OFFSET ?8"
    ))
    .bind_scope(scope)
    .bind(state)
    .bind(kind)
    .bind(query.building_id)
    .bind(query.priority)
    .bind(i64::from(limit))
    .bind(offset(skip))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM supply_requests r WHERE {filters}"
    ))
    .bind_scope(scope)
    .bind(state)
    .bind(kind)
    .bind(query.building_id)
    .bind(query.priority)
    .fetch_one(db.reader())
    .await?;
    Ok((
        super::decode_rows("supply_requests", rows)?,
        u64::try_from(total).unwrap_or(0),
    ))
}

/// A delivery as stored, with the contact phone in full; `domain::supplies` masks it.
#[derive(Debug, FromRow)]
pub struct StoredDelivery {
    pub id: i64,
    pub kind: RequestKind,
    pub urgency: Urgency,
    pub state: RequestState,
    pub items: String,
    pub notes: Option<String>,
    pub address: String,
    pub contact_phone: Option<shouwang_api::personal::Phone>,
    pub run_id: Option<i64>,
    pub medicine_run: bool,
    pub updated_at: DateTime<Utc>,
}

/// The requests assigned to one volunteer, open first, newest first; only what a delivery
/// needs (no household data beyond the door).
pub async fn deliveries_of(
    db: &Db,
    volunteer_id: i64,
    limit: u32,
    skip: u64,
) -> Result<(Vec<StoredDelivery>, u64), sqlx::Error> {
    let rows = sql::query_as::<StoredDelivery>(&format!(
        "SELECT r.id, r.kind, r.urgency, r.state, r.items, r.notes, {ADDRESS} AS address,
                r.contact_phone, r.run_id,
                EXISTS (SELECT 1 FROM medicine_requests m WHERE m.request_id = r.id) AS medicine_run,
                r.updated_at
         FROM supply_requests r {PLACE_JOINS}
         WHERE r.volunteer_id = ?1
         ORDER BY r.state IN ('delivered', 'confirmed', 'cancelled', 'refused'), r.updated_at DESC
         LIMIT ?2 OFFSET ?3"
    ))
    .bind(volunteer_id)
    .bind(i64::from(limit))
    .bind(offset(skip))
    .fetch_all(db.reader())
    .await?;
    let total: i64 =
        sql::query_scalar("SELECT COUNT(*) FROM supply_requests WHERE volunteer_id = ?")
            .bind(volunteer_id)
            .fetch_one(db.reader())
            .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// The contact phone of a request, only for the volunteer it is assigned to while it is
/// on its way.
pub async fn contact_for(
    db: &Db,
    request_id: i64,
    volunteer_id: i64,
) -> Result<Option<(RequestState, Option<String>)>, sqlx::Error> {
    sql::query_as(
        "SELECT state, contact_phone FROM supply_requests WHERE id = ? AND volunteer_id = ?",
    )
    .bind(request_id)
    .bind(volunteer_id)
    .fetch_optional(db.reader())
    .await
}

/// A sealed building's requests for a run: (id, state, kind) of those asked for that
/// belong to the building and are not already in a run.
pub async fn runnable_in(
    tx: &mut Tx,
    building_id: i64,
    ids: &[i64],
) -> Result<Vec<(i64, RequestState, RequestKind)>, sqlx::Error> {
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
    sql::query_as(
        "SELECT id, state, kind FROM supply_requests
         WHERE building_id = ?1 AND run_id IS NULL AND id IN (SELECT CAST(value AS BIGINT) FROM json_each(?2))",
    )
    .bind(building_id)
    .bind(ids)
    .fetch_all(&mut **tx)
    .await
}

/// The building of a run: (grid, zone, 楼栋长 name), if it exists.
pub async fn building_for_run(
    tx: &mut Tx,
    building_id: i64,
) -> Result<Option<(i64, Zone, Option<String>, String)>, sqlx::Error> {
    sql::query_as(
        "SELECT grid_id, zone, head_name, name FROM buildings WHERE id = ? AND retired_at IS NULL",
    )
    .bind(building_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn insert_run(
    tx: &mut Tx,
    building_id: i64,
    grid_id: i64,
    volunteer_id: Option<i64>,
    handover_to: Option<&str>,
    created_by: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>(
        "INSERT INTO supply_runs (building_id, grid_id, volunteer_id, handover_to, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(building_id)
    .bind(grid_id)
    .bind(volunteer_id)
    .bind(handover_to)
    .bind(created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

pub async fn set_run(
    tx: &mut Tx,
    request_id: i64,
    run_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE supply_requests SET run_id = ?, updated_at = ? WHERE id = ?")
        .bind(run_id)
        .bind(now)
        .bind(request_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The run's building grid and whether it was handed over, for the handover action.
pub async fn run_core(
    tx: &mut Tx,
    run_id: i64,
) -> Result<Option<(i64, Option<DateTime<Utc>>)>, sqlx::Error> {
    sql::query_as("SELECT grid_id, handed_over_at FROM supply_runs WHERE id = ?")
        .bind(run_id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn mark_handed_over(
    tx: &mut Tx,
    run_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(sql::query(
        "UPDATE supply_runs SET handed_over_at = ? WHERE id = ? AND handed_over_at IS NULL",
    )
    .bind(now)
    .bind(run_id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// (id, state) of a run's requests.
pub async fn run_requests(
    tx: &mut Tx,
    run_id: i64,
) -> Result<Vec<(i64, RequestState)>, sqlx::Error> {
    sql::query_as("SELECT id, state FROM supply_requests WHERE run_id = ? ORDER BY id")
        .bind(run_id)
        .fetch_all(&mut **tx)
        .await
}

#[derive(FromRow)]
struct RunRow {
    id: i64,
    building_id: i64,
    building_name: String,
    handover_to: Option<String>,
    volunteer_id: Option<i64>,
    request_ids: String,
    created_at: DateTime<Utc>,
    handed_over_at: Option<DateTime<Utc>>,
}

impl From<RunRow> for SupplyRun {
    fn from(r: RunRow) -> Self {
        SupplyRun {
            id: r.id,
            building_id: r.building_id,
            building_name: r.building_name,
            handover_to: r.handover_to,
            volunteer_id: r.volunteer_id,
            request_ids: serde_json::from_str(&r.request_ids).unwrap_or_default(),
            created_at: r.created_at,
            handed_over_at: r.handed_over_at,
        }
    }
}

const RUN_COLUMNS: &str =
    "s.id, s.building_id, b.name AS building_name, s.handover_to, s.volunteer_id,
        (SELECT json_group_array(r.id) FROM supply_requests r WHERE r.run_id = s.id) AS request_ids,
        s.created_at, s.handed_over_at
     FROM supply_runs s JOIN buildings b ON b.id = s.building_id";

pub async fn find_run(db: &Db, run_id: i64) -> Result<Option<SupplyRun>, sqlx::Error> {
    Ok(
        sql::query_as::<RunRow>(&format!("SELECT {RUN_COLUMNS} WHERE s.id = ?"))
            .bind(run_id)
            .fetch_optional(db.reader())
            .await?
            .map(SupplyRun::from),
    )
}

/// One page of the runs of the caller's grids (of one building if asked), newest first,
/// and the total.
pub async fn runs(
    db: &Db,
    scope: Scope,
    query: &RunListQuery,
    limit: u32,
    skip: u64,
) -> Result<(Vec<SupplyRun>, u64), sqlx::Error> {
    let filters = format!(
        "{}{}",
        Scope::filter("s.grid_id"),
        super::optional_filter(query.building_id.is_some(), "s.building_id", 3)
    );
    let rows = sql::query_as::<RunRow>(&format!(
        "SELECT {RUN_COLUMNS} WHERE {filters} ORDER BY s.created_at DESC, s.id DESC LIMIT ?4 OFFSET ?5"
    ))
    .bind_scope(scope)
    .bind(query.building_id)
    .bind(i64::from(limit))
    .bind(offset(skip))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM supply_runs s WHERE {filters}"
    ))
    .bind_scope(scope)
    .bind(query.building_id)
    .fetch_one(db.reader())
    .await?;
    Ok((
        rows.into_iter().map(SupplyRun::from).collect(),
        u64::try_from(total).unwrap_or(0),
    ))
}

/// The orders of some runs with their states and doors, in one query.
pub async fn stops_of(db: &Db, run_ids: &[i64]) -> Result<Vec<RunStop>, sqlx::Error> {
    let ids = serde_json::to_string(run_ids).unwrap_or_else(|_| "[]".to_owned());
    Ok(
        sql::query_as::<(i64, i64, RequestKind, RequestState, String)>(&format!(
            "SELECT r.id, r.run_id, r.kind, r.state, {ADDRESS} FROM supply_requests r {PLACE_JOINS}
         WHERE r.run_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?)) ORDER BY r.run_id, r.id"
        ))
        .bind(ids)
        .fetch_all(db.reader())
        .await?
        .into_iter()
        .map(|(request_id, run_id, kind, state, address)| RunStop {
            request_id,
            run_id,
            kind,
            state,
            address,
        })
        .collect(),
    )
}
