//! The community's structure: 网格 → 楼栋 → 单元.

use super::{Db, Tx};
use chrono::Utc;

pub async fn insert_grid(tx: &mut Tx, name: &str) -> Result<i64, sqlx::Error> {
    Ok(
        sqlx::query("INSERT INTO grids (name, created_at) VALUES (?, ?)")
            .bind(name)
            .bind(Utc::now())
            .execute(&mut **tx)
            .await?
            .last_insert_rowid(),
    )
}

pub async fn insert_building(tx: &mut Tx, grid_id: i64, name: &str) -> Result<i64, sqlx::Error> {
    Ok(
        sqlx::query("INSERT INTO buildings (grid_id, name, created_at) VALUES (?, ?, ?)")
            .bind(grid_id)
            .bind(name)
            .bind(Utc::now())
            .execute(&mut **tx)
            .await?
            .last_insert_rowid(),
    )
}

pub async fn insert_unit(tx: &mut Tx, building_id: i64, name: &str) -> Result<i64, sqlx::Error> {
    Ok(
        sqlx::query("INSERT INTO units (building_id, name, created_at) VALUES (?, ?, ?)")
            .bind(building_id)
            .bind(name)
            .bind(Utc::now())
            .execute(&mut **tx)
            .await?
            .last_insert_rowid(),
    )
}

/// Counts of active grids, buildings and units.
pub async fn counts(db: &Db) -> Result<(i64, i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM grids WHERE retired_at IS NULL),
                (SELECT COUNT(*) FROM buildings WHERE retired_at IS NULL),
                (SELECT COUNT(*) FROM units WHERE retired_at IS NULL)",
    )
    .fetch_one(db.reader())
    .await
}
