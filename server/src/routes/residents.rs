//! Residents: self-registration, the resident's own household, and the staff ledger.

use crate::auth::cookies::{self, is_https};
use crate::auth::rate_limit::client_address;
use crate::auth::{CurrentUser, RequireAdmin, RequireStaff};
use crate::db::residents::NewHousehold;
use crate::db::{self, audit};
use crate::domain::export;
use crate::domain::residents as rules;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use crate::web::download::attachment;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shouwang_api::residents::{
    AccessEntry, DoorRegistration, GridCoverage, Household, HouseholdSummary, LedgerQuery,
    MemberInput, MergeRequest, RegistrationOutcome, RegistrationRequest, RetentionInput,
    RetentionStatus, Source, VisitInput, VisitOutcome,
};
use shouwang_api::{ErrorBody, ErrorCode, Page};
use std::net::SocketAddr;

/// Register a household from a phone. Creates a resident account (the phone number is
/// its username) and signs it in. A room that already has a household gets a merge
/// request for staff instead of a second household.
#[utoipa::path(post, path = "/api/residents/register", tag = "residents", request_body = RegistrationRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = RegistrationOutcome),
        (status = 404, description = "No such room", body = ErrorBody),
        (status = 409, description = "The phone number already has an account", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "Too many sign-ups from this address; see Retry-After", body = ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<RegistrationRequest>,
) -> AppResult<Response> {
    let valid = request.validate(state.clock.today())?;
    let address = client_address(peer, &headers, state.settings.trust_proxy);
    let registered = ops::residents::register(&state, address, &valid, state.clock.now()).await?;
    let cookie = cookies::set_session(
        &registered.token,
        state.settings.session_ttl,
        is_https(&headers),
        state.community.cookie_path(),
    );
    Ok((
        StatusCode::CREATED,
        [(header::SET_COOKIE, cookie)],
        Json(registered.outcome),
    )
        .into_response())
}

async fn own_household(state: &AppState, user: &CurrentUser) -> AppResult<i64> {
    db::residents::household_of_account(&state.db, user.id())
        .await?
        .ok_or_else(AppError::not_found)
}

async fn load_own(state: &AppState, id: i64) -> AppResult<Json<Household>> {
    let stored = db::residents::find(&state.db, id, state.clock.today())
        .await?
        .ok_or_else(AppError::not_found)?;
    // Residents see their own data in full.
    Ok(Json(rules::household_view(stored, true)))
}

