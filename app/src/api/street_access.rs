use super::{ApiError, get, post, post_action};
use shouwang_api::health::Flag;
use shouwang_api::street_access::{
    NewGrantRequest, StreetFollowUpList, StreetGrant, StreetPersonRecord,
};

/// The community's grants to its street (the community's admin).
pub async fn grants() -> Result<Vec<StreetGrant>, ApiError> {
    get("/api/street-grants").await
}

pub async fn grant(request: &NewGrantRequest) -> Result<StreetGrant, ApiError> {
    request.validate()?;
    post("/api/street-grants", request).await
}

pub async fn revoke(id: i64) -> Result<StreetGrant, ApiError> {
    post_action(&format!("/api/street-grants/{id}/revoke")).await
}

/// A community's health follow-up list, as its street's staff read it under a grant.
pub async fn follow_up_list(
    community_id: i64,
    flag: Option<Flag>,
    page: u32,
) -> Result<StreetFollowUpList, ApiError> {
    let flag = flag
        .map(|f| format!("&flag={}", f.as_str()))
        .unwrap_or_default();
    get(&format!(
        "/api/deployment/communities/{community_id}/health-follow-up?page={page}{flag}"
    ))
    .await
}

pub async fn person(community_id: i64, member_id: i64) -> Result<StreetPersonRecord, ApiError> {
    get(&format!(
        "/api/deployment/communities/{community_id}/health-follow-up/{member_id}"
    ))
    .await
}
