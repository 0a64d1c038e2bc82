use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shouwang_api::notifications::{Notification, UnreadCount};
use shouwang_api::{ErrorBody, Page, PageQuery};

/// The signed-in account's notifications, newest first.
#[utoipa::path(get, path = "/api/notifications", tag = "notifications", params(PageQuery),
    responses((status = 200, body = Page<Notification>), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<Notification>>> {
    let (items, total) =
        db::notifications::list(&state.db, user.id(), paging.per_page(), paging.offset()).await?;
    Ok(Json(Page::new(items, paging, total)))
}

/// How many are unread, for the badge in the menu.
#[utoipa::path(get, path = "/api/notifications/unread", tag = "notifications",
    responses((status = 200, body = UnreadCount), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
pub async fn unread_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<UnreadCount>> {
    Ok(Json(UnreadCount {
        unread: db::notifications::unread_count(&state.db, user.id()).await?,
    }))
}

/// Mark one notification read. Another account's notification is 404.
#[utoipa::path(post, path = "/api/notifications/{id}/read", tag = "notifications",
    params(("id" = i64, Path, description = "Notification id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn read_notification(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    if db::notifications::mark_read(&state.db, user.id(), id, state.clock.now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found())
    }
}

/// Mark every notification read.
#[utoipa::path(post, path = "/api/notifications/read-all", tag = "notifications",
    responses((status = 204), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
pub async fn read_all_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<StatusCode> {
    db::notifications::mark_all_read(&state.db, user.id(), state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
