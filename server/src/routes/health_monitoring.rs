//! Health monitoring (健康监测): residents' daily check-ins, the staff worklist, follow-ups.
//! (`routes/health.rs` is the server's own liveness probe.) Health data is sensitive
//! personal information: only staff of the person's grid and admins read it, every read
//! of a person's record is audited, volunteers never see it.

use crate::auth::{CurrentUser, RequireStaff};
use crate::db::health::PersonRow;
use crate::db::{self, audit};
use crate::domain::health as rules;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shouwang_api::community::Created;
use shouwang_api::health::{
    CareAssignment, CareContactInput, CareHousehold, CareInput, CheckInInput, FollowUpInput,
    MemberHealth, MyHealthToday, WorklistEntry, WorklistQuery,
};
use shouwang_api::personal::Phone;
use shouwang_api::zones::Zone;
use shouwang_api::{ErrorBody, ErrorCode, Page, PageQuery};

async fn own_household(state: &AppState, user: &CurrentUser) -> AppResult<i64> {
    db::residents::household_of_account(&state.db, user.id())
        .await?
        .ok_or_else(AppError::not_found)
}

async fn today_of(state: &AppState, household_id: i64) -> AppResult<MyHealthToday> {
    let day = state.clock.today();
    let people = db::health::people_of_household(&state.db, household_id).await?;
    let check_ins = db::health::check_ins_of_household_on(&state.db, household_id, day).await?;
    Ok(MyHealthToday {
        day,
        zone: people.first().map_or(Zone::default(), PersonRow::zone),
        members: rules::due_today(&people, &check_ins, day),
        hotline: db::community::hotline(&state.db).await?,
    })
}

