//! The community's structure: 网格 → 楼栋 → 单元 → 房间, and who works which grid.

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};
use shouwang_api::community::{Building, Grid, Room, Structure, Unit};

pub async fn insert_grid(tx: &mut Tx, name: &str, now: DateTime<Utc>) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>("INSERT INTO grids (name, created_at) VALUES (?, ?) RETURNING id")
        .bind(name)
        .bind(now)
        .fetch_one(&mut **tx)
        .await
}

pub async fn insert_building(
    tx: &mut Tx,
    grid_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>(
        "INSERT INTO buildings (grid_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(grid_id)
    .bind(name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

pub async fn insert_unit(
    tx: &mut Tx,
    building_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>(
        "INSERT INTO units (building_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(building_id)
    .bind(name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Counts of active grids, buildings and units.
pub async fn counts(db: &Db) -> Result<(i64, i64, i64), sqlx::Error> {
    sql::query_as(
        "SELECT (SELECT COUNT(*) FROM grids WHERE retired_at IS NULL),
                (SELECT COUNT(*) FROM buildings WHERE retired_at IS NULL),
                (SELECT COUNT(*) FROM units WHERE retired_at IS NULL)",
    )
    .fetch_one(db.reader())
    .await
}

/// What to rename or retire: each level of the structure is one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Grid,
    Building,
    Unit,
    Room,
}

impl Level {
    fn table(self) -> &'static str {
        match self {
            Level::Grid => "grids",
            Level::Building => "buildings",
            Level::Unit => "units",
            Level::Room => "rooms",
        }
    }

    pub fn audit_name(self) -> &'static str {
        match self {
            Level::Grid => "grid",
            Level::Building => "building",
            Level::Unit => "unit",
            Level::Room => "room",
        }
    }
}

/// Renames an active record; false when there is no such active record.
pub async fn rename(tx: &mut Tx, level: Level, id: i64, name: &str) -> Result<bool, sqlx::Error> {
    // The table name comes from the enum, never from input.
    let sql = format!(
        "UPDATE {} SET name = ? WHERE id = ? AND retired_at IS NULL",
        level.table()
    );
    Ok(sql::query(&sql)
        .bind(name)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        > 0)
}

/// Retires a record (it leaves the registration form; history stays).
pub async fn retire(
    tx: &mut Tx,
    level: Level,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
        level.table()
    );
    Ok(sql::query(&sql)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        > 0)
}

/// True when an active record of this level exists.
pub async fn is_active(tx: &mut Tx, level: Level, id: i64) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*) FROM {} WHERE id = ? AND retired_at IS NULL",
        level.table()
    );
    let n: i64 = sql::query_scalar(&sql)
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

