//! `/api/pool/…`: the street's volunteer pool, for a volunteer at their own community's
//! address (see `ops::pool`). Staff open a shift to the pool through the shift itself
//! (`open_to_street`), and see visiting volunteers in their roster.

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use crate::tenancy::Deployment;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use shouwang_api::ErrorBody;
use shouwang_api::auth::Role;
use shouwang_api::pool::{LeftPool, PoolHours, PoolShift, PoolSignup, PoolStatus};
use shouwang_api::shifts::SignupRequest;
use shouwang_api::volunteers::HoursQuery;
use std::sync::Arc;

/// Only volunteers have a place in the pool.
fn volunteer(user: &CurrentUser) -> AppResult<i64> {
    if user.role() == Role::Volunteer {
        Ok(user.id())
    } else {
        Err(AppError::forbidden())
    }
}

/// Whether the signed-in volunteer serves the street's pool, and the street's other
/// communities.
#[utoipa::path(get, path = "/api/pool", tag = "pool",
    responses(
        (status = 200, body = PoolStatus), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn status(
    State(state): State<AppState>,
    Extension(deployment): Extension<Arc<Deployment>>,
    user: CurrentUser,
) -> AppResult<Json<PoolStatus>> {
    let id = volunteer(&user)?;
    Ok(Json(ops::pool::status(&deployment, &state, id).await?))
}

/// An approved volunteer joins the street's pool (跨社区支援).
#[utoipa::path(post, path = "/api/pool/join", tag = "pool",
    responses(
        (status = 200, body = PoolStatus), (status = 401, body = ErrorBody),
        (status = 403, description = "Not a volunteer, or not approved", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Already in the pool", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn join(
    State(state): State<AppState>,
    Extension(deployment): Extension<Arc<Deployment>>,
    user: CurrentUser,
) -> AppResult<Json<PoolStatus>> {
    let id = volunteer(&user)?;
    let now = state.clock.now();
    Ok(Json(ops::pool::join(&deployment, &state, id, now).await?))
}

/// Leave the pool: seats already taken on other communities' shifts are kept (the answer
/// counts them), places on their waitlists are withdrawn.
#[utoipa::path(post, path = "/api/pool/leave", tag = "pool",
    responses(
        (status = 200, body = LeftPool), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Not in the pool", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn leave(
    State(state): State<AppState>,
    Extension(deployment): Extension<Arc<Deployment>>,
    user: CurrentUser,
) -> AppResult<Json<LeftPool>> {
    let id = volunteer(&user)?;
    let now = state.clock.now();
    Ok(Json(ops::pool::leave(&deployment, &state, id, now).await?))
}

/// The coming shifts the street's other communities open to the pool, that the volunteer
/// qualifies for, soonest first (at most 100).
#[utoipa::path(get, path = "/api/pool/shifts", tag = "pool",
    responses(
        (status = 200, body = Vec<PoolShift>), (status = 401, body = ErrorBody),
        (status = 403, description = "Not approved, or not in the pool", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn shifts(
    State(state): State<AppState>,
    Extension(deployment): Extension<Arc<Deployment>>,
    user: CurrentUser,
) -> AppResult<Json<Vec<PoolShift>>> {
    let id = volunteer(&user)?;
    let now = state.clock.now();
    Ok(Json(ops::pool::shifts(&deployment, &state, id, now).await?))
}

/// Take a seat on another community's open shift (or its waitlist), with the same checks
/// as a local sign-up. The host community receives the name, phone, skills and trainings;
/// both communities audit it.
#[utoipa::path(post, path = "/api/pool/shifts/{community}/{id}/signup", tag = "pool",
    request_body = SignupRequest,
    params(
        ("community" = String, Path, description = "The host community's slug"),
        ("id" = i64, Path, description = "Shift id in that community"),
    ),
    responses(
        (status = 201, body = PoolSignup), (status = 401, body = ErrorBody),
        (status = 403, description = "Not approved, not in the pool, or a required skill or training is missing", body = ErrorBody),
        (status = 404, description = "No such community of the street, or no such open shift", body = ErrorBody),
        (status = 409, description = "Full, closed, already on it, overlap, weekly hours, rest, or a volunteer of that community", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn sign_up(
    State(state): State<AppState>,
    Extension(deployment): Extension<Arc<Deployment>>,
    user: CurrentUser,
    Path((community, shift)): Path<(String, i64)>,
    Json(request): Json<SignupRequest>,
) -> AppResult<(StatusCode, Json<PoolSignup>)> {
    let id = volunteer(&user)?;
    let now = state.clock.now();
    let signup = ops::pool::sign_up(
        &deployment,
        &state,
        id,
        &community,
        shift,
        request.join_waitlist,
        now,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(signup)))
}

/// Give up a seat or waitlist place on another community's shift, before it starts.
#[utoipa::path(delete, path = "/api/pool/shifts/{community}/{id}/signup", tag = "pool",
    params(
        ("community" = String, Path, description = "The host community's slug"),
        ("id" = i64, Path, description = "Shift id in that community"),
    ),
    responses(
        (status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    Extension(deployment): Extension<Arc<Deployment>>,
    user: CurrentUser,
    Path((community, shift)): Path<(String, i64)>,
) -> AppResult<StatusCode> {
    let id = volunteer(&user)?;
    let now = state.clock.now();
    ops::pool::cancel(&deployment, &state, id, &community, shift, now).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The volunteer's sign-ups on other communities' shifts that have not ended.
#[utoipa::path(get, path = "/api/pool/signups", tag = "pool",
    responses(
        (status = 200, body = Vec<PoolSignup>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn my_signups(
    State(state): State<AppState>,
    Extension(deployment): Extension<Arc<Deployment>>,
    user: CurrentUser,
) -> AppResult<Json<Vec<PoolSignup>>> {
    let id = volunteer(&user)?;
    let now = state.clock.now();
    Ok(Json(
        ops::pool::my_signups(&deployment, &state, id, now).await?,
    ))
}

/// The volunteer's completed hours in a period, by community (their own, then those they
/// served through the pool).
#[utoipa::path(get, path = "/api/pool/hours", tag = "pool", params(HoursQuery),
    responses(
        (status = 200, body = PoolHours), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn hours(
    State(state): State<AppState>,
    Extension(deployment): Extension<Arc<Deployment>>,
    user: CurrentUser,
    Query(query): Query<HoursQuery>,
) -> AppResult<Json<PoolHours>> {
    let id = volunteer(&user)?;
    let (from, to) = query.period(state.clock.today())?;
    Ok(Json(
        ops::pool::hours(&deployment, &state, id, from, to).await?,
    ))
}