/// Today's check-ins of the signed-in resident's household: who checks in, who has.
#[utoipa::path(get, path = "/api/health/me", tag = "health_monitoring",
    responses((status = 200, body = MyHealthToday), (status = 401, body = ErrorBody),
        (status = 404, description = "This account has no household", body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_health(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<MyHealthToday>> {
    let household = own_household(&state, &user).await?;
    Ok(Json(today_of(&state, household).await?))
}

/// Check in for oneself or another person of the household (an elderly parent).
/// A second check-in the same day corrects the first.
#[utoipa::path(post, path = "/api/health/me/check-ins", tag = "health_monitoring", request_body = CheckInInput,
    responses((status = 200, body = MyHealthToday), (status = 401, body = ErrorBody),
        (status = 404, description = "Not a person of this household", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn check_in(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<CheckInInput>,
) -> AppResult<Json<MyHealthToday>> {
    let household = own_household(&state, &user).await?;
    let valid = input.validate()?;
    let (today, now) = (state.clock.today(), state.clock.now());
    let mut tx = state.db.begin().await?;
    let recorded =
        ops::health::record_check_in(&mut tx, household, &valid, user.id(), today, now).await?;
    if !recorded {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    Ok(Json(today_of(&state, household).await?))
}

/// 全家正常: one tap checks in everybody of the household who has not yet today.
#[utoipa::path(post, path = "/api/health/me/all-well", tag = "health_monitoring",
    responses((status = 200, body = MyHealthToday), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn all_well(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<MyHealthToday>> {
    let household = own_household(&state, &user).await?;
    let pending: Vec<i64> = today_of(&state, household)
        .await?
        .members
        .into_iter()
        .filter(|m| m.today.is_none())
        .map(|m| m.member_id)
        .collect();
    let mut tx = state.db.begin().await?;
    let (today, now) = (state.clock.today(), state.clock.now());
    for member_id in pending {
        let valid = CheckInInput::all_well(member_id).validate()?;
        ops::health::record_check_in(&mut tx, household, &valid, user.id(), today, now).await?;
    }
    tx.commit().await?;
    Ok(Json(today_of(&state, household).await?))
}

/// Today's worklist for the caller's grids: who has not checked in, who reported a fever
/// (≥ 37.3 °C) or symptoms, whose observation ends within two days. Phones masked.
#[utoipa::path(get, path = "/api/health/worklist", tag = "health_monitoring", params(WorklistQuery),
    responses((status = 200, body = Page<WorklistEntry>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn worklist(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(query): Query<WorklistQuery>,
) -> AppResult<Json<Page<WorklistEntry>>> {
    let paging = query.paging();
    let day = state.clock.today();
    let (rows, total) = db::health::worklist(
        &state.db,
        staff.scope(),
        &query,
        day,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|row| rules::worklist_entry(row, day))
        .collect();
    Ok(Json(Page::new(items, paging, total)))
}

/// One person's health record: check-ins, follow-ups, ended observations. Audited.
#[utoipa::path(get, path = "/api/health/members/{id}", tag = "health_monitoring",
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberHealth), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn member_health(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<MemberHealth>> {
    let mut tx = state.db.begin().await?;
    let person = db::health::person_in_scope(&mut tx, id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "health.view").target("member", id),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(MemberHealth {
        member_id: person.member_id,
        household_id: person.household_id,
        name: person.name,
        observation_start: person.observation_start,
        observation_end: person.observation_end,
        check_ins: db::health::check_ins_of_member(&state.db, id).await?,
        follow_ups: db::health::follow_ups_of_member(&state.db, id).await?,
        ended_observations: db::health::ended_observations_of_member(&state.db, id).await?,
    }))
}

/// Acknowledge a worklist entry with a note of what was done; the history is kept.
#[utoipa::path(post, path = "/api/health/members/{id}/follow-ups", tag = "health_monitoring",
    request_body = FollowUpInput, params(("id" = i64, Path, description = "Member id")),
    responses((status = 201, body = Created), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn follow_up(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<FollowUpInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let now = state.clock.now();
    let note = input.validate()?;
    let mut tx = state.db.begin().await?;
    let person = db::health::person_in_scope(&mut tx, id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    let follow_up = db::health::insert_follow_up(
        &mut tx,
        &person,
        state.clock.today(),
        &note,
        staff.id(),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "health.follow_up")
            .target("member", id)
            .detail(serde_json::json!({ "follow_up": follow_up })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id: follow_up })))
}

/// Set a vulnerable household's 包保责任人 and how often they must reach it. Replaces an
/// earlier assignment; the next contact is due one interval from now.
#[utoipa::path(put, path = "/api/health/care/{household_id}", tag = "health_monitoring",
    request_body = CareInput, params(("household_id" = i64, Path, description = "Household id")),
    responses((status = 204, description = "Assigned"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Nobody in the household belongs to a special group", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn set_care(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(household_id): Path<i64>,
    Json(input): Json<CareInput>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let care = input.validate()?;
    let mut tx = state.db.begin().await?;
    let grid_id = db::residents::grid_in_scope(&mut tx, household_id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    if !db::health::is_vulnerable(&mut tx, household_id).await? {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    let account_name = match care.contact_user_id {
        Some(id) => Some(
            db::health::contact_account_name(&mut tx, id)
                .await?
                .ok_or_else(|| {
                    AppError::with_field(
                        ErrorCode::InvalidValue,
                        "contact_user_id",
                        "No such staff or volunteer account.",
                    )
                })?,
        ),
        None => None,
    };
    let name = care
        .contact_name
        .as_deref()
        .or(account_name.as_deref())
        .unwrap_or_default();
    db::health::upsert_care(
        &mut tx,
        db::health::NewCare {
            household_id,
            grid_id,
            contact_user_id: care.contact_user_id,
            contact_name: name,
            contact_phone: care.contact_phone.as_ref().map(Phone::as_str),
            interval_hours: care.interval_hours,
            due_at: rules::next_contact_due(now, care.interval_hours),
            set_by: staff.id(),
        },
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "care.assign")
            .target("household", household_id)
            .detail(serde_json::json!({ "contact_user_id": care.contact_user_id, "interval_hours": care.interval_hours })), now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Log that the household was reached: by its 包保 contact, or by staff of its grid.
#[utoipa::path(post, path = "/api/health/care/{household_id}/contacts", tag = "health_monitoring",
    request_body = CareContactInput, params(("household_id" = i64, Path, description = "Household id")),
    responses((status = 201, body = Created), (status = 401, body = ErrorBody),
        (status = 404, description = "No 包保 for this household, or not the caller's", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn log_care_contact(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(household_id): Path<i64>,
    Json(input): Json<CareContactInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let now = state.clock.now();
    let note = input.validate()?;
    let mut tx = state.db.begin().await?;
    let (contact, interval, _) = db::health::care_of(&mut tx, household_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let staff_of_grid = user.role().is_staff()
        && db::residents::grid_in_scope(&mut tx, household_id, user.scope())
            .await?
            .is_some();
    if !staff_of_grid && contact != Some(user.id()) {
        return Err(AppError::not_found());
    }
    let id = db::health::log_care_contact(
        &mut tx,
        household_id,
        user.id(),
        input.method,
        note.as_deref(),
        now,
        rules::next_contact_due(now, interval),
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "care.contact")
            .target("household", household_id)
            .detail(serde_json::json!({ "contact": id, "method": input.method })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// 包保 contacts overdue in the caller's grids, the longest overdue first, with how many
/// contacts were missed: the escalation list of the staff worklist. Phones masked.
#[utoipa::path(get, path = "/api/health/care/overdue", tag = "health_monitoring", params(PageQuery),
    responses((status = 200, body = Page<CareAssignment>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn overdue_care(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<CareAssignment>>> {
    let now = state.clock.now();
    let (rows, total) = db::health::overdue_care(
        &state.db,
        staff.scope(),
        now,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|row| rules::care_view(row, now))
        .collect();
    Ok(Json(Page::new(items, paging, total)))
}

/// The vulnerable households (特殊群体) of the caller's grids with their 包保 contact and
/// interval: those nobody cares for yet first. Phones masked; the view is audited, since
/// it lists who is elderly, disabled or ill.
#[utoipa::path(get, path = "/api/health/care", tag = "health_monitoring", params(PageQuery),
    responses((status = 200, body = Page<CareHousehold>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn care_list(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<CareHousehold>>> {
    let now = state.clock.now();
    let (rows, total) =
        db::health::care_list(&state.db, staff.scope(), paging.per_page(), paging.offset()).await?;
    let mut tx = state.db.begin().await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "care.list_view")
            .detail(serde_json::json!({ "page": paging.page(), "count": rows.len() })),
        now,
    )
    .await?;
    tx.commit().await?;
    let items = rows
        .into_iter()
        .map(|row| rules::care_household(row, now))
        .collect();
    Ok(Json(Page::new(items, paging, total)))
}
