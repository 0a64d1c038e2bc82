use crate::auth::RequireAdmin;
use crate::db;
use crate::error::AppResult;
use crate::extract::{Json, Query};
use crate::state::AppState;
use axum::extract::State;
use shouwang_api::audit::AuditEntry;
use shouwang_api::{ErrorBody, Page, PageQuery};

/// The audit trail, newest first.
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(PageQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_audit(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<AuditEntry>>> {
    let (items, total) = db::audit::list(&state.db, paging.per_page(), paging.offset()).await?;
    Ok(Json(Page::new(items, paging, total)))
}
