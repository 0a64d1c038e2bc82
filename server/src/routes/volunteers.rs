use crate::auth::cookies::{self, is_https};
use crate::auth::rate_limit::client_address;
use crate::auth::{CurrentUser, RequireStaff};
use crate::db::volunteers::StoredVolunteer;
use crate::db::{self, audit};
use crate::domain::export;
use crate::domain::sessions::{new_token, token_hash};
use crate::domain::shifts::{CalendarEvent, ics_calendar};
use crate::domain::volunteers as rules;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use crate::tenancy::Deployment;
use crate::web::download::attachment;
use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use shouwang_api::shifts::CalendarQuery;
use shouwang_api::volunteers::{
    CalendarLink, HoursQuery, HoursRow, MyHours, NewSkillRequest, Skill, Volunteer,
    VolunteerAction, VolunteerListQuery, VolunteerProfileInput, VolunteerSignUp,
    check_training_dates,
};
use shouwang_api::{ErrorBody, ErrorCode, Page, PageQuery};
use std::net::SocketAddr;
use std::sync::Arc;

/// The skills a volunteer can list: the built-in ones and those staff added.
#[utoipa::path(get, path = "/api/volunteers/skills", tag = "volunteers",
    responses((status = 200, body = Vec<Skill>)))]
pub async fn list_skills(State(state): State<AppState>) -> AppResult<Json<Vec<Skill>>> {
    Ok(Json(db::volunteers::list_skills(&state.db).await?))
}

/// Staff add a skill of their own.
#[utoipa::path(post, path = "/api/volunteers/skills", tag = "volunteers", request_body = NewSkillRequest,
    responses(
        (status = 201, body = Skill), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn create_skill(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Json(request): Json<NewSkillRequest>,
) -> AppResult<(StatusCode, Json<Skill>)> {
    let now = state.clock.now();
    let name = request.validate()?;
    let mut tx = state.db.begin().await?;
    let skill = db::volunteers::insert_skill(&mut tx, &name, now)
        .await?
        .ok_or_else(|| {
            AppError::with_field(ErrorCode::Conflict, "name", "A skill of this name exists.")
        })?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "skill.create")
            .detail(serde_json::json!({ "code": skill.code })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(skill)))
}

