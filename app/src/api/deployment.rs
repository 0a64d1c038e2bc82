//! The deployment's level: operators, streets, communities. Served at the site's root.

use super::{ApiError, get, post, post_no_content};
use shouwang_api::auth::LoginRequest;
use shouwang_api::deployment::{
    CommunitySummary, NewCommunityRequest, NewStreetRequest, OperatorSummary, StreetSummary,
};

pub async fn directory() -> Result<Vec<StreetSummary>, ApiError> {
    get("/api/deployment/communities").await
}

pub async fn login(request: &LoginRequest) -> Result<OperatorSummary, ApiError> {
    request.validate()?;
    post("/api/deployment/login", request).await
}

pub async fn logout() -> Result<(), ApiError> {
    post_no_content("/api/deployment/logout").await
}

pub async fn me() -> Result<OperatorSummary, ApiError> {
    get("/api/deployment/me").await
}

pub async fn create_street(request: &NewStreetRequest) -> Result<StreetSummary, ApiError> {
    request.validate().map_err(ApiError::from)?;
    post("/api/deployment/streets", request).await
}

pub async fn create_community(request: &NewCommunityRequest) -> Result<CommunitySummary, ApiError> {
    request.validate()?;
    post("/api/deployment/communities", request).await
}
