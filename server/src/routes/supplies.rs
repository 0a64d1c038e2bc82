//! Supply and help requests: residents ask, staff triage and assign, volunteers deliver,
//! residents confirm. Sealed buildings' requests travel in runs handed over at the gate.

use crate::auth::{CurrentUser, RequireStaff};
use crate::db::supplies::EventText;
use crate::db::supplies::StoredRequest;
use crate::db::{self, audit};
use crate::domain::supplies::{self as rules, Party};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Datelike;
use serde_json::json;
use shouwang_api::auth::Role;
use shouwang_api::supplies::{
    ActionInput, AssignableVolunteer, ContactReveal, Delivery, EventDetail, RequestInput,
    RequestKind, RequestListQuery, RequestState, RunInput, RunListQuery, RunWithStops,
    SupplyRequest, SupplyRun,
};
use shouwang_api::zones::Zone;
use shouwang_api::{ErrorBody, ErrorCode, Page, PageQuery};

/// Ask for groceries, medicine or help. Requests from sealed buildings and special-group
/// households are marked priority; the kinds open depend on the building's zone.
#[utoipa::path(post, path = "/api/supplies/requests", tag = "supplies", request_body = RequestInput,
    responses(
        (status = 201, body = SupplyRequest), (status = 401, body = ErrorBody),
        (status = 404, description = "This account has no household", body = ErrorBody),
        (status = 422, description = "Bad input, or a kind not open in this zone (field kind)", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn create_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<RequestInput>,
) -> AppResult<(StatusCode, Json<SupplyRequest>)> {
    let now = state.clock.now();
    let request = input.validate()?;
    let mut tx = state.db.begin().await?;
    let id = ops::supplies::create_in(&mut tx, &user, &request, now).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(rules::resident_view(load(&state, id).await?)),
    ))
}