pub async fn set_building_head(
    tx: &mut Tx,
    id: i64,
    head_name: Option<&str>,
    head_phone: Option<&str>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE buildings SET head_name = ?, head_phone = ? WHERE id = ?")
        .bind(head_name)
        .bind(head_phone)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds rooms to a unit, skipping those that exist; returns how many were new.
pub async fn insert_rooms(
    tx: &mut Tx,
    unit_id: i64,
    rooms: &[String],
    now: DateTime<Utc>,
) -> Result<u32, sqlx::Error> {
    let mut added = 0;
    for room in rooms {
        added += sql::query(
            "INSERT INTO rooms (unit_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (unit_id, name) DO NOTHING",
        )
        .bind(unit_id)
        .bind(room)
        .bind(now)
        .execute(&mut **tx)
        .await?
        .rows_affected() as u32;
    }
    Ok(added)
}

/// Finds a grid by name or creates it; the bool says whether it is new.
pub async fn grid_by_name(
    tx: &mut Tx,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(i64, bool), sqlx::Error> {
    let found: Option<i64> = sql::query_scalar("SELECT id FROM grids WHERE name = ?")
        .bind(name)
        .fetch_optional(&mut **tx)
        .await?;
    match found {
        Some(id) => Ok((id, false)),
        None => Ok((insert_grid(tx, name, now).await?, true)),
    }
}

pub async fn building_by_name(
    tx: &mut Tx,
    grid_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(i64, bool), sqlx::Error> {
    let found: Option<i64> =
        sql::query_scalar("SELECT id FROM buildings WHERE grid_id = ? AND name = ?")
            .bind(grid_id)
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
    match found {
        Some(id) => Ok((id, false)),
        None => Ok((insert_building(tx, grid_id, name, now).await?, true)),
    }
}

pub async fn unit_by_name(
    tx: &mut Tx,
    building_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(i64, bool), sqlx::Error> {
    let found: Option<i64> =
        sql::query_scalar("SELECT id FROM units WHERE building_id = ? AND name = ?")
            .bind(building_id)
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
    match found {
        Some(id) => Ok((id, false)),
        None => Ok((insert_unit(tx, building_id, name, now).await?, true)),
    }
}

/// Replaces the grids a staff account works.
pub async fn set_grid_staff(
    tx: &mut Tx,
    grid_id: i64,
    user_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sql::query("DELETE FROM staff_grids WHERE grid_id = ?")
        .bind(grid_id)
        .execute(&mut **tx)
        .await?;
    for user_id in user_ids {
        sql::query("INSERT INTO staff_grids (user_id, grid_id) VALUES (?, ?)")
            .bind(user_id)
            .bind(grid_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// How many of these ids are active staff or admin accounts.
pub async fn count_staff(tx: &mut Tx, user_ids: &[i64]) -> Result<usize, sqlx::Error> {
    let mut n = 0;
    for id in user_ids {
        let found: i64 = sql::query_scalar(
            "SELECT COUNT(*) FROM users WHERE id = ? AND role IN ('staff', 'admin') AND disabled_at IS NULL",
        )
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
        n += usize::try_from(found).unwrap_or(0);
    }
    Ok(n)
}

#[derive(sqlx::FromRow)]
struct StructureRow {
    grid_id: i64,
    grid: String,
    grid_retired: bool,
    building_id: Option<i64>,
    building: Option<String>,
    building_retired: Option<bool>,
    head_name: Option<String>,
    head_phone: Option<String>,
    unit_id: Option<i64>,
    unit: Option<String>,
    unit_retired: Option<bool>,
    room_id: Option<i64>,
    room: Option<String>,
}

/// The whole structure in one query, in display order. `include_retired` for admins.
pub async fn structure(db: &Db, include_retired: bool) -> Result<Structure, sqlx::Error> {
    let rows = sql::query_as::<StructureRow>(
        "SELECT g.id AS grid_id, g.name AS grid, g.retired_at IS NOT NULL AS grid_retired,
                b.id AS building_id, b.name AS building, b.retired_at IS NOT NULL AS building_retired,
                b.head_name, b.head_phone,
                u.id AS unit_id, u.name AS unit, u.retired_at IS NOT NULL AS unit_retired,
                r.id AS room_id, r.name AS room
         FROM grids g
         LEFT JOIN buildings b ON b.grid_id = g.id AND (?1 OR b.retired_at IS NULL)
         LEFT JOIN units u ON u.building_id = b.id AND (?1 OR u.retired_at IS NULL)
         LEFT JOIN rooms r ON r.unit_id = u.id AND r.retired_at IS NULL
         WHERE (?1 OR g.retired_at IS NULL)
         ORDER BY g.id, b.id, u.id, length(r.name), r.name",
    )
    .bind(include_retired)
    .fetch_all(db.reader())
    .await?;
    let mut grids: Vec<Grid> = Vec::new();
    for row in rows {
        if grids.last().is_none_or(|g| g.id != row.grid_id) {
            grids.push(Grid {
                id: row.grid_id,
                name: row.grid.clone(),
                retired: row.grid_retired,
                buildings: Vec::new(),
            });
        }
        let Some(grid) = grids.last_mut() else {
            continue;
        };
        let (Some(building_id), Some(building)) = (row.building_id, row.building) else {
            continue;
        };
        if grid.buildings.last().is_none_or(|b| b.id != building_id) {
            grid.buildings.push(Building {
                id: building_id,
                grid_id: row.grid_id,
                name: building,
                retired: row.building_retired.unwrap_or(false),
                head_name: row.head_name,
                head_phone: row.head_phone,
                units: Vec::new(),
            });
        }
        let Some(b) = grid.buildings.last_mut() else {
            continue;
        };
        let (Some(unit_id), Some(unit)) = (row.unit_id, row.unit) else {
            continue;
        };
        if b.units.last().is_none_or(|u| u.id != unit_id) {
            b.units.push(Unit {
                id: unit_id,
                building_id,
                name: unit,
                retired: row.unit_retired.unwrap_or(false),
                rooms: Vec::new(),
            });
        }
        let Some(u) = b.units.last_mut() else {
            continue;
        };
        if let (Some(id), Some(name)) = (row.room_id, row.room) {
            u.rooms.push(Room { id, name });
        }
    }
    Ok(Structure { grids })
}

/// Where a room is: its unit, building and grid, when the room and all above it are active.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoomPlace {
    pub room_id: i64,
    pub unit_id: i64,
    pub building_id: i64,
    pub grid_id: i64,
}

pub async fn room_place(tx: &mut Tx, room_id: i64) -> Result<Option<RoomPlace>, sqlx::Error> {
    sql::query_as::<RoomPlace>(
        "SELECT r.id AS room_id, u.id AS unit_id, b.id AS building_id, g.id AS grid_id
         FROM rooms r JOIN units u ON u.id = r.unit_id JOIN buildings b ON b.id = u.building_id
         JOIN grids g ON g.id = b.grid_id
         WHERE r.id = ? AND r.retired_at IS NULL AND u.retired_at IS NULL
           AND b.retired_at IS NULL AND g.retired_at IS NULL",
    )
    .bind(room_id)
    .fetch_optional(&mut **tx)
    .await
}

/// The duty hotline households are given (migration 0018), when set.
pub async fn hotline(db: &Db) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar("SELECT hotline FROM community_settings WHERE id = 1")
        .fetch_optional(db.reader())
        .await
        .map(Option::flatten)
}

pub async fn set_hotline(tx: &mut Tx, hotline: Option<&str>) -> Result<(), sqlx::Error> {
    sql::query("UPDATE community_settings SET hotline = ? WHERE id = 1")
        .bind(hotline)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
