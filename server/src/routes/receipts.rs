//! Read receipts (回执) for important notices: staff ask for them, households give them
//! with one tap (or at the door, through staff), and staff follow up building by building.

use crate::auth::{CurrentUser, RequireStaff};
use crate::db::receipts::NewReceipt;
use crate::db::residents::Scope;
use crate::db::{self, audit};
use crate::domain::receipts as rules;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;
use shouwang_api::receipts::{
    BuildingReceipts, DoorReceiptInput, FollowUpHousehold, FollowUpQuery, MyReceipt, ReceiptMethod,
    ReceiptNotice, ReceiptRequirement,
};
use shouwang_api::{ErrorBody, ErrorCode, Page, PageQuery};

fn scope(user: &CurrentUser) -> Scope {
    Scope::of(user.id(), user.role())
}

/// Ask households for a receipt of a notice (重要通知), from every building or from the
/// buildings listed; or stop asking.
#[utoipa::path(put, path = "/api/notices/{id}/receipts", tag = "receipts", request_body = ReceiptRequirement,
    params(("id" = i64, Path, description = "Notice id")),
    responses(
        (status = 200, body = MyReceipt), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn set_requirement(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<ReceiptRequirement>,
) -> AppResult<Json<MyReceipt>> {
    let now = state.clock.now();
    let buildings = input.validate()?;
    let mut tx = state.db.begin().await?;
    if db::notices::status_in(&mut tx, id).await?.is_none() {
        return Err(AppError::not_found());
    }
    if db::receipts::existing_buildings(&mut tx, &buildings).await? != buildings.len() {
        return Err(AppError::with_field(
            ErrorCode::InvalidValue,
            "building_ids",
            "No such building.",
        ));
    }
    if input.required {
        db::receipts::require(&mut tx, id, staff.id(), &buildings, now).await?;
    } else {
        db::receipts::unrequire(&mut tx, id).await?;
    }
    audit::record(
        &mut tx,
        audit::Entry::new(
            Some(staff.id()),
            if input.required {
                "receipt.require"
            } else {
                "receipt.unrequire"
            },
        )
        .target("notice", id)
        .detail(json!({ "buildings": buildings })),
        now,
    )
    .await?;
    tx.commit().await?;
    // The board's cards say which notices ask for a receipt.
    state.board_cache.invalidate();
    Ok(Json(MyReceipt {
        required: input.required,
        all_buildings: input.required && buildings.is_empty(),
        acknowledged_at: None,
        method: None,
    }))
}

/// The receipt of a notice as the caller sees it: for a resident, whether their household
/// is asked and has acknowledged; for staff, whether the notice asks anyone.
#[utoipa::path(get, path = "/api/notices/{id}/receipt", tag = "receipts",
    params(("id" = i64, Path, description = "Notice id")),
    responses((status = 200, body = MyReceipt), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_receipt(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<MyReceipt>> {
    if user.role().is_staff() {
        let asked = db::receipts::requirement(&state.db, id).await?;
        return Ok(Json(MyReceipt {
            required: asked.is_some(),
            all_buildings: asked.unwrap_or(false),
            acknowledged_at: None,
            method: None,
        }));
    }
    Ok(Json(household_receipt(&state, &user, id).await?))
}

async fn household_receipt(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<MyReceipt> {
    let none = MyReceipt {
        required: false,
        all_buildings: false,
        acknowledged_at: None,
        method: None,
    };
    let Some((household, building)) = db::receipts::household_of(&state.db, user.id()).await?
    else {
        return Ok(none);
    };
    if !db::receipts::asks(&state.db, id, building).await? {
        return Ok(none);
    }
    let given = db::receipts::receipt_of(&state.db, id, household).await?;
    Ok(MyReceipt {
        required: true,
        all_buildings: false,
        acknowledged_at: given.map(|(at, _)| at),
        method: given.map(|(_, method)| method),
    })
}

/// Acknowledge a notice for one's household (已阅知). Acknowledging again changes nothing.
#[utoipa::path(post, path = "/api/notices/{id}/receipt", tag = "receipts",
    params(("id" = i64, Path, description = "Notice id")),
    responses(
        (status = 200, body = MyReceipt), (status = 401, body = ErrorBody),
        (status = 404, description = "No household, or the notice asks none of it", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn acknowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<MyReceipt>> {
    let now = state.clock.now();
    let (household, building) = db::receipts::household_of(&state.db, user.id())
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut tx = state.db.begin().await?;
    let status = db::notices::status_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !rules::may_acknowledge(status, db::receipts::asks(&state.db, id, building).await?) {
        return Err(AppError::not_found());
    }
    let receipt = NewReceipt {
        notice_id: id,
        household_id: household,
        building_id: building,
        method: ReceiptMethod::SelfTap,
        recorded_by: user.id(),
        note: None,
    };
    if db::receipts::insert(&mut tx, receipt, now).await? {
        audit::record(
            &mut tx,
            audit::Entry::new(Some(user.id()), "receipt.acknowledge")
                .target("notice", id)
                .detail(json!({ "household_id": household })),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Json(household_receipt(&state, &user, id).await?))
}

/// Notices that ask for receipts, newest first, with the progress in the caller's grids.
#[utoipa::path(get, path = "/api/receipts", tag = "receipts", params(PageQuery),
    responses((status = 200, body = Page<ReceiptNotice>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_receipt_notices(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<ReceiptNotice>>> {
    let (items, total) =
        db::receipts::notices(&state.db, scope(&staff), paging.per_page(), paging.offset()).await?;
    Ok(Json(Page::new(items, paging, total)))
}

/// Each asked building of the caller's grids: households, and how many acknowledged.
#[utoipa::path(get, path = "/api/receipts/{notice_id}/buildings", tag = "receipts",
    params(("notice_id" = i64, Path, description = "Notice id")),
    responses((status = 200, body = Vec<BuildingReceipts>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn building_counts(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(notice_id): Path<i64>,
) -> AppResult<Json<Vec<BuildingReceipts>>> {
    if db::receipts::requirement(&state.db, notice_id)
        .await?
        .is_none()
    {
        return Err(AppError::not_found());
    }
    Ok(Json(
        db::receipts::buildings(&state.db, scope(&staff), notice_id).await?,
    ))
}

/// The follow-up list for door visits: one building's households without a receipt,
/// elderly people living alone first; phones masked. Each look is on record.
#[utoipa::path(get, path = "/api/receipts/{notice_id}/follow-up", tag = "receipts",
    params(("notice_id" = i64, Path, description = "Notice id"), FollowUpQuery),
    responses((status = 200, body = Page<FollowUpHousehold>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn follow_up(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(notice_id): Path<i64>,
    Query(query): Query<FollowUpQuery>,
) -> AppResult<Json<Page<FollowUpHousehold>>> {
    let scope = scope(&staff);
    if db::receipts::requirement(&state.db, notice_id)
        .await?
        .is_none()
        || !db::receipts::building_in_scope(&state.db, scope, query.building_id).await?
    {
        return Err(AppError::not_found());
    }
    let paging = query.paging();
    let (items, total) = db::receipts::follow_up(
        &state.db,
        scope,
        notice_id,
        query.building_id,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    let mut tx = state.db.begin().await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "receipt.follow_up_view")
            .target("notice", notice_id)
            .detail(json!({ "building_id": query.building_id, "households": items.len() })),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    let items = items.into_iter().map(rules::mask).collect();
    Ok(Json(Page::new(items, paging, total)))
}

/// Record a receipt given at the door, on the household's behalf: by whom, when and how
/// are kept with it.
#[utoipa::path(post, path = "/api/receipts/{notice_id}/households/{household_id}", tag = "receipts",
    request_body = DoorReceiptInput,
    params(("notice_id" = i64, Path, description = "Notice id"), ("household_id" = i64, Path, description = "Household id")),
    responses(
        (status = 204, description = "Recorded"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Already acknowledged", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn record_at_door(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path((notice_id, household_id)): Path<(i64, i64)>,
    Json(input): Json<DoorReceiptInput>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let note = input.validate()?;
    let mut tx = state.db.begin().await?;
    let building = db::receipts::household_in_scope(&mut tx, scope(&staff), household_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let status = db::notices::status_in(&mut tx, notice_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !rules::may_acknowledge(
        status,
        db::receipts::asks(&state.db, notice_id, building).await?,
    ) {
        return Err(AppError::not_found());
    }
    let receipt = NewReceipt {
        notice_id,
        household_id,
        building_id: building,
        method: ReceiptMethod::Door,
        recorded_by: staff.id(),
        note: note.as_deref(),
    };
    if !db::receipts::insert(&mut tx, receipt, now).await? {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "receipt.door")
            .target("notice", notice_id)
            .detail(json!({ "household_id": household_id, "note": note.is_some() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