/// The signed-in resident's household, in full.
#[utoipa::path(get, path = "/api/residents/me", tag = "residents",
    responses((status = 200, body = Household), (status = 401, body = ErrorBody),
        (status = 404, description = "This account has no household", body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_household(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Household>> {
    let id = own_household(&state, &user).await?;
    load_own(&state, id).await
}

/// Add a person to one's own household.
#[utoipa::path(post, path = "/api/residents/me/members", tag = "residents", request_body = MemberInput,
    responses((status = 200, body = Household), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn add_my_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<MemberInput>,
) -> AppResult<Json<Household>> {
    let now = state.clock.now();
    let id = own_household(&state, &user).await?;
    let consent = consent_of(&state, id).await?;
    let member = input.validate(state.clock.today(), consent)?;
    let mut tx = state.db.begin().await?;
    let member_id = db::residents::add_member(&mut tx, id, &member, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "household.member_add")
            .target("household", id)
            .detail(serde_json::json!({ "member": member_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    load_own(&state, id).await
}

async fn consent_of(state: &AppState, household_id: i64) -> AppResult<bool> {
    Ok(
        db::residents::find(&state.db, household_id, state.clock.today())
            .await?
            .ok_or_else(AppError::not_found)?
            .consent_sensitive,
    )
}

/// Correct a person of one's own household.
#[utoipa::path(put, path = "/api/residents/me/members/{id}", tag = "residents", request_body = MemberInput,
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = Household), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn update_my_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(member_id): Path<i64>,
    Json(input): Json<MemberInput>,
) -> AppResult<Json<Household>> {
    let now = state.clock.now();
    let id = own_household(&state, &user).await?;
    let consent = consent_of(&state, id).await?;
    let member = input.validate(state.clock.today(), consent)?;
    let mut tx = state.db.begin().await?;
    if !db::residents::update_member(&mut tx, id, member_id, &member, now).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "household.member_update")
            .target("household", id)
            .detail(serde_json::json!({ "member": member_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    load_own(&state, id).await
}

/// Remove a person from one's own household (not the last one).
#[utoipa::path(delete, path = "/api/residents/me/members/{id}", tag = "residents",
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = Household), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The last member cannot be removed", body = ErrorBody)),
    security(("session" = [])))]
pub async fn remove_my_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(member_id): Path<i64>,
) -> AppResult<Json<Household>> {
    let now = state.clock.now();
    let id = own_household(&state, &user).await?;
    let mut tx = state.db.begin().await?;
    if db::residents::member_count(&mut tx, id).await? <= 1 {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    if !db::residents::delete_member(&mut tx, id, member_id, now).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "household.member_remove")
            .target("household", id)
            .detail(serde_json::json!({ "member": member_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    load_own(&state, id).await
}

/// Withdraw consent to sensitive fields: ID numbers and health groups are erased now.
#[utoipa::path(post, path = "/api/residents/me/consent/withdraw", tag = "residents",
    responses((status = 200, body = Household), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Household>> {
    let now = state.clock.now();
    let id = own_household(&state, &user).await?;
    let mut tx = state.db.begin().await?;
    db::residents::erase_sensitive(&mut tx, id, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "consent.withdraw").target("household", id),
        now,
    )
    .await?;
    tx.commit().await?;
    load_own(&state, id).await
}

/// Give consent to sensitive fields (after reading the notice).
#[utoipa::path(post, path = "/api/residents/me/consent/give", tag = "residents",
    responses((status = 200, body = Household), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn give_consent(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Household>> {
    let now = state.clock.now();
    let id = own_household(&state, &user).await?;
    let mut tx = state.db.begin().await?;
    db::residents::set_consent(&mut tx, id, true, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "consent.give").target("household", id),
        now,
    )
    .await?;
    tx.commit().await?;
    load_own(&state, id).await
}

/// Which staff role viewed or exported one's household, and when.
#[utoipa::path(get, path = "/api/residents/me/access", tag = "residents",
    responses((status = 200, body = Vec<AccessEntry>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_access_log(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<AccessEntry>>> {
    let id = own_household(&state, &user).await?;
    Ok(Json(db::residents::access_log(&state.db, id).await?))
}

/// The ledger (台账): households of the caller's grids, filtered and paged; phones masked.
#[utoipa::path(get, path = "/api/residents/households", tag = "residents", params(LedgerQuery),
    responses((status = 200, body = Page<HouseholdSummary>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn ledger(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(query): Query<LedgerQuery>,
) -> AppResult<Json<Page<HouseholdSummary>>> {
    let paging = query.paging();
    let (items, total) = db::residents::ledger(
        &state.db,
        staff.scope(),
        &query,
        state.clock.today(),
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    let items = items.into_iter().map(rules::mask_summary).collect();
    Ok(Json(Page::new(items, paging, total)))
}

/// Register a household at the door (入户摸排), on the residents' behalf. Records the visit.
#[utoipa::path(post, path = "/api/residents/households", tag = "residents", request_body = DoorRegistration,
    responses((status = 201, body = Household), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "The room already has a household", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn register_at_door(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Json(input): Json<DoorRegistration>,
) -> AppResult<(StatusCode, Json<Household>)> {
    let now = state.clock.now();
    let today = state.clock.today();
    let valid = input.validate(today)?;
    let mut tx = state.db.begin().await?;
    if !db::residents::room_in_scope(&mut tx, valid.room_id, staff.scope()).await? {
        return Err(AppError::not_found());
    }
    let place = db::community::room_place(&mut tx, valid.room_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if db::residents::active_in_room(&mut tx, place.room_id)
        .await?
        .is_some()
    {
        return Err(AppError::with_field(
            ErrorCode::Conflict,
            "room_id",
            "This room already has a household.",
        ));
    }
    let new = NewHousehold {
        place: &place,
        source: Source::Staff,
        pending: false,
        consent_sensitive: valid.consent_sensitive,
        created_by: Some(staff.id()),
    };
    let id = db::residents::insert_household(&mut tx, new, &valid.members, now).await?;
    db::residents::insert_visit(
        &mut tx,
        &place,
        db::residents::NewVisit {
            household_id: Some(id),
            worker_id: staff.id(),
            visited_on: today,
            outcome: VisitOutcome::Registered,
            note: valid.note.as_deref(),
        },
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "household.create")
            .target("household", id)
            .detail(serde_json::json!({ "members": valid.members.len() })),
        now,
    )
    .await?;
    tx.commit().await?;
    let stored = db::residents::find(&state.db, id, today)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((
        StatusCode::CREATED,
        Json(rules::household_view(stored, false)),
    ))
}

async fn staff_view(
    state: &AppState,
    staff: &CurrentUser,
    id: i64,
    reveal: bool,
) -> AppResult<Json<Household>> {
    let mut tx = state.db.begin().await?;
    if db::residents::grid_in_scope(&mut tx, id, staff.scope())
        .await?
        .is_none()
    {
        return Err(AppError::not_found());
    }
    let action = if reveal {
        "household.reveal"
    } else {
        "household.view"
    };
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), action).target("household", id),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    let stored = db::residents::find(&state.db, id, state.clock.today())
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(rules::household_view(stored, reveal)))
}

/// One household of the caller's grids, phones and IDs masked. Recorded in the audit log.
#[utoipa::path(get, path = "/api/residents/households/{id}", tag = "residents",
    params(("id" = i64, Path, description = "Household id")),
    responses((status = 200, body = Household), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_household(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<Household>> {
    staff_view(&state, &staff, id, false).await
}

/// The same household with phones and IDs in full, for a call or a check. Audited.
#[utoipa::path(post, path = "/api/residents/households/{id}/reveal", tag = "residents",
    params(("id" = i64, Path, description = "Household id")),
    responses((status = 200, body = Household), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn reveal_household(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<Household>> {
    staff_view(&state, &staff, id, true).await
}

/// Staff correct a person's record (what they learnt at the door).
#[utoipa::path(put, path = "/api/residents/households/{id}/members/{member_id}", tag = "residents",
    request_body = MemberInput,
    params(("id" = i64, Path, description = "Household id"), ("member_id" = i64, Path, description = "Member id")),
    responses((status = 200, body = Household), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn staff_update_member(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path((id, member_id)): Path<(i64, i64)>,
    Json(input): Json<MemberInput>,
) -> AppResult<Json<Household>> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if db::residents::grid_in_scope(&mut tx, id, staff.scope())
        .await?
        .is_none()
    {
        return Err(AppError::not_found());
    }
    drop(tx);
    let consent = consent_of(&state, id).await?;
    let member = input.validate(state.clock.today(), consent)?;
    let mut tx = state.db.begin().await?;
    if !db::residents::update_member(&mut tx, id, member_id, &member, now).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "household.member_update")
            .target("household", id)
            .detail(serde_json::json!({ "member": member_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    let stored = db::residents::find(&state.db, id, state.clock.today())
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(rules::household_view(stored, false)))
}

/// Record a door visit: registered, nobody home, refused, or moved out.
#[utoipa::path(post, path = "/api/residents/visits", tag = "residents", request_body = VisitInput,
    responses((status = 201, body = shouwang_api::community::Created), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn record_visit(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Json(input): Json<VisitInput>,
) -> AppResult<(StatusCode, Json<shouwang_api::community::Created>)> {
    let now = state.clock.now();
    let note = input.validate(state.clock.today())?;
    let mut tx = state.db.begin().await?;
    if !db::residents::room_in_scope(&mut tx, input.room_id, staff.scope()).await? {
        return Err(AppError::not_found());
    }
    let place = db::community::room_place(&mut tx, input.room_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let household = db::residents::active_in_room(&mut tx, place.room_id).await?;
    let id = db::residents::insert_visit(
        &mut tx,
        &place,
        db::residents::NewVisit {
            household_id: household,
            worker_id: staff.id(),
            visited_on: input.visited_on,
            outcome: input.outcome,
            note: note.as_deref(),
        },
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "visit.create")
            .target("room", place.room_id)
            .detail(serde_json::json!({ "visit": id, "outcome": input.outcome })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(shouwang_api::community::Created { id }),
    ))
}

/// Coverage (入户排查全覆盖): per grid and building, doors known vs. registered or
/// visited, with every room's status for the map.
#[utoipa::path(get, path = "/api/residents/coverage", tag = "residents",
    params(("grid_id" = Option<i64>, Query, description = "One grid only")),
    responses((status = 200, body = Vec<GridCoverage>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn coverage(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(query): Query<CoverageQuery>,
) -> AppResult<Json<Vec<GridCoverage>>> {
    let rows = db::residents::coverage_rows(&state.db, staff.scope(), query.grid_id).await?;
    Ok(Json(rules::coverage(rows)))
}

#[derive(Debug, Clone, Copy, Default, serde::Deserialize)]
pub struct CoverageQuery {
    pub grid_id: Option<i64>,
}

/// The filtered ledger as a file: one line per person, phones and IDs masked. Every
/// household in it gets an audit entry its residents can see.
#[utoipa::path(get, path = "/api/residents/export", tag = "residents", params(LedgerQuery),
    responses((status = 200, description = "CSV (UTF-8 with BOM) or .xlsx",
            content((String = "text/csv"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn export_ledger(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(query): Query<LedgerQuery>,
) -> AppResult<Response> {
    let now = state.clock.now();
    let lines =
        db::residents::export_lines(&state.db, staff.scope(), &query, state.clock.today()).await?;
    let mut households: Vec<i64> = lines.iter().map(|l| l.household_id).collect();
    households.dedup();
    let table = rules::export_table(&lines);
    let format = query.format.unwrap_or_default();
    let file = export::render(&table, format, &format!("台账-{}", state.clock.today()))?;
    let mut tx = state.db.begin().await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "residents.export").detail(serde_json::json!({
            "format": format.as_str(),
            "households": households.len(),
            "people": lines.len(),
            "filters": query.to_query_string(),
        })),
        now,
    )
    .await?;
    for id in &households {
        audit::record(
            &mut tx,
            audit::Entry::new(Some(staff.id()), "household.export").target("household", *id),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(attachment(file))
}

/// Second registrations for occupied rooms, waiting for a decision.
#[utoipa::path(get, path = "/api/residents/merge-requests", tag = "residents",
    responses((status = 200, body = Vec<MergeRequest>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_merge_requests(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
) -> AppResult<Json<Vec<MergeRequest>>> {
    Ok(Json(
        db::residents::open_merge_requests(&state.db, staff.scope()).await?,
    ))
}

async fn decide(
    state: &AppState,
    staff: &CurrentUser,
    id: i64,
    merge: bool,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (existing, pending) = db::residents::open_merge_request(&mut tx, id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    if !db::residents::decide_merge_request(&mut tx, id, merge, staff.id(), now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    if let Some(pending) = pending {
        if merge {
            db::residents::merge_into(&mut tx, existing, pending, now).await?;
        }
        db::residents::delete_household(&mut tx, pending).await?;
    }
    let action = if merge {
        "merge.accept"
    } else {
        "merge.reject"
    };
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), action)
            .target("household", existing)
            .detail(serde_json::json!({ "merge_request": id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Merge the second registration's people and account into the room's household.
#[utoipa::path(post, path = "/api/residents/merge-requests/{id}/merge", tag = "residents",
    params(("id" = i64, Path, description = "Merge request id")),
    responses((status = 204, description = "Merged"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn merge_request_accept(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    decide(&state, &staff, id, true).await
}

/// Reject the second registration: its data is deleted.
#[utoipa::path(post, path = "/api/residents/merge-requests/{id}/reject", tag = "residents",
    params(("id" = i64, Path, description = "Merge request id")),
    responses((status = 204, description = "Rejected"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn merge_request_reject(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    decide(&state, &staff, id, false).await
}

/// When residents' personal data will be (or was) deleted.
#[utoipa::path(get, path = "/api/residents/retention", tag = "residents",
    responses((status = 200, body = RetentionStatus), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_retention(
    State(state): State<AppState>,
    _admin: RequireAdmin,
) -> AppResult<Json<RetentionStatus>> {
    Ok(Json(ops::retention::status(&state.db).await?))
}

/// End the emergency: residents' personal data is deleted `days` days from today
/// (0: now). See the README's "Retention".
#[utoipa::path(post, path = "/api/residents/retention", tag = "residents", request_body = RetentionInput,
    responses((status = 200, body = RetentionStatus), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn end_emergency(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Json(input): Json<RetentionInput>,
) -> AppResult<Json<RetentionStatus>> {
    let days = input.validate()?;
    let status = ops::retention::end_emergency(
        &state.db,
        admin.id(),
        days,
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    Ok(Json(status))
}
