use crate::auth::{MaybeUser, RequireStaff};
use crate::db::{self, audit};
use crate::domain::{markdown, notices as rules};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use shouwang_api::notices::{
    Notice, NoticeAction, NoticeInput, NoticeListQuery, NoticeStatusFilter, NoticeSummary,
    PreviewRequest, PreviewResponse,
};
use shouwang_api::text::required_text;
use shouwang_api::{ErrorBody, ErrorCode, Page};

/// The public board (published, unexpired; pinned first, then newest). Staff may ask
/// for drafts, withdrawn, expired or all notices with `status`.
#[utoipa::path(get, path = "/api/notices", tag = "notices", params(NoticeListQuery),
    responses(
        (status = 200, body = Page<NoticeSummary>),
        (status = 400, body = ErrorBody),
        (status = 401, description = "A status other than published, asked without signing in", body = ErrorBody),
        (status = 403, description = "A status other than published, asked by a non-staff caller", body = ErrorBody),
    ))]
pub async fn list_notices(
    State(state): State<AppState>,
    viewer: MaybeUser,
    Query(query): Query<NoticeListQuery>,
) -> AppResult<Response> {
    let filter = query.status.unwrap_or_default();
    if !rules::list_open_to(filter, viewer.is_staff()) {
        return Err(if viewer.0.is_some() {
            AppError::forbidden()
        } else {
            AppError::unauthenticated()
        });
    }
    let paging = query.paging();
    let public = filter == NoticeStatusFilter::Published;
    let key = (query.category, paging.per_page(), paging.offset());
    if public && let Some(body) = state.board_cache.get(&key) {
        return Ok(json_bytes(body));
    }
    let generation = state.board_cache.generation();
    let (items, total) = db::notices::list(
        &state.db,
        filter,
        query.category,
        state.clock.now(),
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    let body = Bytes::from(
        serde_json::to_vec(&Page::new(items, paging, total)).map_err(anyhow::Error::from)?,
    );
    if public {
        state.board_cache.store(key, generation, body.clone());
    }
    Ok(json_bytes(body))
}

fn json_bytes(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Write a new notice; it starts as a draft.
#[utoipa::path(post, path = "/api/notices", tag = "notices", request_body = NoticeInput,
    responses(
        (status = 201, body = Notice),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn create_notice(
    State(state): State<AppState>,
    RequireStaff(author): RequireStaff,
    Json(input): Json<NoticeInput>,
) -> AppResult<(StatusCode, Json<Notice>)> {
    let notice = input.validate()?;
    let created = ops::notices::create(&state, author.id(), &notice, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A published notice, to anyone; drafts and withdrawn notices to staff only (404 otherwise).
#[utoipa::path(get, path = "/api/notices/{id}", tag = "notices",
    params(("id" = i64, Path, description = "Notice id")),
    responses((status = 200, body = Notice), (status = 404, body = ErrorBody)))]
pub async fn get_notice(
    State(state): State<AppState>,
    viewer: MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Notice>> {
    let mut notice = load(&state, id).await?;
    if !rules::readable_by(&notice, viewer.is_staff()) {
        return Err(AppError::not_found());
    }
    if !viewer.is_staff() {
        notice.author_name = None;
    }
    Ok(Json(notice))
}

/// Edit a notice, whatever its status.
#[utoipa::path(put, path = "/api/notices/{id}", tag = "notices", request_body = NoticeInput,
    params(("id" = i64, Path, description = "Notice id")),
    responses(
        (status = 200, body = Notice),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn update_notice(
    State(state): State<AppState>,
    RequireStaff(editor): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<NoticeInput>,
) -> AppResult<Json<Notice>> {
    let notice = input.validate()?;
    let updated = ops::notices::update(&state, editor.id(), id, &notice, state.clock.now()).await?;
    Ok(Json(updated))
}

/// Publish a draft (or re-publish a withdrawn notice).
#[utoipa::path(post, path = "/api/notices/{id}/publish", tag = "notices",
    params(("id" = i64, Path, description = "Notice id")),
    responses(
        (status = 200, body = Notice),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Already published", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn publish_notice(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<Notice>> {
    transition(
        &state,
        staff.id(),
        id,
        NoticeAction::Publish,
        "notice.publish",
    )
    .await
}

/// Take a published notice off the board.
#[utoipa::path(post, path = "/api/notices/{id}/withdraw", tag = "notices",
    params(("id" = i64, Path, description = "Notice id")),
    responses(
        (status = 200, body = Notice),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not published", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn withdraw_notice(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<Notice>> {
    transition(
        &state,
        staff.id(),
        id,
        NoticeAction::Withdraw,
        "notice.withdraw",
    )
    .await
}

async fn transition(
    state: &AppState,
    actor: i64,
    id: i64,
    action: NoticeAction,
    audit_action: &str,
) -> AppResult<Json<Notice>> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let current = db::notices::status_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if db::notices::is_from_street(&mut tx, id).await? {
        return Err(ops::notices::street_notice_is_read_only());
    }
    let next = current
        .after(action)
        .ok_or_else(|| AppError::code(ErrorCode::IllegalTransition))?;
    if !db::notices::change_status(&mut tx, id, current, next, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(actor), audit_action)
            .target("notice", id)
            .detail(serde_json::json!({ "from": current, "to": next })),
        now,
    )
    .await?;
    tx.commit().await?;
    state.board_cache.invalidate();
    Ok(Json(load(state, id).await?))
}

/// Render Markdown exactly as saving would, for the editor's preview.
#[utoipa::path(post, path = "/api/notices/preview", tag = "notices", request_body = PreviewRequest,
    responses((status = 200, body = PreviewResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn preview_notice(
    _staff: RequireStaff,
    Json(request): Json<PreviewRequest>,
) -> AppResult<Json<PreviewResponse>> {
    render_preview(&request).map(Json)
}

/// A notice's body rendered as publishing renders it: the community's editor and the
/// street's (`routes::deployment::preview_street_notice`) preview through this.
pub fn render_preview(request: &PreviewRequest) -> AppResult<PreviewResponse> {
    let body = required_text("body", &request.body, shouwang_api::notices::BODY_MAX)?;
    Ok(PreviewResponse {
        html: markdown::render(&body),
    })
}

async fn load(state: &AppState, id: i64) -> AppResult<Notice> {
    db::notices::find(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)
}
