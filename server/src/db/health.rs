//! Check-ins, follow-ups and ended observation periods. Staff queries take the residents'
//! [`Scope`] and filter by it in SQL, exactly as the ledger does.

use super::scope::{BindScope, Scope};
use super::sql;
use super::sql::QueryBuilder;
use super::{Db, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::health::{
    CheckIn, ContactMethod, EndedObservation, FollowUp, Symptom, Temperature, ValidCheckIn,
    WorklistQuery,
};
use shouwang_api::residents::{Address, Relation};
use shouwang_api::zones::Zone;
use sqlx::FromRow;

/// A person of a household, with what decides whether they check in today.
#[derive(Debug, Clone, FromRow)]
pub struct PersonRow {
    pub member_id: i64,
    pub household_id: i64,
    pub grid_id: i64,
    pub name: String,
    pub relation: Relation,
    pub observation_start: Option<NaiveDate>,
    pub observation_end: Option<NaiveDate>,
    pub zone: Zone,
}

impl PersonRow {
    pub fn zone(&self) -> Zone {
        self.zone
    }

    pub fn relation(&self) -> Relation {
        self.relation
    }
}

const PERSON: &str = "SELECT m.id AS member_id, m.household_id, h.grid_id, m.name, m.relation,
        m.observation_start, m.observation_end, b.zone
     FROM members m JOIN households h ON h.id = m.household_id
     JOIN buildings b ON b.id = h.building_id";

/// Everybody in one household, in the household's order.
pub async fn people_of_household(
    db: &Db,
    household_id: i64,
) -> Result<Vec<PersonRow>, sqlx::Error> {
    sql::query_as(&format!(
        "{PERSON} WHERE m.household_id = ? ORDER BY m.position"
    ))
    .bind(household_id)
    .fetch_all(db.reader())
    .await
}

/// One person of one household (a resident checks in only for their own).
pub async fn person_in_household(
    tx: &mut Tx,
    household_id: i64,
    member_id: i64,
) -> Result<Option<PersonRow>, sqlx::Error> {
    sql::query_as(&format!("{PERSON} WHERE m.household_id = ? AND m.id = ?"))
        .bind(household_id)
        .bind(member_id)
        .fetch_optional(&mut **tx)
        .await
}

/// One person, when their household is in the caller's grids (404 otherwise).
pub async fn person_in_scope(
    tx: &mut Tx,
    member_id: i64,
    scope: Scope,
) -> Result<Option<PersonRow>, sqlx::Error> {
    sql::query_as(&format!(
        "{PERSON} WHERE m.id = ?3 AND h.state = 'active' AND {}",
        Scope::filter("h.grid_id")
    ))
    .bind_scope(scope)
    .bind(member_id)
    .fetch_optional(&mut **tx)
    .await
}

#[derive(FromRow)]
struct CheckInRow {
    id: i64,
    member_id: i64,
    day: NaiveDate,
    temperature: Option<i32>,
    symptoms: String,
    note: Option<String>,
    at: DateTime<Utc>,
    by_name: Option<String>,
}

impl From<CheckInRow> for CheckIn {
    fn from(r: CheckInRow) -> Self {
        let temperature = r.temperature.map(Temperature::from_tenths);
        CheckIn {
            id: r.id,
            member_id: r.member_id,
            day: r.day,
            temperature: temperature.map(Temperature::celsius),
            symptoms: Symptom::split(&r.symptoms),
            note: r.note,
            fever: temperature.is_some_and(Temperature::is_fever),
            at: r.at,
            by_name: r.by_name,
        }
    }
}

const CHECK_IN: &str = "SELECT c.id, c.member_id, c.day, c.temperature, c.symptoms, c.note, c.at,
        u.display_name AS by_name
     FROM health_check_ins c LEFT JOIN users u ON u.id = c.by_user";

/// The check-ins of one household on one day.
pub async fn check_ins_of_household_on(
    db: &Db,
    household_id: i64,
    day: NaiveDate,
) -> Result<Vec<CheckIn>, sqlx::Error> {
    let rows: Vec<CheckInRow> = sql::query_as(&format!(
        "{CHECK_IN} WHERE c.household_id = ? AND c.day = ?"
    ))
    .bind(household_id)
    .bind(day)
    .fetch_all(db.reader())
    .await?;
    Ok(rows.into_iter().map(CheckIn::from).collect())
}

/// Records today's check-in of one person; a second one the same day replaces the first.
pub async fn upsert_check_in(
    tx: &mut Tx,
    person: &PersonRow,
    check_in: &ValidCheckIn,
    day: NaiveDate,
    by_user: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO health_check_ins (member_id, household_id, grid_id, day, temperature, symptoms, note, flagged, by_user, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (member_id, day) DO UPDATE SET temperature = excluded.temperature,
             symptoms = excluded.symptoms, note = excluded.note, flagged = excluded.flagged,
             by_user = excluded.by_user, at = excluded.at
         RETURNING id",
    )
    .bind(person.member_id)
    .bind(person.household_id)
    .bind(person.grid_id)
    .bind(day)
    .bind(check_in.temperature.map(Temperature::tenths))
    .bind(Symptom::join(&check_in.symptoms))
    .bind(check_in.note.as_deref())
    .bind(check_in.flagged())
    .bind(by_user)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// One line of the worklist, before masking.
#[derive(Debug, FromRow)]
pub struct WorklistRow {
    #[sqlx(flatten)]
    pub person: PersonRow,
    pub phone: Option<shouwang_api::personal::Phone>,
    pub temperature: Option<i32>,
    pub symptoms: Option<String>,
    pub checked_in: bool,
    pub acknowledged: bool,
    a_grid: String,
    a_building_id: i64,
    a_building: String,
    a_unit: String,
    a_room_id: i64,
    a_room: String,
}

impl WorklistRow {
    pub fn address(&self) -> Address {
        Address {
            grid_id: self.person.grid_id,
            grid: self.a_grid.clone(),
            building_id: self.a_building_id,
            building: self.a_building.clone(),
            unit: self.a_unit.clone(),
            room_id: self.a_room_id,
            room: self.a_room.clone(),
        }
    }
}

/// The FROM and WHERE of the worklist: people of the caller's grids who check in today
/// (under observation, or in a controlled or sealed building), with a flag.
fn push_worklist(b: &mut QueryBuilder<'_>, scope: Scope, q: &WorklistQuery, today: NaiveDate) {
    let ending = today + chrono::Duration::days(shouwang_api::health::OBSERVATION_ENDING_DAYS);
    b.push(
        " FROM households h JOIN rooms r ON r.id = h.room_id JOIN units u ON u.id = r.unit_id
          JOIN buildings b ON b.id = h.building_id JOIN grids g ON g.id = h.grid_id
          JOIN members m ON m.household_id = h.id
          LEFT JOIN health_check_ins c ON c.member_id = m.id AND c.day = ",
    )
    .push_bind(today)
    .push(" WHERE h.state = 'active'");
    scope.push_and(b, "h.grid_id");
    if let Some(grid) = q.grid_id {
        b.push(" AND h.grid_id = ").push_bind(grid);
    }
    if let Some(building) = q.building_id {
        b.push(" AND h.building_id = ").push_bind(building);
    }
    b.push(" AND ((m.observation_start <= ")
        .push_bind(today)
        .push(" AND m.observation_end >= ")
        .push_bind(today)
        .push(") OR b.zone IN ('controlled', 'sealed'))");
    let push_ending = |b: &mut QueryBuilder<'_>| {
        b.push("(m.observation_end >= ")
            .push_bind(today)
            .push(" AND m.observation_end <= ")
            .push_bind(ending)
            .push(")");
    };
    use shouwang_api::health::Flag;
    match q.flag {
        Some(Flag::Missing) => {
            b.push(" AND c.id IS NULL");
        }
        Some(Flag::Fever) => {
            b.push(" AND c.temperature >= ")
                .push_bind(shouwang_api::health::FEVER_TENTHS);
        }
        Some(Flag::Symptoms) => {
            b.push(" AND c.symptoms != ''");
        }
        Some(Flag::ObservationEnding) => {
            b.push(" AND ");
            push_ending(b);
        }
        None => {
            b.push(" AND (c.id IS NULL OR c.flagged = TRUE OR ");
            push_ending(b);
            b.push(")");
        }
    }
}

/// One page of today's worklist (flagged check-ins first), and the total.
pub async fn worklist(
    db: &Db,
    scope: Scope,
    q: &WorklistQuery,
    today: NaiveDate,
    limit: u32,
    offset: u64,
) -> Result<(Vec<WorklistRow>, u64), sqlx::Error> {
    let mut b = QueryBuilder::new(
        "SELECT m.id AS member_id, m.household_id, h.grid_id, m.name, m.relation,
            m.observation_start, m.observation_end, b.zone, m.phone, c.temperature, c.symptoms,
            c.id IS NOT NULL AS checked_in,
            EXISTS (SELECT 1 FROM health_follow_ups f WHERE f.member_id = m.id AND f.day = ",
    );
    b.push_bind(today).push(
        ") AS acknowledged, g.name AS a_grid, b.id AS a_building_id, b.name AS a_building,
            u.name AS a_unit, r.id AS a_room_id, r.name AS a_room",
    );
    push_worklist(&mut b, scope, q, today);
    b.push(
        " ORDER BY COALESCE(c.flagged, FALSE) DESC, c.id IS NULL DESC,
            h.grid_id, h.building_id, h.unit_id, h.room_id, m.position LIMIT ",
    )
    .push_bind(i64::from(limit))
    .push(" OFFSET ")
    .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
    let rows = b
        .build_query_as::<WorklistRow>()
        .fetch_all(db.reader())
        .await?;
    let mut count = QueryBuilder::new("SELECT COUNT(*)");
    push_worklist(&mut count, scope, q, today);
    let total: i64 = count.build_query_scalar().fetch_one(db.reader()).await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

pub async fn insert_follow_up(
    tx: &mut Tx,
    person: &PersonRow,
    day: NaiveDate,
    note: &str,
    staff_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>(
        "INSERT INTO health_follow_ups (member_id, household_id, grid_id, day, note, staff_id, at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(person.member_id)
    .bind(person.household_id)
    .bind(person.grid_id)
    .bind(day)
    .bind(note)
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// One person's last 30 check-ins, newest first.
pub async fn check_ins_of_member(db: &Db, member_id: i64) -> Result<Vec<CheckIn>, sqlx::Error> {
    let rows: Vec<CheckInRow> = sql::query_as(&format!(
        "{CHECK_IN} WHERE c.member_id = ? ORDER BY c.day DESC LIMIT 30"
    ))
    .bind(member_id)
    .fetch_all(db.reader())
    .await?;
    Ok(rows.into_iter().map(CheckIn::from).collect())
}

/// Every follow-up of one person, newest first.
pub async fn follow_ups_of_member(db: &Db, member_id: i64) -> Result<Vec<FollowUp>, sqlx::Error> {
    sql::query_as::<(i64, NaiveDate, String, String, DateTime<Utc>)>(
        "SELECT f.id, f.day, f.note, u.display_name, f.at FROM health_follow_ups f
         JOIN users u ON u.id = f.staff_id WHERE f.member_id = ? ORDER BY f.at DESC, f.id DESC LIMIT 100",
    )
    .bind(member_id)
    .fetch_all(db.reader())
    .await
    .map(|rows| {
        rows.into_iter()
            .map(|(id, day, note, staff_name, at)| FollowUp {
                id,
                day,
                note,
                staff_name,
                at,
            })
            .collect()
    })
}

pub async fn ended_observations_of_member(
    db: &Db,
    member_id: i64,
) -> Result<Vec<EndedObservation>, sqlx::Error> {
    sql::query_as::<(NaiveDate, NaiveDate, DateTime<Utc>)>(
        "SELECT starts_on, ends_on, ended_at FROM observation_periods
         WHERE member_id = ? ORDER BY ends_on DESC",
    )
    .bind(member_id)
    .fetch_all(db.reader())
    .await
    .map(|rows| {
        rows.into_iter()
            .map(|(starts_on, ends_on, ended_at)| EndedObservation {
                starts_on,
                ends_on,
                ended_at,
            })
            .collect()
    })
}

/// Closes every observation period whose end date has passed and that is not yet on
/// record; returns (member, household) of each one closed now.
pub async fn end_due_observations(
    tx: &mut Tx,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sql::query_as(
        "INSERT INTO observation_periods (member_id, household_id, starts_on, ends_on, ended_at)
         SELECT id, household_id, observation_start, observation_end, ? FROM members
         WHERE observation_end < ? AND observation_start IS NOT NULL
         ON CONFLICT (member_id, starts_on, ends_on) DO NOTHING
         RETURNING member_id, household_id",
    )
    .bind(now)
    .bind(today)
    .fetch_all(&mut **tx)
    .await
}

/// The resident accounts of a household, to tell them.
pub async fn accounts_of_household(
    tx: &mut Tx,
    household_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sql::query_scalar("SELECT user_id FROM household_accounts WHERE household_id = ?")
        .bind(household_id)
        .fetch_all(&mut **tx)
        .await
}

/// People under observation today, for the demo to give some of them a check-in.
pub async fn people_under_observation(
    tx: &mut Tx,
    today: NaiveDate,
) -> Result<Vec<PersonRow>, sqlx::Error> {
    sql::query_as(&format!(
        "{PERSON} WHERE m.observation_start <= ?1 AND m.observation_end >= ?1 ORDER BY m.id"
    ))
    .bind(today)
    .fetch_all(&mut **tx)
    .await
}

/// Whether anyone in the household belongs to a special group (特殊群体).
pub async fn is_vulnerable(tx: &mut Tx, household_id: i64) -> Result<bool, sqlx::Error> {
    sql::query_scalar("SELECT EXISTS (SELECT 1 FROM member_groups WHERE household_id = ?)")
        .bind(household_id)
        .fetch_one(&mut **tx)
        .await
}

/// The display name of an active staff, admin or volunteer account (a 包保 contact).
pub async fn contact_account_name(
    tx: &mut Tx,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar(
        "SELECT display_name FROM users
         WHERE id = ? AND disabled_at IS NULL AND role IN ('admin', 'staff', 'volunteer')",
    )
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await
}

pub struct NewCare<'a> {
    pub household_id: i64,
    pub grid_id: i64,
    pub contact_user_id: Option<i64>,
    pub contact_name: &'a str,
    pub contact_phone: Option<&'a str>,
    pub interval_hours: u32,
    pub due_at: DateTime<Utc>,
    pub set_by: i64,
}

/// Sets (or replaces) a household's 包保 contact; the next contact is due from now.
pub async fn upsert_care(
    tx: &mut Tx,
    care: NewCare<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO care_assignments (household_id, grid_id, contact_user_id, contact_name,
             contact_phone, interval_hours, due_at, set_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (household_id) DO UPDATE SET contact_user_id = excluded.contact_user_id,
             contact_name = excluded.contact_name, contact_phone = excluded.contact_phone,
             interval_hours = excluded.interval_hours, due_at = excluded.due_at,
             set_by = excluded.set_by, updated_at = excluded.updated_at",
    )
    .bind(care.household_id)
    .bind(care.grid_id)
    .bind(care.contact_user_id)
    .bind(care.contact_name)
    .bind(care.contact_phone)
    .bind(i64::from(care.interval_hours))
    .bind(care.due_at)
    .bind(care.set_by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A household's 包保 contact account, interval and grid, when it has one.
pub async fn care_of(
    tx: &mut Tx,
    household_id: i64,
) -> Result<Option<(Option<i64>, u32, i64)>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        contact_user_id: Option<i64>,
        #[sqlx(try_from = "i64")]
        interval_hours: u32,
        grid_id: i64,
    }
    let row: Option<Row> = sql::query_as(
        "SELECT contact_user_id, interval_hours, grid_id FROM care_assignments WHERE household_id = ?",
    )
    .bind(household_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| (r.contact_user_id, r.interval_hours, r.grid_id)))
}

/// Logs a contact and moves the next due time on.
pub async fn log_care_contact(
    tx: &mut Tx,
    household_id: i64,
    by_user: i64,
    method: Option<ContactMethod>,
    note: Option<&str>,
    at: DateTime<Utc>,
    next_due: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let id = sql::query_scalar::<i64>(
        "INSERT INTO care_contacts (household_id, by_user, method, note, at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(household_id)
    .bind(by_user)
    .bind(method)
    .bind(note)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    sql::query(
        "UPDATE care_assignments SET last_contact_at = ?, due_at = ? WHERE household_id = ?",
    )
    .bind(at)
    .bind(next_due)
    .bind(household_id)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

#[derive(Debug, FromRow)]
pub struct CareRow {
    pub household_id: i64,
    pub head_name: String,
    pub contact_user_id: Option<i64>,
    pub contact_name: String,
    pub contact_phone: Option<String>,
    #[sqlx(try_from = "i64")]
    pub interval_hours: u32,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub due_at: DateTime<Utc>,
    pub grid_id: i64,
    a_grid: String,
    a_building_id: i64,
    a_building: String,
    a_unit: String,
    a_room_id: i64,
    a_room: String,
}

impl CareRow {
    pub fn address(&self) -> Address {
        Address {
            grid_id: self.grid_id,
            grid: self.a_grid.clone(),
            building_id: self.a_building_id,
            building: self.a_building.clone(),
            unit: self.a_unit.clone(),
            room_id: self.a_room_id,
            room: self.a_room.clone(),
        }
    }
}

/// One page of the 包保 contacts overdue at `now` in the caller's grids, the longest
/// overdue first, and the total.
pub async fn overdue_care(
    db: &Db,
    scope: Scope,
    now: DateTime<Utc>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<CareRow>, u64), sqlx::Error> {
    let filter = format!(
        "WHERE c.due_at <= ?3 AND h.state = 'active' AND {}",
        Scope::filter("c.grid_id")
    );
    let rows = sql::query_as::<CareRow>(&format!(
        "SELECT c.household_id, h.head_name, c.contact_user_id, c.contact_name, c.contact_phone,
             c.interval_hours, c.last_contact_at, c.due_at, c.grid_id,
             g.name AS a_grid, b.id AS a_building_id, b.name AS a_building, u.name AS a_unit,
             r.id AS a_room_id, r.name AS a_room
         FROM care_assignments c JOIN households h ON h.id = c.household_id
         JOIN rooms r ON r.id = h.room_id JOIN units u ON u.id = r.unit_id
         JOIN buildings b ON b.id = h.building_id JOIN grids g ON g.id = h.grid_id
         {filter} ORDER BY c.due_at, c.id LIMIT ?4 OFFSET ?5"
    ))
    .bind_scope(scope)
    .bind(now)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM care_assignments c JOIN households h ON h.id = c.household_id {filter}"
    ))
    .bind_scope(scope)
    .bind(now)
    .fetch_one(db.reader())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// One vulnerable household of the 包保 list, with its assignment when it has one.
#[derive(Debug, FromRow)]
pub struct CareListRow {
    pub household_id: i64,
    pub head_name: String,
    pub grid_id: i64,
    pub groups: Option<String>,
    contact_user_id: Option<i64>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    interval_hours: Option<i64>,
    last_contact_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    a_grid: String,
    a_building_id: i64,
    a_building: String,
    a_unit: String,
    a_room_id: i64,
    a_room: String,
}

impl CareListRow {
    pub fn address(&self) -> Address {
        Address {
            grid_id: self.grid_id,
            grid: self.a_grid.clone(),
            building_id: self.a_building_id,
            building: self.a_building.clone(),
            unit: self.a_unit.clone(),
            room_id: self.a_room_id,
            room: self.a_room.clone(),
        }
    }

    /// The assignment, as the overdue list reads it; `None` while nobody is named.
    pub fn care(&self) -> Option<CareRow> {
        let (Some(contact_name), Some(interval_hours), Some(due_at)) =
            (self.contact_name.clone(), self.interval_hours, self.due_at)
        else {
            return None;
        };
        Some(CareRow {
            household_id: self.household_id,
            head_name: self.head_name.clone(),
            contact_user_id: self.contact_user_id,
            contact_name,
            contact_phone: self.contact_phone.clone(),
            // The column's CHECK keeps it within 1..=168 hours.
            interval_hours: u32::try_from(interval_hours).unwrap_or(u32::MAX),
            last_contact_at: self.last_contact_at,
            due_at,
            grid_id: self.grid_id,
            a_grid: self.a_grid.clone(),
            a_building_id: self.a_building_id,
            a_building: self.a_building.clone(),
            a_unit: self.a_unit.clone(),
            a_room_id: self.a_room_id,
            a_room: self.a_room.clone(),
        })
    }
}

/// One page of the vulnerable households (anyone in a special group) of the caller's
/// grids: those without a 包保 contact first, then by when the next contact is due.
pub async fn care_list(
    db: &Db,
    scope: Scope,
    limit: u32,
    offset: u64,
) -> Result<(Vec<CareListRow>, u64), sqlx::Error> {
    let filter = format!(
        "WHERE h.state = 'active' AND {}
           AND EXISTS (SELECT 1 FROM member_groups mg WHERE mg.household_id = h.id)",
        Scope::filter("h.grid_id")
    );
    let rows = sql::query_as::<CareListRow>(&format!(
        "SELECT h.id AS household_id, h.head_name, h.grid_id,
             (SELECT group_concat(DISTINCT mg.grp) FROM member_groups mg WHERE mg.household_id = h.id) AS groups,
             c.contact_user_id, c.contact_name, c.contact_phone, c.interval_hours,
             c.last_contact_at, c.due_at,
             g.name AS a_grid, b.id AS a_building_id, b.name AS a_building, u.name AS a_unit,
             r.id AS a_room_id, r.name AS a_room
         FROM households h JOIN rooms r ON r.id = h.room_id JOIN units u ON u.id = r.unit_id
         JOIN buildings b ON b.id = h.building_id JOIN grids g ON g.id = h.grid_id
         LEFT JOIN care_assignments c ON c.household_id = h.id
         {filter} ORDER BY c.id IS NOT NULL, c.due_at, h.grid_id, h.building_id, h.room_id, h.id
         LIMIT ?3 OFFSET ?4"
    ))
    .bind_scope(scope)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!("SELECT COUNT(*) FROM households h {filter}"))
        .bind_scope(scope)
        .fetch_one(db.reader())
        .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}
