//! Building zones: staff set them (announced on the board), residents see their own.

use crate::auth::{CurrentUser, RequireStaff};
use crate::db::residents::Scope;
use crate::db::{self, audit};
use crate::domain::shifts::CommunityClock;
use crate::domain::zones as rules;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use chrono::Utc;
use serde_json::json;
use shouwang_api::supplies::RequestKind;
use shouwang_api::zones::{BuildingZone, BuildingZoneQuery, MyZone, ZoneInput, ZonePeriod};
use shouwang_api::{ErrorBody, Page, PageQuery};

fn scope(user: &CurrentUser) -> Scope {
    Scope::of(user.id(), user.role())
}

/// The buildings of the caller's grids (every building for admins) with their zone.
#[utoipa::path(get, path = "/api/zones/buildings", tag = "zones", params(BuildingZoneQuery),
    responses((status = 200, body = Page<BuildingZone>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_buildings(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(query): Query<BuildingZoneQuery>,
) -> AppResult<Json<Page<BuildingZone>>> {
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (items, total) = db::zones::list(
        &state.db,
        scope(&staff),
        query.zone,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    Ok(Json(Page::new(items, paging, total)))
}

/// Set a building's zone: the previous period ends, the new one is kept in the history,
/// and an official notice goes on the public board. A change whose start lies ahead is
/// announced now and applied when it starts (it shows in the history as `pending`).
#[utoipa::path(put, path = "/api/zones/buildings/{id}", tag = "zones", request_body = ZoneInput,
    params(("id" = i64, Path, description = "Building id")),
    responses(
        (status = 200, description = "The building's zone history, newest first", body = Vec<ZonePeriod>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such building in the caller's grids", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn set_zone(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<ZoneInput>,
) -> AppResult<Json<Vec<ZonePeriod>>> {
    let now = Utc::now();
    let change = input.validate(now)?;
    let clock = CommunityClock::of(&db::shifts::settings(state.db.reader()).await?);
    let mut tx = state.db.begin().await?;
    let building = db::zones::building_in_scope(&mut tx, id, scope(&staff))
        .await?
        .ok_or_else(AppError::not_found)?;
    let set_by = rules::SetBy {
        name: &staff.0.display_name,
        role: staff.role(),
    };
    let notice = rules::zone_notice(&building, &change, &set_by, clock, now);
    let notice_id = db::notices::insert_published(&mut tx, &notice, staff.id()).await?;
    // A new decision for the building supersedes one announced that has not started.
    let replaced = db::zones::replace_waiting(&mut tx, id, now).await?;
    let (period, scheduled) = if change.is_scheduled(now) {
        let scheduled = db::zones::schedule(&mut tx, id, &change, staff.id(), notice_id).await?;
        (None, Some(scheduled))
    } else {
        let period = db::zones::change(&mut tx, id, &change, staff.id(), notice_id).await?;
        (Some(period), None)
    };
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "zone.set")
            .target("building", id)
            .detail(json!({
                "zone": change.zone, "period": period, "scheduled": scheduled,
                "replaced": replaced, "notice_id": notice_id,
            })),
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "notice.create")
            .target("notice", notice_id)
            .detail(json!({ "zone_of_building": id })),
    )
    .await?;
    tx.commit().await?;
    // The announcement is a published notice: the cached board must show it now.
    state.board_cache.invalidate();
    Ok(Json(db::zones::history(&state.db, id).await?))
}

/// Applies the announced zone changes whose start has come: the previous period ends and
/// the building's zone changes, as if staff set it then. Runs from the server's housekeeping.
pub async fn apply_due_changes(state: &AppState) -> Result<usize, sqlx::Error> {
    let mut applied = 0;
    for due in db::zones::due(&state.db, Utc::now()).await? {
        let change = due.change()?;
        let mut tx = state.db.begin().await?;
        let period =
            db::zones::change(&mut tx, due.building_id, &change, due.set_by, due.notice_id).await?;
        if !db::zones::mark_applied(&mut tx, due.id, period).await? {
            // Replaced by a new decision since it was read.
            tx.rollback().await?;
            continue;
        }
        audit::record(
            &mut tx,
            audit::Entry::new(None, "zone.start")
                .target("building", due.building_id)
                .detail(json!({ "zone": change.zone, "period": period, "scheduled": due.id })),
        )
        .await?;
        tx.commit().await?;
        applied += 1;
    }
    Ok(applied)
}

/// Every zone period of one building, newest first.
#[utoipa::path(get, path = "/api/zones/buildings/{id}/history", tag = "zones",
    params(("id" = i64, Path, description = "Building id")),
    responses((status = 200, body = Vec<ZonePeriod>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn zone_history(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ZonePeriod>>> {
    let mut tx = state.db.begin().await?;
    let found = db::zones::building_in_scope(&mut tx, id, scope(&staff)).await?;
    tx.rollback().await?;
    if found.is_none() {
        return Err(AppError::not_found());
    }
    Ok(Json(db::zones::history(&state.db, id).await?))
}

/// The caller's building: its zone, what it means, whom to call, which requests are open.
#[utoipa::path(get, path = "/api/zones/mine", tag = "zones",
    responses((status = 200, body = MyZone), (status = 401, body = ErrorBody),
        (status = 404, description = "This account has no household", body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_zone(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<MyZone>> {
    let home = db::zones::of_account(&state.db, user.id())
        .await?
        .ok_or_else(AppError::not_found)?;
    let zone = home.zone()?;
    let worker = home
        .worker_name
        .as_deref()
        .zip(home.worker_username.as_deref());
    let (contact_name, contact_phone) = rules::contact(
        worker,
        (home.head_name.as_deref(), home.head_phone.as_deref()),
    );
    Ok(Json(MyZone {
        building_name: home.building_name.clone(),
        zone,
        zone_since: home.zone_since,
        planned_end: home.planned_end,
        reason: home.reason.clone(),
        grid_worker_name: home.worker_name.clone(),
        contact_name: contact_name.map(str::to_owned),
        contact_phone: contact_phone.map(str::to_owned),
        open_kinds: RequestKind::open_kinds(zone),
        upcoming: home.upcoming()?,
    }))
}
