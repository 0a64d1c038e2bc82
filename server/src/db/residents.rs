//! Households, members, visits and merge requests. Every staff query takes a [`Scope`]
//! and filters by it in SQL: a staff member reads only the grids they work.

use super::community::RoomPlace;
use super::sql;
use super::sql::QueryBuilder;
use super::{Db, Tx, split_list};
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::personal::{IdNumber, Phone};
use shouwang_api::residents::{
    AccessEntry, Address, ArrivalFrom, LastVisit, LedgerQuery, Member, MergeRequest,
    ObservationStatus, Relation, RiskCategory, RiskInfo, Source, SpecialGroup, ValidMember, Visit,
    VisitOutcome,
};
use sqlx::FromRow;

use super::scope::{BindScope, Scope};

fn join_groups(groups: &[SpecialGroup]) -> String {
    groups
        .iter()
        .map(|g| g.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub struct NewHousehold<'a> {
    pub place: &'a RoomPlace,
    pub source: Source,
    pub pending: bool,
    pub consent_sensitive: bool,
    pub created_by: Option<i64>,
}

pub async fn insert_household(
    tx: &mut Tx,
    new: NewHousehold<'_>,
    members: &[ValidMember],
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let id = sql::query_scalar::<i64>(
        "INSERT INTO households (room_id, grid_id, building_id, unit_id, source, state,
             consent_sensitive_at, head_name, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?) RETURNING id",
    )
    .bind(new.place.room_id)
    .bind(new.place.grid_id)
    .bind(new.place.building_id)
    .bind(new.place.unit_id)
    .bind(new.source)
    .bind(if new.pending { "pending" } else { "active" })
    .bind(new.consent_sensitive.then_some(now))
    .bind(new.created_by)
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    for member in members {
        insert_member(tx, id, member).await?;
    }
    refresh_summary(tx, id, now).await?;
    Ok(id)
}

/// Adds a person to a household and refreshes its ledger summary.
pub async fn add_member(
    tx: &mut Tx,
    household_id: i64,
    m: &ValidMember,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let id = insert_member(tx, household_id, m).await?;
    refresh_summary(tx, household_id, now).await?;
    Ok(id)
}

async fn insert_member(
    tx: &mut Tx,
    household_id: i64,
    m: &ValidMember,
) -> Result<i64, sqlx::Error> {
    let id = sql::query_scalar::<i64>(
        "INSERT INTO members (household_id, position, name, phone, relation, birth_year, id_number,
             groups, arrival_date, arrival_from, arrival_place, risk_category, observation_start, observation_end)
         VALUES (?1, (SELECT COALESCE(MAX(position), 0) + 1 FROM members WHERE household_id = ?1),
                 ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
    )
    .bind(household_id)
    .bind(&m.name)
    .bind(&m.phone)
    .bind(m.relation)
    .bind(m.birth_year)
    .bind(&m.id_number)
    .bind(join_groups(&m.groups))
    .bind(m.risk.arrival_date)
    .bind(m.risk.arrival_from)
    .bind(&m.risk.arrival_place)
    .bind(m.risk.category)
    .bind(m.risk.observation_start)
    .bind(m.risk.observation_end)
    .fetch_one(&mut **tx)
    .await?;
    write_groups(tx, id, household_id, &m.groups).await?;
    Ok(id)
}

