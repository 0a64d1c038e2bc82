//! Testing rounds, their buildings and slots, and results. Staff queries take the residents'
//! [`Scope`] and filter by the grid in SQL: a round is visible to staff of any of its
//! buildings' grids, and each shows only the people of the caller's grids.

use super::scope::{BindScope, Scope};
use super::sql;
use super::sql::QueryBuilder;
use super::{Db, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::residents::Address;
use shouwang_api::testing::{
    PeopleQuery, RoundState, TestPlace, TestResult, UnitProgress, ValidRound, format_time,
};
use sqlx::FromRow;

/// A building named in a new round: its grid, and whether the caller works it.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct BuildingRow {
    pub id: i64,
    pub grid_id: i64,
    pub in_scope: bool,
}

pub async fn buildings(
    tx: &mut Tx,
    ids: &[i64],
    scope: Scope,
) -> Result<Vec<BuildingRow>, sqlx::Error> {
    let mut b = QueryBuilder::new("SELECT id, grid_id, ");
    scope.push(&mut b, "grid_id");
    b.push(" AS in_scope FROM buildings WHERE retired_at IS NULL AND id IN (");
    let mut list = b.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    b.push(")");
    b.build_query_as().fetch_all(&mut **tx).await
}

/// `(unit_id, building_id)` of the given units that exist.
pub async fn units(tx: &mut Tx, ids: &[i64]) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let mut b = QueryBuilder::new("SELECT id, building_id FROM units WHERE id IN (");
    let mut list = b.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    b.push(")");
    b.build_query_as().fetch_all(&mut **tx).await
}

