//! Building zones: staff set them (announced on the board), residents see their own.

use crate::auth::{CurrentUser, RequireStaff};
use crate::db;
use crate::domain::zones as rules;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use axum::extract::State;
use shouwang_api::supplies::RequestKind;
use shouwang_api::zones::{
    BuildingZone, BuildingZoneQuery, MyZone, ZoneInput, ZoneNoticePreview, ZonePeriod,
};
use shouwang_api::{ErrorBody, Page, PageQuery};

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
        staff.scope(),
        query.zone,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    Ok(Json(Page::new(items, paging, total)))
}

/// Set a building's zone: the previous period ends, the new one is kept in the history,
/// and an official notice goes on the public board, replacing the notice of the
/// building's earlier decision. A change whose start lies ahead is announced now and
/// applied when it starts (it shows in the history as `pending`). The same decision
/// again is refused (409 `zone_unchanged`); a public reason that may identify a
/// household is refused (422 `public_text_personal_data`) unless staff confirm it.
#[utoipa::path(put, path = "/api/zones/buildings/{id}", tag = "zones", request_body = ZoneInput,
    params(("id" = i64, Path, description = "Building id")),
    responses(
        (status = 200, description = "The building's zone history, newest first", body = Vec<ZonePeriod>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such building in the caller's grids", body = ErrorBody),
        (status = 409, description = "The building already has this decision", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn set_zone(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<ZoneInput>,
) -> AppResult<Json<Vec<ZonePeriod>>> {
    let history = ops::zones::set_zone(&state, &staff, id, &input, state.clock.now()).await?;
    Ok(Json(history))
}

/// What the public will read if this change is published: the notice, and what in its
/// public reason may identify a household (a room, a phone, a resident's name).
#[utoipa::path(post, path = "/api/zones/buildings/{id}/preview", tag = "zones", request_body = ZoneInput,
    params(("id" = i64, Path, description = "Building id")),
    responses(
        (status = 200, body = ZoneNoticePreview),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn preview_zone(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<ZoneInput>,
) -> AppResult<Json<ZoneNoticePreview>> {
    let preview = ops::zones::preview_zone(&state, &staff, id, &input, state.clock.now()).await?;
    Ok(Json(preview))
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
    let found = db::zones::building_in_scope(&mut tx, id, staff.scope()).await?;
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
    let zone = home.zone();
    let worker = home
        .worker_name
        .as_deref()
        .zip(home.worker_username.as_deref());
    let (contact_name, contact_phone) = rules::contact(
        (
            home.zone_contact_name.as_deref(),
            home.zone_contact_phone.as_deref(),
        ),
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
        upcoming: home.upcoming(),
    }))
}