async fn write_groups(
    tx: &mut Tx,
    member_id: i64,
    household_id: i64,
    groups: &[SpecialGroup],
) -> Result<(), sqlx::Error> {
    sql::query("DELETE FROM member_groups WHERE member_id = ?")
        .bind(member_id)
        .execute(&mut **tx)
        .await?;
    for g in groups {
        sql::query("INSERT INTO member_groups (member_id, household_id, grp) VALUES (?, ?, ?)")
            .bind(member_id)
            .bind(household_id)
            .bind(*g)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Replaces a member's fields; false when the member is not in this household.
pub async fn update_member(
    tx: &mut Tx,
    household_id: i64,
    member_id: i64,
    m: &ValidMember,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE members SET name = ?, phone = ?, relation = ?, birth_year = ?, id_number = ?, groups = ?,
             arrival_date = ?, arrival_from = ?, arrival_place = ?, risk_category = ?,
             observation_start = ?, observation_end = ?
         WHERE id = ? AND household_id = ?",
    )
    .bind(&m.name)
    .bind(&m.phone)
    .bind(m.relation)
    .bind(m.birth_year)
    .bind(&m.id_number)
    .bind(join_groups(&m.groups))
    .bind(m.risk.arrival_date)
    .bind(m.risk.arrival_from)
    .bind(&m.risk.arrival_place)
    .bind(m.risk.category)
    .bind(m.risk.observation_start)
    .bind(m.risk.observation_end)
    .bind(member_id)
    .bind(household_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    write_groups(tx, member_id, household_id, &m.groups).await?;
    refresh_summary(tx, household_id, now).await?;
    Ok(true)
}

pub async fn delete_member(
    tx: &mut Tx,
    household_id: i64,
    member_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query("DELETE FROM members WHERE id = ? AND household_id = ?")
        .bind(member_id)
        .bind(household_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    refresh_summary(tx, household_id, now).await?;
    Ok(changed > 0)
}

pub async fn member_count(tx: &mut Tx, household_id: i64) -> Result<i64, sqlx::Error> {
    sql::query_scalar("SELECT COUNT(*) FROM members WHERE household_id = ?")
        .bind(household_id)
        .fetch_one(&mut **tx)
        .await
}

/// Keeps the ledger line (first member's name and phone, member count) in step.
async fn refresh_summary(
    tx: &mut Tx,
    household_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE households SET
             head_name = COALESCE((SELECT name FROM members WHERE household_id = ?1 ORDER BY position LIMIT 1), ''),
             head_phone = (SELECT phone FROM members WHERE household_id = ?1 ORDER BY position LIMIT 1),
             member_count = (SELECT COUNT(*) FROM members WHERE household_id = ?1),
             updated_at = ?2
         WHERE id = ?1",
    )
    .bind(household_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_consent(
    tx: &mut Tx,
    household_id: i64,
    given: bool,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE households SET consent_sensitive_at = ?, updated_at = ? WHERE id = ?")
        .bind(given.then(Utc::now))
        .bind(now)
        .bind(household_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Withdrawing consent erases the sensitive fields: ID numbers and health groups.
pub async fn erase_sensitive(
    tx: &mut Tx,
    household_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let rows: Vec<(i64, String)> =
        sql::query_as("SELECT id, groups FROM members WHERE household_id = ?")
            .bind(household_id)
            .fetch_all(&mut **tx)
            .await?;
    for (member_id, groups) in rows {
        let kept: Vec<SpecialGroup> = split_list(Some(&groups), SpecialGroup::parse)?
            .into_iter()
            .filter(|g| !g.is_sensitive())
            .collect();
        sql::query("UPDATE members SET id_number = NULL, groups = ? WHERE id = ?")
            .bind(join_groups(&kept))
            .bind(member_id)
            .execute(&mut **tx)
            .await?;
        write_groups(tx, member_id, household_id, &kept).await?;
    }
    set_consent(tx, household_id, false, now).await
}

pub async fn link_account(tx: &mut Tx, user_id: i64, household_id: i64) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO household_accounts (user_id, household_id) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET household_id = excluded.household_id",
    )
    .bind(user_id)
    .bind(household_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn household_of_account(db: &Db, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar("SELECT household_id FROM household_accounts WHERE user_id = ?")
        .bind(user_id)
        .fetch_optional(db.reader())
        .await
}

pub async fn active_in_room(tx: &mut Tx, room_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar("SELECT id FROM households WHERE room_id = ? AND state = 'active'")
        .bind(room_id)
        .fetch_optional(&mut **tx)
        .await
}

/// The household's grid, when it exists and is in scope (otherwise: 404 for the caller).
pub async fn grid_in_scope(tx: &mut Tx, id: i64, scope: Scope) -> Result<Option<i64>, sqlx::Error> {
    let sql = format!(
        "SELECT grid_id FROM households WHERE id = ?3 AND {}",
        Scope::filter("grid_id")
    );
    sql::query_scalar(&sql)
        .bind_scope(scope)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn room_in_scope(tx: &mut Tx, room_id: i64, scope: Scope) -> Result<bool, sqlx::Error> {
    let n: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM rooms r JOIN units u ON u.id = r.unit_id
         JOIN buildings b ON b.id = u.building_id
         WHERE r.id = ?3 AND {}",
        Scope::filter("b.grid_id")
    ))
    .bind_scope(scope)
    .bind(room_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

pub async fn insert_merge_request(
    tx: &mut Tx,
    place: &RoomPlace,
    existing: i64,
    pending: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>(
        "INSERT INTO merge_requests (room_id, grid_id, existing_household_id, pending_household_id, created_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(place.room_id)
    .bind(place.grid_id)
    .bind(existing)
    .bind(pending)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

#[derive(FromRow)]
struct MergeRow {
    id: i64,
    existing_household_id: i64,
    pending_household_id: Option<i64>,
    member_count: i64,
    created_at: DateTime<Utc>,
    #[sqlx(flatten)]
    address: AddressRow,
}

const ADDRESS_COLUMNS: &str =
    "g.id AS a_grid_id, g.name AS a_grid, b.id AS a_building_id, b.name AS a_building,
     u.name AS a_unit, r.id AS a_room_id, r.name AS a_room";
const ADDRESS_JOINS: &str = "JOIN rooms r ON r.id = h.room_id JOIN units u ON u.id = r.unit_id
     JOIN buildings b ON b.id = u.building_id JOIN grids g ON g.id = b.grid_id";

#[derive(FromRow)]
struct AddressRow {
    a_grid_id: i64,
    a_grid: String,
    a_building_id: i64,
    a_building: String,
    a_unit: String,
    a_room_id: i64,
    a_room: String,
}

impl From<AddressRow> for Address {
    fn from(r: AddressRow) -> Self {
        Address {
            grid_id: r.a_grid_id,
            grid: r.a_grid,
            building_id: r.a_building_id,
            building: r.a_building,
            unit: r.a_unit,
            room_id: r.a_room_id,
            room: r.a_room,
        }
    }
}

pub async fn open_merge_requests(db: &Db, scope: Scope) -> Result<Vec<MergeRequest>, sqlx::Error> {
    let sql = format!(
        "SELECT m.id, m.existing_household_id, m.pending_household_id, m.created_at,
                (SELECT COUNT(*) FROM members WHERE household_id = m.pending_household_id) AS member_count,
                {ADDRESS_COLUMNS}
         FROM merge_requests m JOIN households h ON h.id = m.existing_household_id {ADDRESS_JOINS}
         WHERE m.state = 'open' AND {}
         ORDER BY m.created_at LIMIT 200",
        Scope::filter("m.grid_id")
    );
    let rows = sql::query_as::<MergeRow>(&sql)
        .bind_scope(scope)
        .fetch_all(db.reader())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(MergeRequest {
                id: r.id,
                existing_household_id: r.existing_household_id,
                pending_household_id: r.pending_household_id?,
                member_count: u32::try_from(r.member_count).unwrap_or(0),
                created_at: r.created_at,
                address: r.address.into(),
            })
        })
        .collect())
}

/// An open merge request in scope: (existing, pending) household ids.
pub async fn open_merge_request(
    tx: &mut Tx,
    id: i64,
    scope: Scope,
) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    let sql = format!(
        "SELECT existing_household_id, pending_household_id FROM merge_requests
         WHERE id = ?3 AND state = 'open' AND {}",
        Scope::filter("grid_id")
    );
    sql::query_as(&sql)
        .bind_scope(scope)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Moves the pending household's members and accounts into the existing one.
pub async fn merge_into(
    tx: &mut Tx,
    existing: i64,
    pending: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE members SET household_id = ?1,
             position = position + (SELECT COALESCE(MAX(position), 0) FROM members WHERE household_id = ?1)
         WHERE household_id = ?2",
    )
    .bind(existing)
    .bind(pending)
    .execute(&mut **tx)
    .await?;
    sql::query("UPDATE member_groups SET household_id = ? WHERE household_id = ?")
        .bind(existing)
        .bind(pending)
        .execute(&mut **tx)
        .await?;
    sql::query("UPDATE household_accounts SET household_id = ? WHERE household_id = ?")
        .bind(existing)
        .bind(pending)
        .execute(&mut **tx)
        .await?;
    refresh_summary(tx, existing, now).await
}

pub async fn decide_merge_request(
    tx: &mut Tx,
    id: i64,
    merged: bool,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(sql::query(
        "UPDATE merge_requests SET state = ?, decided_by = ?, decided_at = ? WHERE id = ? AND state = 'open'",
    )
    .bind(if merged { "merged" } else { "rejected" })
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

pub async fn delete_household(tx: &mut Tx, id: i64) -> Result<(), sqlx::Error> {
    sql::query("DELETE FROM households WHERE id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A door visit (上门走访) to record.
pub struct NewVisit<'a> {
    pub household_id: Option<i64>,
    pub worker_id: i64,
    pub visited_on: NaiveDate,
    pub outcome: VisitOutcome,
    pub note: Option<&'a str>,
}

pub async fn insert_visit(
    tx: &mut Tx,
    place: &RoomPlace,
    visit: NewVisit<'_>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let NewVisit {
        household_id,
        worker_id,
        visited_on,
        outcome,
        note,
    } = visit;
    let id = sql::query_scalar::<i64>(
        "INSERT INTO visits (room_id, grid_id, household_id, worker_id, visited_on, outcome, note, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(place.room_id)
    .bind(place.grid_id)
    .bind(household_id)
    .bind(worker_id)
    .bind(visited_on)
    .bind(outcome)
    .bind(note)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    if let Some(household_id) = household_id {
        sql::query(
            "UPDATE households SET last_visit_on = ?1, last_visit_outcome = ?2
             WHERE id = ?3 AND (last_visit_on IS NULL OR last_visit_on <= ?1)",
        )
        .bind(visited_on)
        .bind(outcome)
        .bind(household_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

#[derive(FromRow)]
struct HouseholdRow {
    id: i64,
    source: Source,
    state: String,
    consent_sensitive_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
    #[sqlx(flatten)]
    address: AddressRow,
}

#[derive(FromRow)]
struct MemberRow {
    id: i64,
    name: String,
    phone: Option<Phone>,
    relation: Relation,
    birth_year: i32,
    id_number: Option<IdNumber>,
    groups: String,
    arrival_date: Option<NaiveDate>,
    arrival_from: Option<ArrivalFrom>,
    arrival_place: Option<String>,
    risk_category: Option<RiskCategory>,
    observation_start: Option<NaiveDate>,
    observation_end: Option<NaiveDate>,
}

impl MemberRow {
    fn into_member(self, today: NaiveDate) -> Result<Member, sqlx::Error> {
        let risk = RiskInfo {
            arrival_date: self.arrival_date,
            arrival_from: self.arrival_from,
            arrival_place: self.arrival_place,
            category: self.risk_category,
            observation_start: self.observation_start,
            observation_end: self.observation_end,
        };
        Ok(Member {
            id: self.id,
            observation: risk.observation_status(today),
            name: self.name,
            phone: self.phone.map(Phone::into_string),
            relation: self.relation,
            birth_year: self.birth_year,
            id_number: self.id_number.map(IdNumber::into_string),
            groups: split_list(Some(&self.groups), SpecialGroup::parse)?,
            risk,
        })
    }
}

const MEMBER_COLUMNS: &str = "m.id, m.name, m.phone, m.relation, m.birth_year, m.id_number, m.groups,
     m.arrival_date, m.arrival_from, m.arrival_place, m.risk_category, m.observation_start, m.observation_end";

/// A household in full, unmasked: callers mask for the reader.
pub struct StoredHousehold {
    pub id: i64,
    pub address: Address,
    pub source: Source,
    pub active: bool,
    pub consent_sensitive: bool,
    pub members: Vec<Member>,
    pub visits: Vec<Visit>,
    pub updated_at: DateTime<Utc>,
}

pub async fn find(
    db: &Db,
    id: i64,
    today: NaiveDate,
) -> Result<Option<StoredHousehold>, sqlx::Error> {
    let sql = format!(
        "SELECT h.id, h.source, h.state, h.consent_sensitive_at, h.updated_at, {ADDRESS_COLUMNS}
         FROM households h {ADDRESS_JOINS} WHERE h.id = ?"
    );
    let Some(row) = sql::query_as::<HouseholdRow>(&sql)
        .bind(id)
        .fetch_optional(db.reader())
        .await?
    else {
        return Ok(None);
    };
    let members = sql::query_as::<MemberRow>(&format!(
        "SELECT {MEMBER_COLUMNS} FROM members m WHERE m.household_id = ? ORDER BY m.position"
    ))
    .bind(id)
    .fetch_all(db.reader())
    .await?
    .into_iter()
    .map(|m| m.into_member(today))
    .collect::<Result<_, _>>()?;
    let visits = visits_of_room(db, row.address.a_room_id).await?;
    Ok(Some(StoredHousehold {
        id: row.id,
        source: row.source,
        active: row.state == "active",
        consent_sensitive: row.consent_sensitive_at.is_some(),
        updated_at: row.updated_at,
        address: row.address.into(),
        members,
        visits,
    }))
}

pub async fn visits_of_room(db: &Db, room_id: i64) -> Result<Vec<Visit>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        id: i64,
        room_id: i64,
        household_id: Option<i64>,
        visited_on: NaiveDate,
        outcome: VisitOutcome,
        worker_name: String,
        note: Option<String>,
    }
    let rows = sql::query_as::<Row>(
        "SELECT v.id, v.room_id, v.household_id, v.visited_on, v.outcome, u.display_name AS worker_name, v.note
         FROM visits v JOIN users u ON u.id = v.worker_id
         WHERE v.room_id = ? ORDER BY v.visited_on DESC, v.id DESC LIMIT 50",
    )
    .bind(room_id)
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Visit {
            id: r.id,
            room_id: r.room_id,
            household_id: r.household_id,
            visited_on: r.visited_on,
            outcome: r.outcome,
            worker_name: r.worker_name,
            note: r.note,
        })
        .collect())
}

/// Adds the ledger's filters to a query over `households h` joined with `rooms r`.
fn push_filters(b: &mut QueryBuilder<'_>, scope: Scope, q: &LedgerQuery, today: NaiveDate) {
    b.push(" WHERE h.state = 'active'");
    scope.push_and(b, "h.grid_id");
    if let Some(grid) = q.grid_id {
        b.push(" AND h.grid_id = ").push_bind(grid);
    }
    if let Some(building) = q.building_id {
        b.push(" AND h.building_id = ").push_bind(building);
    }
    if let Some(source) = q.source {
        b.push(" AND h.source = ").push_bind(source);
    }
    if let Some(group) = q.group {
        b.push(" AND h.id IN (SELECT household_id FROM member_groups WHERE grp = ")
            .push_bind(group)
            .push(")");
    }
    if let Some(risk) = q.risk {
        b.push(" AND h.id IN (SELECT household_id FROM members WHERE risk_category = ")
            .push_bind(risk)
            .push(")");
    }
    let active_observation = |b: &mut QueryBuilder<'_>| {
        b.push("(SELECT household_id FROM members WHERE observation_end >= ")
            .push_bind(today)
            .push(" AND observation_start <= ")
            .push_bind(today)
            .push(")");
    };
    match q.observation {
        Some(ObservationStatus::Active) => {
            b.push(" AND h.id IN ");
            active_observation(b);
        }
        Some(ObservationStatus::Ended) => {
            b.push(" AND h.id IN (SELECT household_id FROM members WHERE observation_end < ")
                .push_bind(today)
                .push(") AND h.id NOT IN ");
            active_observation(b);
        }
        Some(ObservationStatus::NotObserved) => {
            b.push(" AND h.id NOT IN (SELECT household_id FROM members WHERE observation_end IS NOT NULL)");
        }
        None => {}
    }
    let week_ago = today - chrono::Duration::days(7);
    match q.last_visit {
        Some(LastVisit::Never) => {
            b.push(" AND h.last_visit_on IS NULL");
        }
        Some(LastVisit::Within7Days) => {
            b.push(" AND h.last_visit_on >= ").push_bind(week_ago);
        }
        Some(LastVisit::Over7Days) => {
            b.push(" AND h.last_visit_on < ").push_bind(week_ago);
        }
        None => {}
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let text = text.to_owned();
        b.push(" AND (r.name = ")
            .push_bind(text.clone())
            .push(" OR h.id IN (SELECT household_id FROM members WHERE name >= ")
            .push_bind(text.clone())
            .push(" AND name < ")
            .push_bind(format!("{text}\u{10FFFF}"))
            .push("))");
    }
}

#[derive(FromRow)]
struct LedgerRow {
    id: i64,
    source: Source,
    head_name: String,
    head_phone: Option<String>,
    member_count: i64,
    last_visit_on: Option<NaiveDate>,
    last_visit_outcome: Option<VisitOutcome>,
    groups: Option<String>,
    risks: Option<String>,
    observed: bool,
    #[sqlx(flatten)]
    address: AddressRow,
}

/// One page of the ledger, unmasked (the route masks), and the total.
pub async fn ledger(
    db: &Db,
    scope: Scope,
    q: &LedgerQuery,
    today: NaiveDate,
    limit: u32,
    offset: u64,
) -> Result<(Vec<shouwang_api::residents::HouseholdSummary>, u64), sqlx::Error> {
    // The page's ids first, from the indexes alone; the costly columns (lists, address)
    // then for those rows only. In one query, SQLite sorted and computed every row before
    // the offset: page 200 of 10,000 took 27 ms of CPU, now 4.
    let mut b = QueryBuilder::new(
        "SELECT h.id, h.source, h.head_name, h.head_phone, h.member_count, h.last_visit_on, h.last_visit_outcome,
            (SELECT group_concat(DISTINCT grp) FROM member_groups mg WHERE mg.household_id = h.id) AS groups,
            (SELECT group_concat(DISTINCT risk_category) FROM members mr WHERE mr.household_id = h.id) AS risks,
            EXISTS (SELECT 1 FROM members mo WHERE mo.household_id = h.id AND mo.observation_end >= ",
    );
    b.push_bind(today)
        .push(" AND mo.observation_start <= ")
        .push_bind(today)
        .push(format!(
            ") AS observed, {ADDRESS_COLUMNS}
            FROM (SELECT h.id FROM households h JOIN rooms r ON r.id = h.room_id"
        ));
    push_filters(&mut b, scope, q, today);
    b.push(" ORDER BY h.grid_id, h.building_id, h.unit_id, h.room_id LIMIT ")
        .push_bind(i64::from(limit))
        .push(" OFFSET ")
        .push_bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .push(format!(
            ") page JOIN households h ON h.id = page.id {ADDRESS_JOINS}
            ORDER BY h.grid_id, h.building_id, h.unit_id, h.room_id"
        ));
    let rows = b
        .build_query_as::<LedgerRow>()
        .fetch_all(db.reader())
        .await?;

    let mut count =
        QueryBuilder::new("SELECT COUNT(*) FROM households h JOIN rooms r ON r.id = h.room_id");
    push_filters(&mut count, scope, q, today);
    let total: i64 = count.build_query_scalar().fetch_one(db.reader()).await?;

    let items = rows
        .into_iter()
        .map(|r| {
            Ok(shouwang_api::residents::HouseholdSummary {
                id: r.id,
                source: r.source,
                head_name: r.head_name,
                head_phone: r.head_phone,
                member_count: u32::try_from(r.member_count).unwrap_or(0),
                groups: split_list(r.groups.as_deref(), SpecialGroup::parse)?,
                risk_categories: split_list(r.risks.as_deref(), RiskCategory::parse)?,
                under_observation: r.observed,
                last_visit_on: r.last_visit_on,
                last_visit_outcome: r.last_visit_outcome,
                address: r.address.into(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

/// One exported line: a person with their household's address.
pub struct ExportLine {
    pub household_id: i64,
    pub address: Address,
    pub source: Source,
    pub last_visit_on: Option<NaiveDate>,
    pub last_visit_outcome: Option<VisitOutcome>,
    pub member: Member,
}

#[derive(FromRow)]
struct ExportRow {
    household_id: i64,
    source: Source,
    last_visit_on: Option<NaiveDate>,
    last_visit_outcome: Option<VisitOutcome>,
    #[sqlx(flatten)]
    address: AddressRow,
    #[sqlx(flatten)]
    member: MemberRow,
}

pub const EXPORT_MAX_ROWS: i64 = 50_000;

/// Every person in the filtered ledger, unmasked (the caller masks).
pub async fn export_lines(
    db: &Db,
    scope: Scope,
    q: &LedgerQuery,
    today: NaiveDate,
) -> Result<Vec<ExportLine>, sqlx::Error> {
    let mut b = QueryBuilder::new(format!(
        "SELECT h.id AS household_id, h.source, h.last_visit_on, h.last_visit_outcome, {ADDRESS_COLUMNS}, {MEMBER_COLUMNS}
         FROM households h {ADDRESS_JOINS} JOIN members m ON m.household_id = h.id"
    ));
    push_filters(&mut b, scope, q, today);
    b.push(" ORDER BY h.grid_id, h.building_id, h.unit_id, h.room_id, m.position LIMIT ")
        .push_bind(EXPORT_MAX_ROWS);
    let rows = b
        .build_query_as::<ExportRow>()
        .fetch_all(db.reader())
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ExportLine {
                household_id: r.household_id,
                source: r.source,
                last_visit_on: r.last_visit_on,
                last_visit_outcome: r.last_visit_outcome,
                address: r.address.into(),
                member: r.member.into_member(today)?,
            })
        })
        .collect()
}

/// One room of the coverage map, before its status is decided.
#[derive(FromRow)]
pub struct CoverageRow {
    pub grid_id: i64,
    pub grid: String,
    pub building_id: i64,
    pub building: String,
    pub head_name: Option<String>,
    pub unit: String,
    pub room_id: i64,
    pub room: String,
    pub source: Option<Source>,
    pub last_outcome: Option<VisitOutcome>,
}

pub async fn coverage_rows(
    db: &Db,
    scope: Scope,
    grid_id: Option<i64>,
) -> Result<Vec<CoverageRow>, sqlx::Error> {
    sql::query_as::<CoverageRow>(&format!(
        "SELECT g.id AS grid_id, g.name AS grid, b.id AS building_id, b.name AS building, b.head_name,
                u.name AS unit, r.id AS room_id, r.name AS room, h.source,
                (SELECT outcome FROM visits v WHERE v.room_id = r.id ORDER BY v.visited_on DESC, v.id DESC LIMIT 1) AS last_outcome
         FROM rooms r JOIN units u ON u.id = r.unit_id JOIN buildings b ON b.id = u.building_id
         JOIN grids g ON g.id = b.grid_id
         LEFT JOIN households h ON h.room_id = r.id AND h.state = 'active'
         WHERE r.retired_at IS NULL AND u.retired_at IS NULL AND b.retired_at IS NULL AND g.retired_at IS NULL
           AND {}
           AND (?3 IS NULL OR g.id = ?3)
         ORDER BY g.id, b.id, u.id, length(r.name), r.name",
        Scope::filter("g.id")
    ))
    .bind_scope(scope)
    .bind(grid_id)
    .fetch_all(db.reader())
    .await
}

/// Who read or exported a household, newest first (the resident's own view).
pub async fn access_log(db: &Db, household_id: i64) -> Result<Vec<AccessEntry>, sqlx::Error> {
    let rows: Vec<(DateTime<Utc>, Option<String>, String)> = sql::query_as(
        "SELECT a.at, u.role, a.action FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
         WHERE a.target_type = 'household' AND a.target_id = ?
           AND a.action IN ('household.view', 'household.reveal', 'household.export')
         ORDER BY a.at DESC, a.id DESC LIMIT 100",
    )
    .bind(household_id)
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, role, action)| AccessEntry {
            at,
            role: role.and_then(|r| r.parse().ok()),
            action,
        })
        .collect())
}

/// The end of the emergency: every household and its people are deleted with all that
/// hangs off them (cascades: members, groups, health check-ins, follow-ups, observation
/// periods, 包保 assignments and contacts, receipts, testing results, supply requests and
/// their events); resident accounts are anonymised and disabled, their sessions ended;
/// updates that were never published (their text may name anyone) are deleted with
/// their photos, published ones lose their sender; notifications about people are
/// deleted; visit notes, handover names, buildings' contacts and the ledger filters in
/// the audit trail are cleared. Counts and the audit trail (ids only) remain. Every
/// table is classified in `tests/api/hardening.rs`. Returns how many households were
/// deleted.
pub async fn purge_personal_data(tx: &mut Tx, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    const STATEMENTS: &[&str] = &[
        "DELETE FROM merge_requests",
        "UPDATE visits SET note = NULL, household_id = NULL",
        "UPDATE supply_runs SET handover_to = NULL",
        // Staff notes on zone decisions may name a household ("302 has a fever"); the
        // building contacts are people too. The public reason stays, as published.
        "UPDATE building_zones SET internal_note = NULL, contact_name = NULL, contact_phone = NULL",
        "UPDATE scheduled_zones SET internal_note = NULL, contact_name = NULL, contact_phone = NULL",
        // Unpublished updates: their moderation entries keep who did what and when,
        // not what was said.
        "UPDATE moderation_log SET detail = NULL, submission_id = NULL
         WHERE submission_id IN (SELECT id FROM submissions WHERE status <> 'published')",
        "UPDATE submissions SET group_id = NULL
         WHERE group_id IN (SELECT id FROM submissions WHERE status <> 'published')",
        "DELETE FROM submission_photos
         WHERE submission_id IN (SELECT id FROM submissions WHERE status <> 'published')",
        "DELETE FROM submissions WHERE status <> 'published'",
        "UPDATE submissions SET submitter_id = NULL
         WHERE submitter_id IN (SELECT id FROM users WHERE role = 'resident')",
        "DELETE FROM submission_blocks
         WHERE user_id IN (SELECT id FROM users WHERE role = 'resident')",
        // What stays is about shifts, testing rounds and accounts, for the people on duty.
        "DELETE FROM notifications
         WHERE user_id IN (SELECT id FROM users WHERE role = 'resident')
            OR NOT (kind LIKE 'shift.%' OR kind LIKE 'testing.%' OR kind LIKE 'volunteer.%')",
        "UPDATE audit_log SET detail = json_remove(detail, '$.filters')
         WHERE action = 'residents.export' AND json_valid(detail)",
    ];
    for statement in STATEMENTS {
        sql::query(statement).execute(&mut **tx).await?;
    }
    let deleted = sql::query("DELETE FROM households")
        .execute(&mut **tx)
        .await?
        .rows_affected();
    sql::query(
        "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE role = 'resident')",
    )
    .execute(&mut **tx)
    .await?;
    // Kept answers to Idempotency-Key requests can repeat a household's data (a door
    // registration's answer); they only matter for a day anyway.
    sql::query("DELETE FROM idempotency_keys")
        .execute(&mut **tx)
        .await?;
    sql::query(
        "UPDATE users SET username = 'erased-' || id, display_name = '已注销', password_hash = '!',
             disabled_at = COALESCE(disabled_at, ?)
         WHERE role = 'resident'",
    )
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sql::query("UPDATE buildings SET head_name = NULL, head_phone = NULL")
        .execute(&mut **tx)
        .await?;
    Ok(deleted)
}

/// After a purge: rebuilds the file without the freed pages and empties the WAL, so the
/// deleted bytes are gone from disk (`secure_delete` already zeroes them as they are
/// freed; this also drops old page versions the WAL still holds).
pub async fn compact(db: &Db) -> Result<(), sqlx::Error> {
    match db.writer() {
        super::Pool::Sqlite(pool) => {
            let mut conn = pool.acquire().await?;
            sql::query("VACUUM").execute(&mut *conn).await?;
            sql::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut *conn)
                .await?;
        }
        // PostgreSQL's own VACUUM (autovacuum) reclaims the purged rows' space.
        super::Pool::Postgres(_) => {}
    }
    Ok(())
}
