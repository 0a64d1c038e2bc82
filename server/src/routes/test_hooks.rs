//! Test-only endpoints, mounted only under the hidden `serve --test-hooks` (never by
//! default, not in the OpenAPI document): tests set the time and run the background jobs
//! instead of sleeping. Without the flag every path here is 404.

use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::ops;
use crate::ops::jobs::{self, Done};
use crate::state::AppState;
use crate::tenancy::Deployment;
use axum::Extension;
use axum::Router;
use axum::extract::State;
use axum::routing::post;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use shouwang_api::{ErrorCode, FieldError};
use std::sync::Arc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/test/clock", post(set_clock))
        .route("/api/test/run-due", post(run_due))
}

/// Either `now` (an RFC 3339 instant) or `advance_seconds` (may be negative).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockInput {
    pub now: Option<DateTime<Utc>>,
    pub advance_seconds: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct ClockNow {
    pub now: DateTime<Utc>,
}

async fn set_clock(
    State(state): State<AppState>,
    Json(input): Json<ClockInput>,
) -> AppResult<axum::Json<ClockNow>> {
    let at = match (input.now, input.advance_seconds) {
        (Some(at), None) => at,
        (None, Some(seconds)) => Duration::try_seconds(seconds)
            .and_then(|by| state.clock.now().checked_add_signed(by))
            .ok_or_else(|| {
                AppError::from(FieldError::new("advance_seconds", ErrorCode::InvalidValue))
            })?,
        _ => return Err(FieldError::new("now", ErrorCode::InvalidValue).into()),
    };
    state.clock.set(at);
    Ok(axum::Json(ClockNow { now: at }))
}

/// The community's jobs, and (in a deployment) the street's figures of it, as the keeper
/// would take them (`ops::deployment::keep_figures_fresh`, which does not run here).
async fn run_due(
    State(state): State<AppState>,
    deployment: Option<Extension<Arc<Deployment>>>,
) -> AppResult<axum::Json<Done>> {
    let done = jobs::run_due(&state, state.clock.now()).await;
    if let Some(Extension(deployment)) = deployment
        && let Some(tenant) = deployment
            .by_id(state.community.id)
            .await
            .map_err(|e| AppError::Internal(e.into()))?
    {
        ops::deployment::refresh_figures_of(&deployment, &tenant).await?;
    }
    Ok(axum::Json(done))
}
