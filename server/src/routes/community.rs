//! The community's structure: everyone reads it (the registration form needs it); admins
//! change it and assign staff to grids.

use crate::auth::{MaybeUser, RequireAdmin};
use crate::db::{self, audit, community::Level};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use shouwang_api::community::{
    BuildingInput, CommunityCalendar, CommunitySettings, Created, GridStaffInput, ImportInput,
    ImportResult, NameInput, RoomsInput, Structure,
};
use shouwang_api::personal::Phone;
use shouwang_api::{ErrorBody, ErrorCode};

/// The community's time zone and today there. Public: the poster and the board print
/// dates without a sign-in.
#[utoipa::path(get, path = "/api/community/calendar", tag = "community",
    responses((status = 200, body = CommunityCalendar)))]
pub async fn get_calendar(State(state): State<AppState>) -> Json<CommunityCalendar> {
    let community = state.clock.community();
    Json(CommunityCalendar {
        utc_offset_minutes: community.utc_offset_minutes(),
        today: community.today(state.clock.now()),
    })
}

/// Grids, buildings, units and rooms in use. Staff also see retired parts and 楼栋长.
#[utoipa::path(get, path = "/api/community/structure", tag = "community",
    responses((status = 200, body = Structure)))]
pub async fn get_structure(
    State(state): State<AppState>,
    viewer: MaybeUser,
) -> AppResult<Json<Structure>> {
    let staff = viewer.is_staff();
    let mut structure = db::community::structure(&state.db, staff).await?;
    if !staff {
        for building in structure
            .grids
            .iter_mut()
            .flat_map(|g| g.buildings.iter_mut())
        {
            building.head_name = None;
            building.head_phone = None;
        }
    }
    Ok(Json(structure))
}