/// The caller's household's requests, newest first, with their pickup codes.
#[utoipa::path(get, path = "/api/supplies/mine", tag = "supplies", params(PageQuery),
    responses((status = 200, body = Page<SupplyRequest>), (status = 401, body = ErrorBody),
        (status = 404, description = "This account has no household", body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<SupplyRequest>>> {
    let household = db::residents::household_of_account(&state.db, user.id())
        .await?
        .ok_or_else(AppError::not_found)?;
    let (items, total) =
        db::supplies::of_household(&state.db, household, paging.per_page(), paging.offset())
            .await?;
    let items = items.into_iter().map(rules::resident_view).collect();
    Ok(Json(Page::new(items, paging, total)))
}

/// The staff dashboard: open requests of the caller's grids (or those in `state`),
/// priority first, oldest first; those untouched past the time limit are flagged `stale`.
#[utoipa::path(get, path = "/api/supplies/requests", tag = "supplies", params(RequestListQuery),
    responses((status = 200, body = Page<SupplyRequest>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn dashboard(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(query): Query<RequestListQuery>,
) -> AppResult<Json<Page<SupplyRequest>>> {
    let now = state.clock.now();
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (items, total) = db::supplies::dashboard(
        &state.db,
        staff.scope(),
        &query,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    let items = items
        .into_iter()
        .map(|r| rules::staff_view(r, now))
        .collect();
    Ok(Json(Page::new(items, paging, total)))
}

/// One request with its history: to staff of its grid and to its household.
#[utoipa::path(get, path = "/api/supplies/requests/{id}", tag = "supplies",
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, body = SupplyRequest), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<SupplyRequest>> {
    let mut tx = state.db.begin().await?;
    let core = db::supplies::core_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let party = ops::supplies::party_of(&mut tx, &user, &core).await?;
    tx.rollback().await?;
    let request = load(&state, id).await?;
    Ok(Json(match party {
        Party::Staff => rules::staff_view(request, state.clock.now()),
        Party::Requester => rules::resident_view(request),
        // Volunteers read their deliveries, not the request record.
        Party::Volunteer => return Err(AppError::not_found()),
    }))
}

/// Move a request on: accept, assign, dispatch, deliver (with the pickup code), confirm,
/// cancel or refuse (with a reason). Each party may take only its own actions (403); an
/// action the state does not allow is 409 `illegal_transition`.
#[utoipa::path(post, path = "/api/supplies/requests/{id}/actions", tag = "supplies", request_body = ActionInput,
    params(("id" = i64, Path, description = "Request id")),
    responses(
        (status = 200, body = SupplyRequest), (status = 401, body = ErrorBody),
        (status = 403, description = "Not an action of the caller's part", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "illegal_transition", body = ErrorBody),
        (status = 422, description = "Missing reason, volunteer or pickup code; wrong code; volunteer not available", body = ErrorBody),
        (status = 429, description = "Too many wrong pickup codes: the check is locked for a while (`Retry-After`)", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<ActionInput>,
) -> AppResult<Json<SupplyRequest>> {
    let action = input.validate()?;
    let request = ops::supplies::act(&state, &user, id, &action, state.clock.now()).await?;
    Ok(Json(request))
}

/// The signed-in volunteer's deliveries: address to the door, items, and the contact phone
/// masked (reveal it per delivery). Never another volunteer's.
#[utoipa::path(get, path = "/api/supplies/deliveries", tag = "supplies", params(PageQuery),
    responses((status = 200, body = Page<Delivery>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_deliveries(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<Delivery>>> {
    if user.role() != Role::Volunteer {
        return Err(AppError::forbidden());
    }
    let (items, total) =
        db::supplies::deliveries_of(&state.db, user.id(), paging.per_page(), paging.offset())
            .await?;
    let items = items.into_iter().map(rules::delivery_view).collect();
    Ok(Json(Page::new(items, paging, total)))
}

/// The full contact phone of one delivery, for the volunteer carrying it while it is on its
/// way; each reveal is on record.
#[utoipa::path(post, path = "/api/supplies/requests/{id}/contact", tag = "supplies",
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, body = ContactReveal), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The delivery is not under way", body = ErrorBody)),
    security(("session" = [])))]
pub async fn reveal_contact(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<ContactReveal>> {
    if user.role() != Role::Volunteer {
        return Err(AppError::forbidden());
    }
    let (request_state, contact_phone) = db::supplies::contact_for(&state.db, id, user.id())
        .await?
        .ok_or_else(AppError::not_found)?;
    if !matches!(
        request_state,
        RequestState::Assigned | RequestState::OutForDelivery
    ) {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    audit::record_alone(
        &state.db,
        audit::Entry::new(Some(user.id()), "supply.contact_reveal").target("supply_request", id),
        state.clock.now(),
    )
    .await?;
    Ok(Json(ContactReveal { contact_phone }))
}

/// Approved volunteers, with whether each can carry a delivery today.
#[utoipa::path(get, path = "/api/supplies/volunteers", tag = "supplies",
    responses((status = 200, body = Vec<AssignableVolunteer>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn assignable(
    State(state): State<AppState>,
    _staff: RequireStaff,
) -> AppResult<Json<Vec<AssignableVolunteer>>> {
    let now = state.clock.now();
    let clock = state.clock.community();
    let today = clock.today(now);
    let (_, day_end) = clock.day_bounds(today);
    let weekday = u8::try_from(today.weekday().number_from_monday()).unwrap_or(1);
    let carriers = db::supplies::approved_carriers(&state.db, now, day_end).await?;
    Ok(Json(
        carriers
            .into_iter()
            .map(|(id, c)| AssignableVolunteer {
                id,
                can_deliver: rules::can_take(
                    RequestKind::Grocery,
                    c.on_delivery_shift,
                    &c.availability,
                    weekday,
                ),
                name: c.name,
            })
            .collect(),
    ))
}

/// Group accepted requests of one sealed building into a run, handed over at the gate to an
/// in-building volunteer (assigned to each request) or to the 楼栋长.
#[utoipa::path(post, path = "/api/supplies/runs", tag = "supplies", request_body = RunInput,
    responses(
        (status = 201, body = SupplyRun), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such building in the caller's grids", body = ErrorBody),
        (status = 409, description = "A request is not accepted", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn create_run(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Json(input): Json<RunInput>,
) -> AppResult<(StatusCode, Json<SupplyRun>)> {
    let now = state.clock.now();
    input.validate()?;
    let mut tx = state.db.begin().await?;
    let (grid_id, zone, head_name, _) = db::supplies::building_for_run(&mut tx, input.building_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !db::supplies::grid_in_scope(&mut tx, grid_id, staff.scope()).await? {
        return Err(AppError::not_found());
    }
    if zone != Zone::Sealed {
        return Err(AppError::with_field(
            ErrorCode::InvalidValue,
            "building_id",
            "Runs are for sealed buildings.",
        ));
    }
    let found = db::supplies::runnable_in(&mut tx, input.building_id, &input.request_ids).await?;
    let mut wanted = input.request_ids.clone();
    wanted.sort_unstable();
    wanted.dedup();
    if found.len() != wanted.len() {
        return Err(AppError::with_field(
            ErrorCode::InvalidValue,
            "request_ids",
            "Every request must belong to this building and to no other run.",
        ));
    }
    if found.iter().any(|(_, s, _)| *s != RequestState::Accepted) {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    let handover_to = match input.volunteer_id {
        Some(volunteer_id) => {
            let kinds: Vec<RequestKind> = found.iter().map(|(_, _, k)| *k).collect();
            Some(
                ops::supplies::check_carrier(&mut tx, &state, volunteer_id, &kinds)
                    .await?
                    .name,
            )
        }
        None => head_name,
    };
    let run_id = db::supplies::insert_run(
        &mut tx,
        input.building_id,
        grid_id,
        input.volunteer_id,
        handover_to.as_deref(),
        staff.id(),
        now,
    )
    .await?;
    let detail = EventDetail::AddedToRun { run_id };
    for (id, _, _) in &found {
        let core = db::supplies::core_in(&mut tx, *id)
            .await?
            .ok_or_else(AppError::not_found)?;
        db::supplies::set_run(&mut tx, *id, run_id, now).await?;
        if !db::supplies::change_state(
            &mut tx,
            *id,
            RequestState::Accepted,
            RequestState::Assigned,
            input.volunteer_id,
            now,
        )
        .await?
        {
            return Err(AppError::code(ErrorCode::IllegalTransition));
        }
        db::supplies::insert_event(
            &mut tx,
            *id,
            staff.id(),
            Some(RequestState::Accepted),
            RequestState::Assigned,
            EventText::detail(&detail),
            now,
        )
        .await?;
        ops::supplies::tell(
            &mut tx,
            &core,
            Party::Staff,
            RequestState::Assigned,
            input.volunteer_id,
            now,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "supply.run_create")
            .target("supply_run", run_id)
            .detail(json!({ "requests": found.len(), "volunteer_id": input.volunteer_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(load_run(&state, run_id).await?)))
}

/// The run was handed over at the building's gate: its requests are now on their way to
/// each door.
#[utoipa::path(post, path = "/api/supplies/runs/{id}/handover", tag = "supplies",
    params(("id" = i64, Path, description = "Run id")),
    responses((status = 200, body = SupplyRun), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Already handed over", body = ErrorBody)),
    security(("session" = [])))]
pub async fn hand_over_run(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<SupplyRun>> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (grid_id, _) = db::supplies::run_core(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !db::supplies::grid_in_scope(&mut tx, grid_id, staff.scope()).await? {
        return Err(AppError::not_found());
    }
    if !db::supplies::mark_handed_over(&mut tx, id, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    let mut moved = 0;
    for (request_id, request_state) in db::supplies::run_requests(&mut tx, id).await? {
        if request_state != RequestState::Assigned {
            continue; // cancelled meanwhile
        }
        let core = db::supplies::core_in(&mut tx, request_id)
            .await?
            .ok_or_else(AppError::not_found)?;
        db::supplies::change_state(
            &mut tx,
            request_id,
            RequestState::Assigned,
            RequestState::OutForDelivery,
            None,
            now,
        )
        .await?;
        db::supplies::insert_event(
            &mut tx,
            request_id,
            staff.id(),
            Some(RequestState::Assigned),
            RequestState::OutForDelivery,
            EventText::detail(&EventDetail::HandedOverAtGate),
            now,
        )
        .await?;
        ops::supplies::tell(
            &mut tx,
            &core,
            Party::Staff,
            RequestState::OutForDelivery,
            None,
            now,
        )
        .await?;
        moved += 1;
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "supply.run_handover")
            .target("supply_run", id)
            .detail(json!({ "requests": moved })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(load_run(&state, id).await?))
}

async fn load(state: &AppState, id: i64) -> AppResult<StoredRequest> {
    db::supplies::find(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)
}

async fn load_run(state: &AppState, id: i64) -> AppResult<SupplyRun> {
    db::supplies::find_run(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The runs of the caller's grids (of one building if asked), newest first, each with its
/// orders' doors and states: what was handed over at the gate and what reached the door.
#[utoipa::path(get, path = "/api/supplies/runs", tag = "supplies", params(RunListQuery),
    responses((status = 200, body = Page<RunWithStops>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_runs(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(query): Query<RunListQuery>,
) -> AppResult<Json<Page<RunWithStops>>> {
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (runs, total) = db::supplies::runs(
        &state.db,
        staff.scope(),
        &query,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    let ids: Vec<i64> = runs.iter().map(|r| r.id).collect();
    let mut stops = db::supplies::stops_of(&state.db, &ids).await?;
    let items = runs
        .into_iter()
        .map(|run| {
            let (mine, rest): (Vec<_>, Vec<_>) = stops.drain(..).partition(|s| s.run_id == run.id);
            stops = rest;
            RunWithStops { run, stops: mine }
        })
        .collect();
    Ok(Json(Page::new(items, paging, total)))
}
