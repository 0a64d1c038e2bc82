//! The community's structure: grids, buildings, units and rooms.

use crate::db::{self, Db, audit};
use chrono::{DateTime, Utc};
use shouwang_api::community::{ImportResult, ImportRow};

/// Imports rooms (`网格,楼栋,单元,房号` rows); existing grids, buildings, units and rooms
/// are reused, so importing twice adds nothing. `by`: the admin, none from the command line.
pub async fn import(
    db: &Db,
    rows: &[ImportRow],
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ImportResult, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut result = ImportResult::default();
    for row in rows {
        let (grid, new_grid) = db::community::grid_by_name(&mut tx, &row.grid, now).await?;
        let (building, new_building) =
            db::community::building_by_name(&mut tx, grid, &row.building, now).await?;
        let (unit, new_unit) =
            db::community::unit_by_name(&mut tx, building, &row.unit, now).await?;
        result.grids += u32::from(new_grid);
        result.buildings += u32::from(new_building);
        result.units += u32::from(new_unit);
        result.rooms +=
            db::community::insert_rooms(&mut tx, unit, std::slice::from_ref(&row.room), now)
                .await?;
    }
    audit::record(
        &mut tx,
        audit::Entry::new(by, "structure.import")
            .detail(serde_json::to_value(&result).unwrap_or_default()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(result)
}