/// Sign up as a volunteer. Creates a `volunteer` account whose username is the phone
/// number, signs it in, and waits for staff approval.
#[utoipa::path(post, path = "/api/volunteers/sign-up", tag = "volunteers", request_body = VolunteerSignUp,
    responses(
        (status = 201, description = "Signed up and signed in; the session cookie is set", body = Volunteer),
        (status = 409, description = "This phone number already has an account", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
pub async fn sign_up(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<VolunteerSignUp>,
) -> AppResult<Response> {
    let valid = request.validate()?;
    check_training_dates(&valid.profile.trainings, state.clock.today())?;
    let address = client_address(peer, &headers, state.settings.trust_proxy);
    let (volunteer, token) =
        ops::volunteers::sign_up(&state, address, &valid, state.clock.now()).await?;
    let cookie = cookies::set_session(
        &token,
        state.settings.session_ttl,
        is_https(&headers),
        state.community.cookie_path(),
    );
    Ok((
        StatusCode::CREATED,
        [(header::SET_COOKIE, cookie)],
        Json(rules::in_full(volunteer)),
    )
        .into_response())
}

/// The signed-in volunteer's own profile.
#[utoipa::path(get, path = "/api/volunteers/me", tag = "volunteers",
    responses((status = 200, body = Volunteer), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_me(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Volunteer>> {
    Ok(Json(rules::in_full(load(&state, user.id()).await?)))
}

/// A volunteer edits their own profile (the phone is their sign-in name and stays).
#[utoipa::path(put, path = "/api/volunteers/me", tag = "volunteers", request_body = VolunteerProfileInput,
    responses(
        (status = 200, body = Volunteer), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn update_me(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<VolunteerProfileInput>,
) -> AppResult<Json<Volunteer>> {
    let profile = input.validate()?;
    check_training_dates(&profile.trainings, state.clock.today())?;
    let volunteer =
        ops::volunteers::update_profile(&state.db, user.id(), &profile, state.clock.now()).await?;
    Ok(Json(rules::in_full(volunteer)))
}

/// Volunteers, oldest first, phones masked; optionally of one status.
#[utoipa::path(get, path = "/api/volunteers", tag = "volunteers", params(VolunteerListQuery),
    responses((status = 200, body = Page<Volunteer>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_volunteers(
    State(state): State<AppState>,
    _staff: RequireStaff,
    Query(query): Query<VolunteerListQuery>,
) -> AppResult<Json<Page<Volunteer>>> {
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (items, total) =
        db::volunteers::list(&state.db, query.status, paging.per_page(), paging.offset()).await?;
    let items = items.into_iter().map(rules::for_list).collect();
    Ok(Json(Page::new(items, paging, total)))
}

/// One volunteer's profile, the phone masked. The view is audited.
#[utoipa::path(get, path = "/api/volunteers/{id}", tag = "volunteers",
    params(("id" = i64, Path, description = "Volunteer (account) id")),
    responses(
        (status = 200, body = Volunteer), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn get_volunteer(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<Volunteer>> {
    let volunteer = load(&state, id).await?;
    audit::record_alone(
        &state.db,
        audit::Entry::new(Some(staff.id()), "volunteer.view").target("volunteer", id),
        state.clock.now(),
    )
    .await?;
    Ok(Json(rules::for_list(volunteer)))
}

/// The same profile with the phone in full, for a call: for an admin, or for staff whose
/// grid the volunteer works in (a supply request or run there, or a shift the caller
/// set up). Audited; others get 403.
#[utoipa::path(post, path = "/api/volunteers/{id}/reveal", tag = "volunteers",
    params(("id" = i64, Path, description = "Volunteer (account) id")),
    responses(
        (status = 200, body = Volunteer), (status = 401, body = ErrorBody),
        (status = 403, description = "The volunteer does not work in the caller's grids", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn reveal_volunteer(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<Volunteer>> {
    let volunteer = load(&state, id).await?;
    if !staff.role().is_admin()
        && !db::volunteers::works_for_staff(&state.db, id, staff.scope()).await?
    {
        return Err(AppError::forbidden());
    }
    audit::record_alone(
        &state.db,
        audit::Entry::new(Some(staff.id()), "volunteer.reveal").target("volunteer", id),
        state.clock.now(),
    )
    .await?;
    Ok(Json(rules::in_full(volunteer)))
}

/// Approve a pending (or paused) volunteer: they may take shifts.
#[utoipa::path(post, path = "/api/volunteers/{id}/approve", tag = "volunteers",
    params(("id" = i64, Path, description = "Volunteer id")),
    responses(
        (status = 200, body = Volunteer), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn approve_volunteer(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<Volunteer>> {
    transition(&state, staff.id(), id, VolunteerAction::Approve).await
}

/// Pause a volunteer: their coming sign-ups are cancelled (waitlists move up).
#[utoipa::path(post, path = "/api/volunteers/{id}/pause", tag = "volunteers",
    params(("id" = i64, Path, description = "Volunteer id")),
    responses(
        (status = 200, body = Volunteer), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn pause_volunteer(
    State(state): State<AppState>,
    deployment: Option<Extension<Arc<Deployment>>>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<Volunteer>> {
    release_elsewhere(deployment, &state, staff.id(), id, VolunteerAction::Pause).await
}

/// Remove a volunteer (or turn down a pending one). Final; coming sign-ups are cancelled.
#[utoipa::path(post, path = "/api/volunteers/{id}/remove", tag = "volunteers",
    params(("id" = i64, Path, description = "Volunteer id")),
    responses(
        (status = 200, body = Volunteer), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn remove_volunteer(
    State(state): State<AppState>,
    deployment: Option<Extension<Arc<Deployment>>>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<Volunteer>> {
    release_elsewhere(deployment, &state, staff.id(), id, VolunteerAction::Remove).await
}

/// A pause or removal, then the volunteer's seats through the street's pool given up too.
async fn release_elsewhere(
    deployment: Option<Extension<Arc<Deployment>>>,
    state: &AppState,
    actor: i64,
    id: i64,
    action: VolunteerAction,
) -> AppResult<Json<Volunteer>> {
    let volunteer = transition(state, actor, id, action).await?;
    if let Some(Extension(deployment)) = deployment {
        ops::pool::release_elsewhere(&deployment, state, id, state.clock.now()).await?;
    }
    Ok(volunteer)
}

async fn transition(
    state: &AppState,
    actor: i64,
    id: i64,
    action: VolunteerAction,
) -> AppResult<Json<Volunteer>> {
    ops::volunteers::change_status(&state.db, actor, id, action, state.clock.now()).await?;
    // A reply to staff, like the list: the phone masked (a reveal is its own audited call).
    Ok(Json(rules::for_list(load(state, id).await?)))
}

/// A new private calendar link for the signed-in volunteer; the old link stops working.
#[utoipa::path(post, path = "/api/volunteers/me/calendar", tag = "volunteers",
    responses((status = 200, body = CalendarLink), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn new_calendar_link(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<CalendarLink>> {
    let (token, hash) = new_token();
    let mut tx = state.db.begin().await?;
    if !db::volunteers::set_calendar_token(&mut tx, user.id(), Some(&hash)).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "volunteer.calendar_link")
            .target("volunteer", user.id()),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(CalendarLink {
        path: format!("/api/calendar/{token}.ics"),
    }))
}

/// Revoke the calendar link.
#[utoipa::path(delete, path = "/api/volunteers/me/calendar", tag = "volunteers",
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn revoke_calendar_link(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<StatusCode> {
    let mut tx = state.db.begin().await?;
    if !db::volunteers::set_calendar_token(&mut tx, user.id(), None).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "volunteer.calendar_revoke")
            .target("volunteer", user.id()),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The iCalendar feed of a volunteer's shifts, by its private link (no sign-in: calendar
/// apps fetch it on their own).
#[utoipa::path(get, path = "/api/calendar/{file}", tag = "volunteers",
    params(("file" = String, Path, description = "`<token>.ics`"), CalendarQuery),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn calendar_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<CalendarQuery>,
) -> AppResult<Response> {
    let now = state.clock.now();
    let token = file
        .strip_suffix(".ics")
        .filter(|t| !t.is_empty() && t.len() <= 64)
        .ok_or_else(AppError::not_found)?;
    let id = db::volunteers::find_by_calendar_token(&state.db, &token_hash(token))
        .await?
        .ok_or_else(AppError::not_found)?;
    let clock = state.clock.community();
    let shifts =
        db::shifts::calendar_shifts(&state.db, id, now - Duration::days(30), clock).await?;
    let events: Vec<CalendarEvent> = shifts
        .iter()
        .map(|s| CalendarEvent {
            uid: format!("shift-{}-volunteer-{id}@shouwang", s.id),
            summary: query.lang.event_summary(&s.post_label(query.lang)),
            location: s.place.clone(),
            description: s.notes.clone().unwrap_or_default(),
            starts_at: s.starts_at,
            ends_at: s.ends_at,
        })
        .collect();
    let mut response = ics_calendar(&events, query.lang.calendar_name(), now).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    Ok(response)
}

/// The signed-in volunteer's hours in a period.
#[utoipa::path(get, path = "/api/volunteers/me/hours", tag = "volunteers", params(HoursQuery),
    responses((status = 200, body = MyHours), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_hours(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<HoursQuery>,
) -> AppResult<Json<MyHours>> {
    let clock = state.clock.community();
    let (from, to) = query.period(state.clock.today())?;
    let (start, _) = clock.day_bounds(from);
    let (_, end) = clock.day_bounds(to);
    let entries = db::volunteers::hours_entries(&state.db, user.id(), start, end).await?;
    Ok(Json(MyHours {
        from,
        to,
        total_minutes: entries.iter().map(|e| e.minutes).sum(),
        entries,
    }))
}

/// Hours per volunteer in a period (phones masked); with `format` a CSV or `.xlsx`
/// download, which is audited.
#[utoipa::path(get, path = "/api/volunteers/hours", tag = "volunteers", params(HoursQuery),
    responses(
        (status = 200, description = "JSON, or a file when `format` is given",
            content((Page<HoursRow> = "application/json"), (String = "text/csv"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn hours_report(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(query): Query<HoursQuery>,
) -> AppResult<Response> {
    let clock = state.clock.community();
    let (from, to) = query.period(state.clock.today())?;
    let (start, _) = clock.day_bounds(from);
    let (_, end) = clock.day_bounds(to);
    let Some(format) = query.format else {
        let paging = PageQuery {
            page: query.page,
            per_page: query.per_page,
        };
        let (items, total) = db::volunteers::hours(
            &state.db,
            start,
            end,
            Some(paging.per_page()),
            paging.offset(),
        )
        .await?;
        return Ok(Json(Page::new(items, paging, total)).into_response());
    };
    let (rows, total) = db::volunteers::hours(&state.db, start, end, None, 0).await?;
    let table = rules::hours_table(&rows, from, to);
    let download = export::render(&table, format, &format!("志愿服务时长_{from}_{to}"))?;
    audit::record_alone(
        &state.db,
        audit::Entry::new(Some(staff.id()), "volunteer.hours_export").detail(serde_json::json!({
            "rows": total, "format": format, "from": from, "to": to,
        })),
        state.clock.now(),
    )
    .await?;
    Ok(attachment(download))
}

async fn load(state: &AppState, id: i64) -> AppResult<StoredVolunteer> {
    db::volunteers::find(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)
}