pub async fn insert_round(
    tx: &mut Tx,
    round: &ValidRound,
    buildings: &[BuildingRow],
    unit_buildings: &[(i64, i64)],
    created_by: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let id = sql::query_scalar::<i64>(
        "INSERT INTO testing_rounds (name, day, place, notes, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&round.name)
    .bind(round.date)
    .bind(&round.place)
    .bind(round.notes.as_deref())
    .bind(created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    for b in buildings {
        sql::query(
            "INSERT INTO testing_round_buildings (round_id, building_id, grid_id) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(b.id)
        .bind(b.grid_id)
        .execute(&mut **tx)
        .await?;
    }
    for s in &round.slots {
        let building = unit_buildings
            .iter()
            .find(|(u, _)| *u == s.unit_id)
            .map_or(0, |(_, b)| *b);
        sql::query(
            "INSERT INTO testing_slots (round_id, unit_id, building_id, starts, ends) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(s.unit_id)
        .bind(building)
        .bind(format_time(s.start))
        .bind(format_time(s.end))
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// `(account, unit_id)` of every resident account of the round's households.
pub async fn accounts_of_round(tx: &mut Tx, round_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sql::query_as(
        "SELECT ha.user_id, h.unit_id FROM testing_round_buildings rb
         JOIN households h ON h.building_id = rb.building_id AND h.state = 'active'
         JOIN household_accounts ha ON ha.household_id = h.id
         WHERE rb.round_id = ?",
    )
    .bind(round_id)
    .fetch_all(&mut **tx)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub name: String,
    pub day: NaiveDate,
    pub place: String,
    pub notes: Option<String>,
    pub state: RoundState,
}

impl RoundRow {
    pub fn state(&self) -> RoundState {
        self.state
    }
}

const ROUND: &str = "SELECT r.id, r.name, r.day, r.place, r.notes, r.state FROM testing_rounds r";

/// A round with a building in the caller's grids (None otherwise: 404).
pub async fn round_in_scope(
    tx: &mut Tx,
    id: i64,
    scope: Scope,
) -> Result<Option<RoundRow>, sqlx::Error> {
    sql::query_as(&format!(
        "{ROUND} WHERE r.id = ?3 AND EXISTS (SELECT 1 FROM testing_round_buildings rb
            WHERE rb.round_id = r.id AND {})",
        Scope::filter("rb.grid_id")
    ))
    .bind_scope(scope)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The same, on a reader.
pub async fn round_visible(
    db: &Db,
    id: i64,
    scope: Scope,
) -> Result<Option<RoundRow>, sqlx::Error> {
    sql::query(&format!(
        "{ROUND} WHERE r.id = ?3 AND EXISTS (SELECT 1 FROM testing_round_buildings rb
            WHERE rb.round_id = r.id AND {})",
        Scope::filter("rb.grid_id")
    ))
    .bind_scope(scope)
    .bind(id)
    .fetch_optional(db.reader())
    .await?
    .map(|row| super::decode_row("testing_rounds", &row))
    .transpose()
}

/// Whether every building of the round is in the caller's grids (who may cancel it).
pub async fn all_buildings_in_scope(
    tx: &mut Tx,
    id: i64,
    scope: Scope,
) -> Result<bool, sqlx::Error> {
    let outside: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM testing_round_buildings rb WHERE rb.round_id = ?3 AND NOT {}",
        Scope::filter("rb.grid_id")
    ))
    .bind_scope(scope)
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(outside == 0)
}

/// Cancels a scheduled round; false when it was not scheduled (any more).
pub async fn cancel(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    Ok(sql::query(
        "UPDATE testing_rounds SET state = 'cancelled', cancelled_at = ? WHERE id = ? AND state = 'scheduled'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

#[derive(Debug, FromRow)]
pub struct SummaryRow {
    #[sqlx(flatten)]
    pub round: RoundRow,
    pub buildings: i64,
    pub expected: i64,
    pub tested: i64,
}

/// A page of rounds touching the caller's grids, newest day first, with their counts in
/// those grids.
pub async fn list_rounds(
    db: &Db,
    scope: Scope,
    limit: u32,
    offset: u64,
) -> Result<(Vec<SummaryRow>, u64), sqlx::Error> {
    let rows = sql::query_as(&format!(
        "SELECT r.id, r.name, r.day, r.place, r.notes, r.state, COUNT(*) AS buildings,
            (SELECT COUNT(*) FROM testing_round_buildings x
               JOIN households h ON h.building_id = x.building_id AND h.state = 'active'
               JOIN members m ON m.household_id = h.id
             WHERE x.round_id = r.id AND {}) AS expected,
            (SELECT COUNT(*) FROM testing_results t JOIN households h ON h.id = t.household_id AND h.state = 'active'
             WHERE t.round_id = r.id AND {}) AS tested
         FROM testing_rounds r JOIN testing_round_buildings rb ON rb.round_id = r.id
         WHERE {}
         GROUP BY r.id ORDER BY r.day DESC, r.id DESC LIMIT ?3 OFFSET ?4",
        Scope::filter("x.grid_id"),
        Scope::filter("t.grid_id"),
        Scope::filter("rb.grid_id"),
    ))
    .bind_scope(scope)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(DISTINCT rb.round_id) FROM testing_round_buildings rb WHERE {}",
        Scope::filter("rb.grid_id")
    ))
    .bind_scope(scope)
    .fetch_one(db.reader())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// `(unit_id, building_id, building, unit, start, end)` of the round's slots in the
/// caller's grids, by building and unit.
pub type SlotRow = (i64, i64, String, String, String, String);

pub async fn slots(db: &Db, round_id: i64, scope: Scope) -> Result<Vec<SlotRow>, sqlx::Error> {
    sql::query_as(&format!(
        "SELECT s.unit_id, s.building_id, b.name, u.name, s.starts, s.ends FROM testing_slots s
         JOIN testing_round_buildings rb ON rb.round_id = s.round_id AND rb.building_id = s.building_id
         JOIN buildings b ON b.id = s.building_id JOIN units u ON u.id = s.unit_id
         WHERE s.round_id = ?3 AND {} ORDER BY s.building_id, s.unit_id",
        Scope::filter("rb.grid_id")
    ))
    .bind_scope(scope)
    .bind(round_id)
    .fetch_all(db.reader())
    .await
}

#[derive(FromRow)]
struct ProgressRow {
    building_id: i64,
    building: String,
    unit_id: i64,
    unit: String,
    expected: i64,
    tested: i64,
    at_door: i64,
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// 应检 (the members living in the unit's active households) and 已检, per unit of the
/// round's buildings in the caller's grids.
pub async fn progress(
    db: &Db,
    round_id: i64,
    scope: Scope,
) -> Result<Vec<UnitProgress>, sqlx::Error> {
    let rows: Vec<ProgressRow> = sql::query_as(&format!(
        "SELECT b.id AS building_id, b.name AS building, u.id AS unit_id, u.name AS unit,
            (SELECT COUNT(*) FROM households h JOIN members m ON m.household_id = h.id
             WHERE h.building_id = b.id AND h.state = 'active' AND h.unit_id = u.id) AS expected,
            (SELECT COUNT(*) FROM testing_results t JOIN households h ON h.id = t.household_id AND h.state = 'active'
             WHERE t.round_id = ?3 AND t.building_id = b.id AND t.unit_id = u.id) AS tested,
            (SELECT COUNT(*) FROM testing_results t JOIN households h ON h.id = t.household_id AND h.state = 'active'
             WHERE t.round_id = ?3 AND t.building_id = b.id AND t.unit_id = u.id AND t.place = 'door') AS at_door
         FROM testing_round_buildings rb JOIN buildings b ON b.id = rb.building_id
         JOIN units u ON u.building_id = b.id AND u.retired_at IS NULL
         WHERE rb.round_id = ?3 AND {} ORDER BY b.id, u.id",
        Scope::filter("rb.grid_id")
    ))
    .bind_scope(scope)
    .bind(round_id)
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| UnitProgress {
            building_id: r.building_id,
            building: r.building,
            unit_id: r.unit_id,
            unit: r.unit,
            expected: count(r.expected),
            tested: count(r.tested),
            at_door: count(r.at_door),
        })
        .collect())
}

/// A person of a round, before masking and before the door reasons are worked out.
#[derive(Debug, Clone, FromRow)]
pub struct PersonRow {
    pub member_id: i64,
    pub name: String,
    pub birth_year: i32,
    pub phone: Option<shouwang_api::personal::Phone>,
    pub groups: String,
    pub observation_start: Option<NaiveDate>,
    pub observation_end: Option<NaiveDate>,
    pub zone: String,
    pub place: Option<TestPlace>,
    pub tested_at: Option<DateTime<Utc>>,
    a_grid_id: i64,
    a_grid: String,
    a_building_id: i64,
    a_building: String,
    a_unit: String,
    a_room_id: i64,
    a_room: String,
}

impl PersonRow {
    pub fn address(&self) -> Address {
        Address {
            grid_id: self.a_grid_id,
            grid: self.a_grid.clone(),
            building_id: self.a_building_id,
            building: self.a_building.clone(),
            unit: self.a_unit.clone(),
            room_id: self.a_room_id,
            room: self.a_room.clone(),
        }
    }

    pub fn result(&self) -> Option<TestResult> {
        Some(TestResult {
            member_id: self.member_id,
            place: self.place?,
            at: self.tested_at?,
        })
    }
}

/// Which people a staff list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum People {
    /// 未检: not yet sampled.
    Untested,
    /// 入户采样: who cannot come down, sampled or not.
    Door,
}

const PERSON_COLUMNS: &str = "SELECT m.id AS member_id, m.name, m.birth_year, m.phone, m.groups,
        m.observation_start, m.observation_end, b.zone, t.place, t.tested_at,
        h.grid_id AS a_grid_id, g.name AS a_grid, b.id AS a_building_id, b.name AS a_building,
        u.name AS a_unit, r.id AS a_room_id, r.name AS a_room";

/// Members in a special group who cannot come down, under home observation today, or
/// living in a sealed building.
fn push_door(b: &mut QueryBuilder<'_>, today: NaiveDate) {
    b.push(
        " AND (EXISTS (SELECT 1 FROM member_groups mg WHERE mg.member_id = m.id
                 AND mg.grp IN ('elderly_alone', 'disabled', 'seriously_ill'))
               OR b.zone = 'sealed' OR (m.observation_start <= ",
    )
    .push_bind(today)
    .push(" AND m.observation_end >= ")
    .push_bind(today)
    .push("))");
}

fn push_people(
    b: &mut QueryBuilder<'_>,
    round_id: i64,
    scope: Scope,
    which: People,
    q: &PeopleQuery,
    today: NaiveDate,
) {
    b.push(
        " FROM testing_round_buildings rb
          JOIN households h ON h.building_id = rb.building_id AND h.state = 'active'
          JOIN members m ON m.household_id = h.id
          JOIN rooms r ON r.id = h.room_id JOIN units u ON u.id = h.unit_id
          JOIN buildings b ON b.id = h.building_id JOIN grids g ON g.id = h.grid_id
          LEFT JOIN testing_results t ON t.round_id = rb.round_id AND t.member_id = m.id
          WHERE rb.round_id = ",
    )
    .push_bind(round_id);
    scope.push_and(b, "rb.grid_id");
    if let Some(building) = q.building_id {
        b.push(" AND rb.building_id = ").push_bind(building);
    }
    match which {
        People::Untested => {
            b.push(" AND t.id IS NULL");
        }
        People::Door => push_door(b, today),
    }
}

/// A page of a round's people in the caller's grids, by building, unit, room.
pub async fn people(
    db: &Db,
    round_id: i64,
    scope: Scope,
    which: People,
    q: &PeopleQuery,
    today: NaiveDate,
) -> Result<(Vec<PersonRow>, u64), sqlx::Error> {
    let paging = q.paging();
    let (limit, offset) = (paging.per_page(), paging.offset());
    let mut b = QueryBuilder::new(PERSON_COLUMNS);
    push_people(&mut b, round_id, scope, which, q, today);
    b.push(" ORDER BY h.building_id, h.unit_id, r.name, m.position LIMIT ")
        .push_bind(i64::from(limit))
        .push(" OFFSET ")
        .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
    let rows = b.build_query_as().fetch_all(db.reader()).await?;
    let mut c = QueryBuilder::new("SELECT COUNT(*)");
    push_people(&mut c, round_id, scope, which, q, today);
    let total: i64 = c.build_query_scalar().fetch_one(db.reader()).await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// Everybody of one household, with their result in the round.
pub async fn household_people(
    db: &Db,
    round_id: i64,
    household_id: i64,
) -> Result<Vec<PersonRow>, sqlx::Error> {
    sql::query_as(&format!(
        "{PERSON_COLUMNS} FROM households h JOIN members m ON m.household_id = h.id
         JOIN rooms r ON r.id = h.room_id JOIN units u ON u.id = h.unit_id
         JOIN buildings b ON b.id = h.building_id JOIN grids g ON g.id = h.grid_id
         LEFT JOIN testing_results t ON t.round_id = ?1 AND t.member_id = m.id
         WHERE h.id = ?2 ORDER BY m.position"
    ))
    .bind(round_id)
    .bind(household_id)
    .fetch_all(db.reader())
    .await
}

/// Where a member of a round lives, when the caller may mark them.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct MemberRow {
    pub member_id: i64,
    pub household_id: i64,
    pub grid_id: i64,
    pub building_id: i64,
    pub unit_id: i64,
}

pub async fn member_in_round(
    tx: &mut Tx,
    round_id: i64,
    member_id: i64,
    scope: Scope,
) -> Result<Option<MemberRow>, sqlx::Error> {
    sql::query_as(&format!(
        "SELECT m.id AS member_id, h.id AS household_id, h.grid_id, h.building_id, h.unit_id
         FROM members m JOIN households h ON h.id = m.household_id AND h.state = 'active'
         JOIN testing_round_buildings rb ON rb.building_id = h.building_id AND rb.round_id = ?3
         WHERE m.id = ?4 AND {}",
        Scope::filter("rb.grid_id")
    ))
    .bind_scope(scope)
    .bind(round_id)
    .bind(member_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Records a sampling; a second mark of the same person keeps the first.
/// Returns the stored result and whether this call created it.
pub async fn mark(
    tx: &mut Tx,
    round_id: i64,
    m: MemberRow,
    place: TestPlace,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(TestResult, bool), sqlx::Error> {
    let created = sql::query(
        "INSERT INTO testing_results (round_id, member_id, household_id, grid_id, building_id, unit_id, place, by_user, tested_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (round_id, member_id) DO NOTHING",
    )
    .bind(round_id)
    .bind(m.member_id)
    .bind(m.household_id)
    .bind(m.grid_id)
    .bind(m.building_id)
    .bind(m.unit_id)
    .bind(place)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    let (place, at): (TestPlace, DateTime<Utc>) = sql::query_as(
        "SELECT place, tested_at FROM testing_results WHERE round_id = ? AND member_id = ?",
    )
    .bind(round_id)
    .bind(m.member_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok((
        TestResult {
            member_id: m.member_id,
            place,
            at,
        },
        created,
    ))
}

/// Deletes a mistaken mark; false when there was none.
pub async fn undo(tx: &mut Tx, round_id: i64, member_id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sql::query("DELETE FROM testing_results WHERE round_id = ? AND member_id = ?")
            .bind(round_id)
            .bind(member_id)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            == 1,
    )
}

/// `(building_id, unit_id)` of an active household.
pub async fn household_place(
    db: &Db,
    household_id: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sql::query_as("SELECT building_id, unit_id FROM households WHERE id = ? AND state = 'active'")
        .bind(household_id)
        .fetch_optional(db.reader())
        .await
}

/// Today's or the nearest upcoming scheduled round of a building.
pub async fn next_round_of_building(
    db: &Db,
    building_id: i64,
    today: NaiveDate,
) -> Result<Option<RoundRow>, sqlx::Error> {
    sql::query_as(&format!(
        "{ROUND} JOIN testing_round_buildings rb ON rb.round_id = r.id
         WHERE rb.building_id = ? AND r.state = 'scheduled' AND r.day >= ?
         ORDER BY r.day, r.id LIMIT 1"
    ))
    .bind(building_id)
    .bind(today)
    .fetch_optional(db.reader())
    .await
}

/// A unit's slot, or else the round's whole window (earliest start, latest end).
pub async fn slot_of_unit(
    db: &Db,
    round_id: i64,
    unit_id: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let own =
        sql::query_as("SELECT starts, ends FROM testing_slots WHERE round_id = ? AND unit_id = ?")
            .bind(round_id)
            .bind(unit_id)
            .fetch_optional(db.reader())
            .await?;
    if own.is_some() {
        return Ok(own);
    }
    let (start, end): (Option<String>, Option<String>) =
        sql::query_as("SELECT MIN(starts), MAX(ends) FROM testing_slots WHERE round_id = ?")
            .bind(round_id)
            .fetch_one(db.reader())
            .await?;
    Ok(start.zip(end))
}

/// `(start, end)` of every slot of a round, by unit (for the notifications).
pub async fn slots_of_round(
    tx: &mut Tx,
    round_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sql::query_as("SELECT unit_id, starts, ends FROM testing_slots WHERE round_id = ?")
        .bind(round_id)
        .fetch_all(&mut **tx)
        .await
}
