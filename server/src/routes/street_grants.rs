//! `/api/street-grants`: a community's admin grants the street's staff a list of personal
//! data (授权街道查看), sees the grants, and revokes them. The street's reads under a
//! grant are in `routes/deployment.rs`; every grant, revocation and read is audited here.

use crate::auth::RequireAdmin;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::ops::street_access::{self, StreetAccessError};
use crate::state::AppState;
use crate::tenancy::Deployment;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use shouwang_api::street_access::{NewGrantRequest, StreetGrant};
use shouwang_api::{ErrorBody, ErrorCode};
use std::sync::Arc;

impl From<StreetAccessError> for AppError {
    fn from(e: StreetAccessError) -> Self {
        match e {
            StreetAccessError::Field(field) => AppError::Field(field),
            StreetAccessError::NotFound => AppError::not_found(),
            StreetAccessError::Forbidden => AppError::forbidden(),
            StreetAccessError::NotGranted => AppError::code(ErrorCode::NotGranted),
            StreetAccessError::Tenancy(e) => AppError::Internal(e.into()),
            StreetAccessError::Database(e) => AppError::Database(e),
        }
    }
}

/// The community's grants to its street, newest first: live ones, revoked, expired.
#[utoipa::path(get, path = "/api/street-grants", tag = "street_grants",
    responses((status = 200, body = Vec<StreetGrant>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_grants(
    State(state): State<AppState>,
    _admin: RequireAdmin,
) -> AppResult<Json<Vec<StreetGrant>>> {
    Ok(Json(
        db::street_grants::list(&state.db, state.clock.now()).await?,
    ))
}

/// Grant the street's staff a list for a purpose and 1–14 days. Audited.
#[utoipa::path(post, path = "/api/street-grants", tag = "street_grants",
    request_body = NewGrantRequest,
    responses((status = 201, body = StreetGrant), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn create_grant(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    deployment: Option<Extension<Arc<Deployment>>>,
    Json(request): Json<NewGrantRequest>,
) -> AppResult<(StatusCode, Json<StreetGrant>)> {
    let grant = street_access::grant(&state, admin.id(), &request).await?;
    if let Some(Extension(deployment)) = deployment {
        street_access::show_to_street(&deployment, &state).await;
    }
    Ok((StatusCode::CREATED, Json(grant)))
}

/// End a live grant now. Audited. 404 when it is not live (already revoked or expired).
#[utoipa::path(post, path = "/api/street-grants/{id}/revoke", tag = "street_grants",
    params(("id" = i64, Path, description = "The grant")),
    responses((status = 200, body = StreetGrant), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn revoke_grant(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    deployment: Option<Extension<Arc<Deployment>>>,
    Path(id): Path<i64>,
) -> AppResult<Json<StreetGrant>> {
    let revoked = street_access::revoke(&state, admin.id(), id).await?;
    if let Some(Extension(deployment)) = deployment {
        street_access::show_to_street(&deployment, &state).await;
    }
    Ok(Json(revoked))
}
