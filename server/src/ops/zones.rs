//! Zone decisions that span queries: applying announced changes, replacing notices.

use crate::db::{self, Tx, audit};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use serde_json::json;
use shouwang_api::notices::NoticeStatus;

/// Applies the announced zone changes whose start has come: the previous period ends and
/// the building's zone changes, as if staff set it then. Runs from the server's housekeeping (`jobs::run_due`).
pub async fn apply_due_changes(state: &AppState, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let mut applied = 0;
    for due in db::zones::due(&state.db, now).await? {
        let change = due.change()?;
        let mut tx = state.db.begin().await?;
        // The zone it ends was announced by a notice; the one announcing this replaces it.
        let older = db::zones::current_notice(&mut tx, due.building_id).await?;
        let period = db::zones::change(
            &mut tx,
            due.building_id,
            &change,
            due.set_by,
            due.notice_id,
            now,
        )
        .await?;
        if !db::zones::mark_applied(&mut tx, due.id, period).await? {
            // Replaced by a new decision since it was read.
            tx.rollback().await?;
            continue;
        }
        let withdrawn = supersede_notices(&mut tx, older.as_slice(), due.notice_id, now).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(None, "zone.start")
                .target("building", due.building_id)
                .detail(json!({
                    "zone": change.zone, "period": period, "scheduled": due.id,
                    "withdrawn_notices": withdrawn,
                })),
            now,
        )
        .await?;
        tx.commit().await?;
        applied += 1;
    }
    if applied > 0 {
        // A replaced notice left the board.
        state.board_cache.invalidate();
    }
    Ok(applied)
}

/// Withdraws the notices of a building's earlier decisions that are still on the board
/// and records that `newer` replaces them (the 文号 check then points to it). Returns
/// the notices withdrawn.
pub async fn supersede_notices(
    tx: &mut Tx,
    older: &[i64],
    newer: i64,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut withdrawn = Vec::new();
    for &old in older {
        if db::notices::change_status(
            tx,
            old,
            NoticeStatus::Published,
            NoticeStatus::Withdrawn,
            now,
        )
        .await?
        {
            withdrawn.push(old);
        }
        db::board::supersede(tx, old, newer, now).await?;
    }
    Ok(withdrawn)
}