/// Finishes a creation: a duplicate name is a conflict on `name`, a missing parent 404.
async fn created(
    mut tx: db::Tx,
    admin: i64,
    action: &str,
    target: &str,
    inserted: Result<Option<i64>, sqlx::Error>,
    now: DateTime<Utc>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let id = match inserted {
        Ok(Some(id)) => id,
        Ok(None) => return Err(AppError::not_found()),
        Err(e) if db::is_unique_violation(&e) => return Err(name_taken()),
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        audit::Entry::new(Some(admin), action).target(target, id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

fn name_taken() -> AppError {
    AppError::with_field(
        ErrorCode::Conflict,
        "name",
        "This name is already in use here.",
    )
}

/// Create a grid (网格 / 居民小组).
#[utoipa::path(post, path = "/api/community/grids", tag = "community", request_body = NameInput,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn create_grid(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Json(input): Json<NameInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let now = state.clock.now();
    let name = input.validate()?;
    let mut tx = state.db.begin().await?;
    let inserted = db::community::insert_grid(&mut tx, &name, now)
        .await
        .map(Some);
    created(tx, admin.id(), "grid.create", "grid", inserted, now).await
}

/// Add a building to a grid, with its 楼栋长 if known.
#[utoipa::path(post, path = "/api/community/grids/{id}/buildings", tag = "community", request_body = BuildingInput,
    params(("id" = i64, Path, description = "Grid id")),
    responses((status = 201, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn create_building(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Path(grid_id): Path<i64>,
    Json(input): Json<BuildingInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let now = state.clock.now();
    let building = input.validate()?;
    let mut tx = state.db.begin().await?;
    if !db::community::is_active(&mut tx, Level::Grid, grid_id).await? {
        return Err(AppError::not_found());
    }
    let inserted = db::community::insert_building(&mut tx, grid_id, &building.name, now).await;
    if let Ok(id) = inserted {
        db::community::set_building_head(
            &mut tx,
            id,
            building.head_name.as_deref(),
            building.head_phone.as_ref().map(Phone::as_str),
        )
        .await?;
    }
    created(
        tx,
        admin.id(),
        "building.create",
        "building",
        inserted.map(Some),
        now,
    )
    .await
}

/// Add a unit (单元) to a building.
#[utoipa::path(post, path = "/api/community/buildings/{id}/units", tag = "community", request_body = NameInput,
    params(("id" = i64, Path, description = "Building id")),
    responses((status = 201, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn create_unit(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Path(building_id): Path<i64>,
    Json(input): Json<NameInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let now = state.clock.now();
    let name = input.validate()?;
    let mut tx = state.db.begin().await?;
    if !db::community::is_active(&mut tx, Level::Building, building_id).await? {
        return Err(AppError::not_found());
    }
    let inserted = db::community::insert_unit(&mut tx, building_id, &name, now).await;
    created(
        tx,
        admin.id(),
        "unit.create",
        "unit",
        inserted.map(Some),
        now,
    )
    .await
}

/// Add rooms (房号) to a unit; rooms that exist are left as they are.
#[utoipa::path(post, path = "/api/community/units/{id}/rooms", tag = "community", request_body = RoomsInput,
    params(("id" = i64, Path, description = "Unit id")),
    responses((status = 200, body = ImportResult), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn add_rooms(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Path(unit_id): Path<i64>,
    Json(input): Json<RoomsInput>,
) -> AppResult<Json<ImportResult>> {
    let now = state.clock.now();
    let rooms = input.validate()?;
    let mut tx = state.db.begin().await?;
    if !db::community::is_active(&mut tx, Level::Unit, unit_id).await? {
        return Err(AppError::not_found());
    }
    let added = db::community::insert_rooms(&mut tx, unit_id, &rooms, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(admin.id()), "rooms.create")
            .target("unit", unit_id)
            .detail(serde_json::json!({ "added": added })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(ImportResult {
        rooms: added,
        ..ImportResult::default()
    }))
}

fn level(name: &str) -> AppResult<Level> {
    match name {
        "grids" => Ok(Level::Grid),
        "buildings" => Ok(Level::Building),
        "units" => Ok(Level::Unit),
        "rooms" => Ok(Level::Room),
        _ => Err(AppError::not_found()),
    }
}

/// Rename a grid, building, unit or room. For a building, `head_name`/`head_phone`
/// set its 楼栋长.
#[utoipa::path(put, path = "/api/community/structure/{level}/{id}", tag = "community", request_body = BuildingInput,
    params(("level" = String, Path, description = "grids, buildings, units or rooms"), ("id" = i64, Path, description = "Id")),
    responses((status = 204, description = "Renamed"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn rename(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Path((level_name, id)): Path<(String, i64)>,
    Json(input): Json<BuildingInput>,
) -> AppResult<StatusCode> {
    let level = level(&level_name)?;
    let valid = input.validate()?;
    let mut tx = state.db.begin().await?;
    match db::community::rename(&mut tx, level, id, &valid.name).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::not_found()),
        Err(e) if db::is_unique_violation(&e) => return Err(name_taken()),
        Err(e) => return Err(e.into()),
    }
    if level == Level::Building {
        db::community::set_building_head(
            &mut tx,
            id,
            valid.head_name.as_deref(),
            valid.head_phone.as_ref().map(Phone::as_str),
        )
        .await?;
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(admin.id()), "structure.rename").target(level.audit_name(), id),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Retire a grid, building, unit or room: it leaves the registration form; its
/// households and history stay.
#[utoipa::path(post, path = "/api/community/structure/{level}/{id}/retire", tag = "community",
    params(("level" = String, Path, description = "grids, buildings, units or rooms"), ("id" = i64, Path, description = "Id")),
    responses((status = 204, description = "Retired"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn retire(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Path((level_name, id)): Path<(String, i64)>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let level = level(&level_name)?;
    let mut tx = state.db.begin().await?;
    if !db::community::retire(&mut tx, level, id, now).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(admin.id()), "structure.retire").target(level.audit_name(), id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set the staff accounts who work a grid (网格员); they see its residents only.
#[utoipa::path(put, path = "/api/community/grids/{id}/staff", tag = "community", request_body = GridStaffInput,
    params(("id" = i64, Path, description = "Grid id")),
    responses((status = 204, description = "Assigned"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn set_grid_staff(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Path(grid_id): Path<i64>,
    Json(input): Json<GridStaffInput>,
) -> AppResult<StatusCode> {
    let mut ids = input.user_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    let mut tx = state.db.begin().await?;
    if !db::community::is_active(&mut tx, Level::Grid, grid_id).await? {
        return Err(AppError::not_found());
    }
    if db::community::count_staff(&mut tx, &ids).await? != ids.len() {
        return Err(AppError::with_field(
            ErrorCode::InvalidValue,
            "user_ids",
            "Only active staff accounts can work a grid.",
        ));
    }
    db::community::set_grid_staff(&mut tx, grid_id, &ids).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(admin.id()), "grid.staff")
            .target("grid", grid_id)
            .detail(serde_json::json!({ "user_ids": ids })),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Import grids, buildings, units and rooms from CSV (`网格,楼栋,单元,房号`); existing
/// ones are reused, so importing twice adds nothing.
#[utoipa::path(post, path = "/api/community/import", tag = "community", request_body = ImportInput,
    responses((status = 200, body = ImportResult), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn import(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Json(input): Json<ImportInput>,
) -> AppResult<Json<ImportResult>> {
    let rows = input.validate()?;
    let result =
        crate::ops::structure::import(&state.db, &rows, Some(admin.id()), state.clock.now())
            .await?;
    Ok(Json(result))
}

/// What every household is told, such as the duty hotline; anyone may read it.
#[utoipa::path(get, path = "/api/community/settings", tag = "community",
    responses((status = 200, body = CommunitySettings)))]
pub async fn get_settings(State(state): State<AppState>) -> AppResult<Json<CommunitySettings>> {
    Ok(Json(CommunitySettings {
        hotline: db::community::hotline(&state.db).await?,
    }))
}

/// Set the duty hotline (社区值班电话) a household reporting a fever is given; empty clears it.
#[utoipa::path(put, path = "/api/community/settings", tag = "community", request_body = CommunitySettings,
    responses((status = 200, body = CommunitySettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn set_settings(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Json(input): Json<CommunitySettings>,
) -> AppResult<Json<CommunitySettings>> {
    let settings = input.validate()?;
    let mut tx = state.db.begin().await?;
    db::community::set_hotline(&mut tx, settings.hotline.as_deref()).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(admin.id()), "community.settings")
            .detail(serde_json::json!({ "hotline": settings.hotline })),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(settings))
}
