//! Who is calling at the deployment's level: `RequireOperator` (any operator),
//! `RequireDeploymentAdmin`. Operators are not accounts of any community; their sessions
//! live in the catalog and their cookie is their own.

use super::cookies;
use crate::error::AppError;
use crate::ops::deployment;
use crate::state::AppState;
use crate::tenancy::Deployment;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use shouwang_api::deployment::{OperatorRole, OperatorSummary};
use std::sync::Arc;

/// The deployment the request reached, put in the root's extensions by `app::community_router`.
pub fn deployment_of(parts: &Parts) -> Result<Arc<Deployment>, AppError> {
    parts
        .extensions
        .get::<Arc<Deployment>>()
        .cloned()
        .ok_or_else(AppError::not_found)
}

/// A signed-in operator. 401 without a live operator session.
#[derive(Debug, Clone)]
pub struct RequireOperator(pub OperatorSummary);

impl FromRequestParts<AppState> for RequireOperator {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(found) = parts.extensions.get::<RequireOperator>() {
            return Ok(found.clone());
        }
        let deployment = deployment_of(parts)?;
        let Some(token) = cookies::operator_token(&parts.headers) else {
            return Err(AppError::unauthenticated());
        };
        let operator = deployment::session(deployment.catalog(), &token, state.clock.now())
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        let found = RequireOperator(operator);
        parts.extensions.insert(found.clone());
        Ok(found)
    }
}

/// A deployment admin: 401 when signed out, 403 for street staff.
#[derive(Debug, Clone)]
pub struct RequireDeploymentAdmin(pub OperatorSummary);

impl FromRequestParts<AppState> for RequireDeploymentAdmin {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let RequireOperator(operator) = RequireOperator::from_request_parts(parts, state).await?;
        if operator.role == OperatorRole::DeploymentAdmin {
            Ok(RequireDeploymentAdmin(operator))
        } else {
            tracing::warn!(
                operator_id = operator.id,
                path = parts.uri.path(),
                "forbidden"
            );
            Err(AppError::forbidden())
        }
    }
}

/// Street staff, with the one street they work for: 401 when signed out, 403 for
/// deployment admins (they run the platform; what a street tells its residents is the
/// street's to sign).
#[derive(Debug, Clone)]
pub struct RequireStreetStaff {
    pub operator: OperatorSummary,
    pub street_id: i64,
}

impl FromRequestParts<AppState> for RequireStreetStaff {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let RequireOperator(operator) = RequireOperator::from_request_parts(parts, state).await?;
        match (operator.role, operator.street_id) {
            (OperatorRole::StreetStaff, Some(street_id)) => Ok(RequireStreetStaff {
                operator,
                street_id,
            }),
            _ => {
                tracing::warn!(
                    operator_id = operator.id,
                    path = parts.uri.path(),
                    "forbidden"
                );
                Err(AppError::forbidden())
            }
        }
    }
}
