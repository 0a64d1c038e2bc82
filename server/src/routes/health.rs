use crate::db::sql;
use crate::error::AppResult;
use crate::extract::Json;
use crate::state::AppState;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Health {
    status: &'static str,
}

/// 200 once the database answered a query.
#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, body = Health), (status = 500, body = shouwang_api::ErrorBody)))]
pub async fn health(State(state): State<AppState>) -> AppResult<Json<Health>> {
    let _: i64 = sql::query_scalar("SELECT CAST(1 AS BIGINT)")
        .fetch_one(state.db.reader())
        .await?;
    Ok(Json(Health { status: "ok" }))
}
