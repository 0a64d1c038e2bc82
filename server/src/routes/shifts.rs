use crate::auth::{CurrentUser, RequireStaff};
use crate::db::{self, Tx, audit, notifications, shifts::ShiftCore};
use crate::domain::shifts::{self as rules, Refusal, occurrences};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use crate::tenancy::Deployment;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use shouwang_api::notifications::{Message, ShiftNotice};
use shouwang_api::shifts::{
    AssignRequest, CreatedShifts, MySignup, MySignupsQuery, Roster, RosterQuery, RosterShift,
    Shift, ShiftInput, ShiftListQuery, ShiftSettings, SignupAction, SignupRequest, SignupStatus,
};
use shouwang_api::{ErrorBody, ErrorCode, FieldError, Page, PageQuery};
use std::sync::Arc;

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        AppError::code(r.code())
    }
}

/// The rotation rules and the time zone. Everyone signed in may read them.
#[utoipa::path(get, path = "/api/shifts/settings", tag = "shifts",
    responses((status = 200, body = ShiftSettings), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_settings(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> AppResult<Json<ShiftSettings>> {
    Ok(Json(db::shifts::settings(state.db.reader()).await?))
}

/// Staff set the rotation rules (hours per week, rest between shifts) and the time zone.
#[utoipa::path(put, path = "/api/shifts/settings", tag = "shifts", request_body = ShiftSettings,
    responses(
        (status = 200, body = ShiftSettings), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn update_settings(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Json(input): Json<ShiftSettings>,
) -> AppResult<Json<ShiftSettings>> {
    let now = state.clock.now();
    let settings = input.validate()?;
    let mut tx = state.db.begin().await?;
    db::shifts::update_settings(&mut tx, &settings, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "shift_settings.update").detail(serde_json::json!({
            "max_hours_per_week": settings.max_hours_per_week,
            "min_rest_minutes": settings.min_rest_minutes,
            "utc_offset_minutes": settings.utc_offset_minutes,
        })),
        now,
    )
    .await?;
    tx.commit().await?;
    state.clock.use_settings(&settings);
    Ok(Json(settings))
}

/// Upcoming shifts, soonest first, filtered by local day, post and place. A volunteer
/// sees only those they qualify for (skill and training); staff see all.
#[utoipa::path(get, path = "/api/shifts", tag = "shifts", params(ShiftListQuery),
    responses((status = 200, body = Page<Shift>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_shifts(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ShiftListQuery>,
) -> AppResult<Json<Page<Shift>>> {
    let is_staff = user.role().is_staff();
    if !is_staff && user.role() != shouwang_api::auth::Role::Volunteer {
        return Err(AppError::forbidden());
    }
    let clock = state.clock.community();
    let day = query.day.map(|day| clock.day_bounds(day));
    let place = query
        .place
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let filter = db::shifts::UpcomingFilter {
        now: state.clock.now(),
        starts_from: day.map(|(start, _)| start),
        starts_before: day.map(|(_, end)| end),
        post: query.post,
        place,
        qualified: (!is_staff).then_some(user.id()),
    };
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (items, total) = db::shifts::list_upcoming(
        &state.db,
        &filter,
        Some(user.id()),
        clock,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    Ok(Json(Page::new(items, paging, total)))
}

/// Create a shift, or a series of them (`repeat`: daily or weekly until a day).
#[utoipa::path(post, path = "/api/shifts", tag = "shifts", request_body = ShiftInput,
    responses(
        (status = 201, body = CreatedShifts), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn create_shifts(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Json(input): Json<ShiftInput>,
) -> AppResult<(StatusCode, Json<CreatedShifts>)> {
    let now = state.clock.now();
    let shift = input.validate()?;
    let clock = state.clock.community();
    let times = occurrences(&shift, clock);
    if times.first().is_some_and(|t| t.starts_at <= now) {
        return Err(FieldError::new("date", ErrorCode::InvalidDate).into());
    }
    let mut tx = state.db.begin().await?;
    check_skill(&mut tx, shift.required_skill.as_deref()).await?;
    let mut ids = Vec::with_capacity(times.len());
    for at in &times {
        ids.push(db::shifts::insert(&mut tx, &shift, *at, None, staff.id(), now).await?);
    }
    let first = ids.first().copied().unwrap_or_default();
    let series_id = Some(first).filter(|_| ids.len() > 1);
    if let Some(series) = series_id {
        db::shifts::set_series(&mut tx, &ids, series).await?;
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "shift.create")
            .target("shift", first)
            .detail(serde_json::json!({ "count": ids.len() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(CreatedShifts { series_id, ids })))
}

async fn check_skill(tx: &mut Tx, skill: Option<&str>) -> AppResult<()> {
    if let Some(skill) = skill
        && !db::volunteers::skills_exist(&mut **tx, &[skill.to_owned()]).await?
    {
        return Err(FieldError::new("required_skill", ErrorCode::InvalidValue).into());
    }
    Ok(())
}

/// One shift. Volunteers and staff only.
#[utoipa::path(get, path = "/api/shifts/{id}", tag = "shifts",
    params(("id" = i64, Path, description = "Shift id")),
    responses((status = 200, body = Shift), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_shift(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Shift>> {
    if !user.role().is_staff() && user.role() != shouwang_api::auth::Role::Volunteer {
        return Err(AppError::forbidden());
    }
    let clock = state.clock.community();
    db::shifts::find(&state.db, id, Some(user.id()), clock)
        .await?
        .map(Json)
        .ok_or_else(AppError::not_found)
}

/// Edit one shift. Its times may change only while nobody holds a seat; capacity may
/// not drop below the seats taken, and a larger capacity moves the waitlist up.
#[utoipa::path(put, path = "/api/shifts/{id}", tag = "shifts", request_body = ShiftInput,
    params(("id" = i64, Path, description = "Shift id")),
    responses(
        (status = 200, body = Shift), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn update_shift(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(mut input): Json<ShiftInput>,
) -> AppResult<Json<Shift>> {
    let now = state.clock.now();
    input.repeat = shouwang_api::shifts::Repeat::Once;
    let shift = input.validate()?;
    let clock = state.clock.community();
    let at = occurrences(&shift, clock)[0];
    let mut tx = state.db.begin().await?;
    let current = db::shifts::core_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if current.cancelled || current.at.ends_at <= now {
        return Err(AppError::code(ErrorCode::ShiftClosed));
    }
    check_skill(&mut tx, shift.required_skill.as_deref()).await?;
    let taken = db::shifts::taken_in(&mut tx, id).await?;
    if at != current.at && taken > 0 {
        return Err(AppError::Refused {
            code: ErrorCode::Conflict,
            field: Some("start".into()),
            message: Some(
                "People are signed up: cancel the shift and create a new one to change its times."
                    .into(),
            ),
        });
    }
    if shift.capacity < taken {
        return Err(AppError::Refused {
            code: ErrorCode::Conflict,
            field: Some("capacity".into()),
            message: Some("More people are signed up than this capacity.".into()),
        });
    }
    db::shifts::update(&mut tx, id, &shift, at, now).await?;
    let promoted = ops::shifts::promote(&mut tx, id, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "shift.update")
            .target("shift", id)
            .detail(serde_json::json!({ "promoted": promoted })),
        now,
    )
    .await?;
    tx.commit().await?;
    db::shifts::find(&state.db, id, None, clock)
        .await?
        .map(Json)
        .ok_or_else(AppError::not_found)
}

/// Cancel a shift: everyone on it and its waitlist is told.
#[utoipa::path(post, path = "/api/shifts/{id}/cancel", tag = "shifts",
    params(("id" = i64, Path, description = "Shift id")),
    responses(
        (status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn cancel_shift(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let shift = db::shifts::core_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !db::shifts::cancel(&mut tx, id, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    let people = db::shifts::live_signups_of_shift(&mut tx, id).await?;
    for (signup_id, volunteer_id, status) in &people {
        if let Some(from) = SignupStatus::parse(status) {
            db::shifts::change_signup(&mut tx, *signup_id, from, SignupStatus::Cancelled, now)
                .await?;
            notifications::notify(
                &mut tx,
                *volunteer_id,
                &Message::ShiftCancelled(shift_notice(&shift, &state).await?),
                Some("/volunteer"),
                now,
            )
            .await?;
        }
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "shift.cancel")
            .target("shift", id)
            .detail(serde_json::json!({ "signups": people.len() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn shift_notice(shift: &ShiftCore, state: &AppState) -> AppResult<ShiftNotice> {
    let clock = state.clock.community();
    Ok(shift.notice(clock))
}

/// Take a seat on a shift (or, when full and asked for, a place on its waitlist). The
/// eligibility, rotation and capacity checks run inside one write transaction on the single
/// writer, so simultaneous sign-ups can never exceed the capacity.
#[utoipa::path(post, path = "/api/shifts/{id}/signup", tag = "shifts", request_body = SignupRequest,
    params(("id" = i64, Path, description = "Shift id")),
    responses(
        (status = 201, body = MySignup),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not approved, or a required skill or training is missing", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Full, closed, already on it, overlap, weekly hours or rest", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn sign_up(
    State(state): State<AppState>,
    deployment: Option<Extension<Arc<Deployment>>>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(request): Json<SignupRequest>,
) -> AppResult<(StatusCode, Json<MySignup>)> {
    let now = state.clock.now();
    if user.role() != shouwang_api::auth::Role::Volunteer {
        return Err(AppError::forbidden());
    }
    let deployment = deployment.map(|Extension(d)| d);
    let elsewhere =
        ops::pool::local_seats_elsewhere(deployment.as_ref(), &state, user.id(), id).await?;
    let mut tx = state.db.begin().await?;
    let (signup_id, _) = ops::shifts::take_seat(
        &mut tx,
        id,
        user.id(),
        request.join_waitlist,
        &elsewhere.seats,
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "shift.signup")
            .target("shift", id)
            .detail(serde_json::json!({ "signup": signup_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(my_signup(&state, id, user.id()).await?),
    ))
}

/// Staff put a volunteer on a shift, with the same checks as a volunteer's own sign-up.
#[utoipa::path(post, path = "/api/shifts/{id}/signups", tag = "shifts", request_body = AssignRequest,
    params(("id" = i64, Path, description = "Shift id")),
    responses(
        (status = 201, body = MySignup), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn assign(
    State(state): State<AppState>,
    deployment: Option<Extension<Arc<Deployment>>>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(request): Json<AssignRequest>,
) -> AppResult<(StatusCode, Json<MySignup>)> {
    let now = state.clock.now();
    let deployment = deployment.map(|Extension(d)| d);
    let elsewhere =
        ops::pool::local_seats_elsewhere(deployment.as_ref(), &state, request.volunteer_id, id)
            .await?;
    let mut tx = state.db.begin().await?;
    if db::volunteers::status_in(&mut tx, request.volunteer_id)
        .await?
        .is_none()
    {
        return Err(AppError::with_field(
            ErrorCode::NotFound,
            "volunteer_id",
            "No such volunteer.",
        ));
    }
    let (signup_id, _) = ops::shifts::take_seat(
        &mut tx,
        id,
        request.volunteer_id,
        request.join_waitlist,
        &elsewhere.seats,
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "shift.assign")
            .target("shift", id)
            .detail(serde_json::json!({ "signup": signup_id, "volunteer": request.volunteer_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(my_signup(&state, id, request.volunteer_id).await?),
    ))
}

/// Leave a shift or its waitlist (before it starts). The first in line moves up and is told.
#[utoipa::path(delete, path = "/api/shifts/{id}/signup", tag = "shifts",
    params(("id" = i64, Path, description = "Shift id")),
    responses(
        (status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn cancel_signup(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let signup_id = db::shifts::live_signup_id(&mut tx, id, user.id())
        .await?
        .ok_or_else(AppError::not_found)?;
    let shift = db::shifts::core_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if shift.at.starts_at <= now {
        return Err(Refusal::Closed.into());
    }
    if !ops::shifts::release_seat(&mut tx, signup_id, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "shift.signup_cancel")
            .target("shift", id)
            .detail(serde_json::json!({ "signup": signup_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Check in at the post: the volunteer themselves, or staff for them.
#[utoipa::path(post, path = "/api/shifts/signups/{id}/check-in", tag = "shifts",
    params(("id" = i64, Path, description = "Sign-up id")),
    responses(
        (status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn check_in(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    attendance(&state, &user, id, SignupAction::CheckIn).await
}

/// Check out at the end of the shift: the volunteer themselves, or staff for them.
#[utoipa::path(post, path = "/api/shifts/signups/{id}/check-out", tag = "shifts",
    params(("id" = i64, Path, description = "Sign-up id")),
    responses(
        (status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn check_out(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    attendance(&state, &user, id, SignupAction::CheckOut).await
}

/// Staff mark a volunteer who did not come (once the shift has started).
#[utoipa::path(post, path = "/api/shifts/signups/{id}/no-show", tag = "shifts",
    params(("id" = i64, Path, description = "Sign-up id")),
    responses(
        (status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn no_show(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    attendance(&state, &staff, id, SignupAction::NoShow).await
}

async fn attendance(
    state: &AppState,
    user: &CurrentUser,
    signup_id: i64,
    action: SignupAction,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let signup = db::shifts::signup_in(&mut tx, signup_id)
        .await?
        .filter(|s| user.role().is_staff() || s.volunteer_id == user.id())
        .ok_or_else(AppError::not_found)?;
    let shift = db::shifts::core_in(&mut tx, signup.shift_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let next = signup
        .status
        .after(action)
        .ok_or_else(|| AppError::code(ErrorCode::IllegalTransition))?;
    let window_ok = match action {
        SignupAction::CheckIn => rules::check_in_open(now, shift.at),
        SignupAction::NoShow => rules::no_show_allowed(now, shift.at),
        _ => true,
    };
    if shift.cancelled || !window_ok {
        return Err(AppError::code(ErrorCode::CheckInWindow));
    }
    if !db::shifts::change_signup(&mut tx, signup_id, signup.status, next, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), &format!("shift.{}", next.as_str()))
            .target("shift", signup.shift_id)
            .detail(serde_json::json!({ "signup": signup_id, "volunteer": signup.volunteer_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in volunteer's sign-ups: upcoming (default) or past.
#[utoipa::path(get, path = "/api/shifts/mine", tag = "shifts", params(MySignupsQuery),
    responses((status = 200, body = Page<MySignup>), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_signups(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<MySignupsQuery>,
) -> AppResult<Json<Page<MySignup>>> {
    let clock = state.clock.community();
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (items, total) = db::shifts::my_signups(
        &state.db,
        user.id(),
        query.past,
        state.clock.now(),
        clock,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    Ok(Json(Page::new(items, paging, total)))
}

async fn my_signup(state: &AppState, shift_id: i64, volunteer_id: i64) -> AppResult<MySignup> {
    let clock = state.clock.community();
    let shift = db::shifts::find(&state.db, shift_id, Some(volunteer_id), clock)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mine = shift.my_signup.ok_or_else(AppError::not_found)?;
    Ok(MySignup {
        id: mine.id,
        status: mine.status,
        checked_in_at: None,
        checked_out_at: None,
        shift,
    })
}

/// A day's roster: every shift starting that local day, who signed up, who checked in,
/// and the seats still open. Phones masked.
#[utoipa::path(get, path = "/api/shifts/roster", tag = "shifts", params(RosterQuery),
    responses((status = 200, body = Roster), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn roster(
    State(state): State<AppState>,
    _staff: RequireStaff,
    Query(query): Query<RosterQuery>,
) -> AppResult<Json<Roster>> {
    let settings = db::shifts::settings(state.db.reader()).await?;
    let clock = state.clock.community();
    let day = query.day.unwrap_or_else(|| state.clock.today());
    let (from, to) = clock.day_bounds(day);
    let shifts = db::shifts::starting_between(&state.db, from, to, clock).await?;
    let people = db::shifts::roster_people(&state.db, from, to).await?;
    let shifts = shifts
        .into_iter()
        .map(|shift| {
            let mine: Vec<_> = people
                .iter()
                .filter(|entry| entry.shift_id == shift.id)
                .map(crate::domain::shifts::roster_view)
                .collect();
            let checked_in = u32::try_from(
                mine.iter()
                    .filter(|e| {
                        matches!(e.status, SignupStatus::CheckedIn | SignupStatus::CheckedOut)
                    })
                    .count(),
            )
            .unwrap_or(0);
            RosterShift {
                gap: if shift.cancelled {
                    0
                } else {
                    shift.capacity.saturating_sub(shift.taken)
                },
                checked_in,
                people: mine,
                shift,
            }
        })
        .collect();
    Ok(Json(Roster {
        day,
        time_zone: settings.time_zone,
        shifts,
    }))
}
