//! Caring for the workers (关心关爱): the staff's duty roster (值班表) and its rest rules,
//! duty hours for the subsidy, and the private wellbeing check (身心自评).

use crate::auth::{CurrentUser, RequireAdmin, RequireStaff};
use crate::db::audit;
use crate::domain::export;
use crate::domain::workers as rules;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use crate::web::download::attachment;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shouwang_api::auth::Role;
use shouwang_api::volunteers::HoursQuery;
use shouwang_api::workers::{
    Duty, DutyHoursRow, DutyInput, DutyRoster, DutyRosterQuery, DutyRules, WellbeingAnswers,
    WellbeingResult, WellbeingSummary,
};
use shouwang_api::{ErrorBody, Page, PageQuery};

/// The roster of some local days (a week from today by default), each duty with the rest
/// rules it goes past, and who can be put on duty. Staff see the whole team's roster.
#[utoipa::path(get, path = "/api/duties", tag = "workers", params(DutyRosterQuery),
    responses((status = 200, body = DutyRoster), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn roster(
    State(state): State<AppState>,
    RequireStaff(_staff): RequireStaff,
    Query(query): Query<DutyRosterQuery>,
) -> AppResult<Json<DutyRoster>> {
    let (from, to) = query.days(state.clock.today())?;
    Ok(Json(
        ops::workers::roster(&state, from, to, query.worker_id).await?,
    ))
}

/// Puts a duty on the roster (admins). Past a rest rule the duty is still added and
/// carries its warnings; at a time the worker already has a duty it is refused.
#[utoipa::path(post, path = "/api/duties", tag = "workers", request_body = DutyInput,
    responses((status = 201, body = Duty), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "The worker already has a duty then (`shift_overlap`)", body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn add_duty(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Json(input): Json<DutyInput>,
) -> AppResult<(StatusCode, Json<Duty>)> {
    let duty = input.validate()?;
    let now = state.clock.now();
    Ok((
        StatusCode::CREATED,
        Json(ops::workers::add_duty(&state, &admin, &duty, now).await?),
    ))
}

/// Takes a duty off the roster (admins).
#[utoipa::path(delete, path = "/api/duties/{id}", tag = "workers",
    params(("id" = i64, Path, description = "Duty id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn remove_duty(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    ops::workers::remove_duty(&state, &admin, id, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Duty hours per worker in a period, for the subsidy (补贴); with `format` a CSV or
/// `.xlsx` download, which is audited. Admins only.
#[utoipa::path(get, path = "/api/duties/hours", tag = "workers", params(HoursQuery),
    responses(
        (status = 200, description = "JSON, or a file when `format` is given",
            content((Page<DutyHoursRow> = "application/json"), (String = "text/csv"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn hours(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Query(query): Query<HoursQuery>,
) -> AppResult<Response> {
    let (from, to) = query.period(state.clock.today())?;
    let rows = ops::workers::hours(&state, from, to).await?;
    let Some(format) = query.format else {
        let paging = PageQuery {
            page: query.page,
            per_page: query.per_page,
        };
        let total = rows.len() as u64;
        let items = rows
            .into_iter()
            .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
            .take(paging.per_page() as usize)
            .collect();
        return Ok(Json(Page::new(items, paging, total)).into_response());
    };
    let table = rules::hours_table(&rows, from, to);
    let download = export::render(&table, format, &format!("值班时长_{from}_{to}"))?;
    audit::record_alone(
        &state.db,
        audit::Entry::new(Some(admin.id()), "duty.hours_export").detail(serde_json::json!({
            "rows": rows.len(), "format": format, "from": from, "to": to,
        })),
        state.clock.now(),
    )
    .await?;
    Ok(attachment(download))
}

/// Changes the staff's rest rules (admins); the roster's warnings follow at once.
#[utoipa::path(put, path = "/api/duties/rules", tag = "workers", request_body = DutyRules,
    responses((status = 200, body = DutyRules), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn set_rules(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Json(input): Json<DutyRules>,
) -> AppResult<Json<DutyRules>> {
    let valid = input.validate()?;
    let now = state.clock.now();
    Ok(Json(
        ops::workers::set_rules(&state, &admin, &valid, now).await?,
    ))
}

/// Staff, admins and volunteers take the check; residents are not asked.
fn worker(user: CurrentUser) -> AppResult<CurrentUser> {
    if user.role() == Role::Resident {
        return Err(AppError::forbidden());
    }
    Ok(user)
}

/// The caller's own wellbeing check (PHQ-4): their result comes back to them alone.
#[utoipa::path(post, path = "/api/wellbeing", tag = "workers", request_body = WellbeingAnswers,
    responses((status = 201, body = WellbeingResult), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn take_check(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(answers): Json<WellbeingAnswers>,
) -> AppResult<(StatusCode, Json<WellbeingResult>)> {
    let user = worker(user)?;
    let now = state.clock.now();
    Ok((
        StatusCode::CREATED,
        Json(ops::workers::take_check(&state, &user, &answers, now).await?),
    ))
}

/// The caller's own checks, newest first. No one else can read them.
#[utoipa::path(get, path = "/api/wellbeing/mine", tag = "workers", params(PageQuery),
    responses((status = 200, body = Page<WellbeingResult>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn own_checks(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<WellbeingResult>>> {
    let user = worker(user)?;
    Ok(Json(ops::workers::own_checks(&state, &user, paging).await?))
}

/// Erases every check of the caller.
#[utoipa::path(delete, path = "/api/wellbeing/mine", tag = "workers",
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn erase_own(State(state): State<AppState>, user: CurrentUser) -> AppResult<StatusCode> {
    let user = worker(user)?;
    ops::workers::erase_own(&state, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Counts of workers per band (each one's latest check in 30 days), withheld when fewer
/// than five took it. Never a person's answers. Admins only.
#[utoipa::path(get, path = "/api/wellbeing/summary", tag = "workers",
    responses((status = 200, body = WellbeingSummary), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn summary(
    State(state): State<AppState>,
    RequireAdmin(_admin): RequireAdmin,
) -> AppResult<Json<WellbeingSummary>> {
    Ok(Json(
        ops::workers::summary(&state, state.clock.now()).await?,
    ))
}
