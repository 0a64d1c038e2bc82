//! Zone decisions that span queries: setting and previewing one, applying announced
//! changes, replacing notices.

use crate::auth::CurrentUser;
use crate::db::{self, Tx, audit};
use crate::domain::zones as rules;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use serde_json::json;
use shouwang_api::ErrorCode;
use shouwang_api::notices::NoticeStatus;
use shouwang_api::zones::{ZoneInput, ZoneNoticePreview, ZonePeriod, public_text_findings};

/// `staff` sets building `id`'s zone: the previous period ends, the new one is kept in the
/// history, and an official notice goes on the public board, replacing the notice of the
/// building's earlier decision; a change whose start lies ahead is announced now and
/// applied when it starts. Answers the building's history, newest first.
pub async fn set_zone(
    state: &AppState,
    staff: &CurrentUser,
    id: i64,
    input: &ZoneInput,
    now: DateTime<Utc>,
) -> AppResult<Vec<ZonePeriod>> {
    let change = input.validate(now)?;
    let mut tx = state.db.begin().await?;
    let building = db::zones::building_in_scope(&mut tx, id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    input.check_public_text(&db::zones::resident_names(&mut tx, id).await?)?;
    let latest = db::zones::latest_decision(&mut tx, id).await?;
    if let Some(latest) = &latest
        && rules::is_repeat((latest.zone(), &latest.reason, latest.planned_end), &change)
    {
        return Err(AppError::code(ErrorCode::ZoneUnchanged));
    }
    let set_by = rules::SetBy {
        name: &staff.0.display_name,
        role: staff.role(),
    };
    let notice = rules::zone_notice(&building, &change, &set_by, state.clock.community(), now);
    let notice_id = db::notices::insert_published(&mut tx, &notice, staff.id(), now).await?;
    // A new decision for the building supersedes one announced that has not started.
    let replaced = db::zones::replace_waiting(&mut tx, id, now).await?;
    let mut replaced_notices: Vec<i64> = replaced.iter().map(|(_, notice)| *notice).collect();
    let (period, scheduled) = if change.is_scheduled(now) {
        let scheduled =
            db::zones::schedule(&mut tx, id, &change, staff.id(), notice_id, now).await?;
        (None, Some(scheduled))
    } else {
        // The notice of the zone in force is replaced now; one announced ahead replaces
        // it when it starts.
        replaced_notices.extend(db::zones::current_notice(&mut tx, id).await?);
        let period = db::zones::change(&mut tx, id, &change, staff.id(), notice_id, now).await?;
        (Some(period), None)
    };
    let withdrawn = supersede_notices(&mut tx, &replaced_notices, notice_id, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "zone.set")
            .target("building", id)
            .detail(json!({
                "zone": change.zone, "period": period, "scheduled": scheduled,
                "replaced": replaced.map(|(id, _)| id), "notice_id": notice_id,
                "withdrawn_notices": withdrawn,
                "public_text_confirmed": input.confirm_public_text,
            })),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "notice.create")
            .target("notice", notice_id)
            .detail(json!({ "zone_of_building": id })),
        now,
    )
    .await?;
    tx.commit().await?;
    // The announcement is a published notice: the cached board must show it now.
    state.board_cache.invalidate();
    Ok(db::zones::history(&state.db, id).await?)
}

/// What the public will read if `staff` published this change for building `id`: the
/// notice, and what in its public reason may identify a household. Stores nothing.
pub async fn preview_zone(
    state: &AppState,
    staff: &CurrentUser,
    id: i64,
    input: &ZoneInput,
    now: DateTime<Utc>,
) -> AppResult<ZoneNoticePreview> {
    let change = input.validate(now)?;
    let mut tx = state.db.begin().await?;
    let building = db::zones::building_in_scope(&mut tx, id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    let names = db::zones::resident_names(&mut tx, id).await?;
    tx.rollback().await?;
    let set_by = rules::SetBy {
        name: &staff.0.display_name,
        role: staff.role(),
    };
    let notice = rules::zone_notice(&building, &change, &set_by, state.clock.community(), now);
    Ok(ZoneNoticePreview {
        title: notice.title,
        body: notice.body,
        findings: public_text_findings(&change.reason, &names),
    })
}

/// Applies the announced zone changes whose start has come: the previous period ends and
/// the building's zone changes, as if staff set it then. Runs from the server's housekeeping (`jobs::run_due`).
pub async fn apply_due_changes(state: &AppState, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let mut applied = 0;
    for due in db::zones::due(&state.db, now).await? {
        let change = due.change();
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
