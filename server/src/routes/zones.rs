//! Building zones: staff set them (announced on the board), residents see their own.

use crate::auth::{CurrentUser, RequireStaff};
use crate::db::residents::Scope;
use crate::db::{self, audit};
use crate::domain::zones as rules;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use axum::extract::State;
use serde_json::json;
use shouwang_api::supplies::RequestKind;
use shouwang_api::zones::{
    BuildingZone, BuildingZoneQuery, MyZone, ZoneInput, ZoneNoticePreview, ZonePeriod,
    public_text_findings,
};
use shouwang_api::{ErrorBody, ErrorCode, Page, PageQuery};

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
    let now = state.clock.now();
    let change = input.validate(now)?;
    let mut tx = state.db.begin().await?;
    let building = db::zones::building_in_scope(&mut tx, id, scope(&staff))
        .await?
        .ok_or_else(AppError::not_found)?;
    input.check_public_text(&db::zones::resident_names(&mut tx, id).await?)?;
    let latest = db::zones::latest_decision(&mut tx, id).await?;
    if let Some(latest) = &latest
        && rules::is_repeat(
            (latest.zone()?, &latest.reason, latest.planned_end),
            &change,
        )
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
    let withdrawn =
        ops::zones::supersede_notices(&mut tx, &replaced_notices, notice_id, now).await?;
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
    Ok(Json(db::zones::history(&state.db, id).await?))
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
    let now = state.clock.now();
    let change = input.validate(now)?;
    let mut tx = state.db.begin().await?;
    let building = db::zones::building_in_scope(&mut tx, id, scope(&staff))
        .await?
        .ok_or_else(AppError::not_found)?;
    let names = db::zones::resident_names(&mut tx, id).await?;
    tx.rollback().await?;
    let set_by = rules::SetBy {
        name: &staff.0.display_name,
        role: staff.role(),
    };
    let notice = rules::zone_notice(&building, &change, &set_by, state.clock.community(), now);
    Ok(Json(ZoneNoticePreview {
        title: notice.title,
        body: notice.body,
        findings: public_text_findings(&change.reason, &names),
    }))
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
        upcoming: home.upcoming()?,
    }))
}
