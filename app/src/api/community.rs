use super::{ApiError, get};
use shouwang_api::community::Structure;

pub async fn structure() -> Result<Structure, ApiError> {
    get("/api/community/structure").await
}

pub async fn settings() -> Result<shouwang_api::community::CommunitySettings, ApiError> {
    get("/api/community/settings").await
}

pub async fn set_settings(
    input: &shouwang_api::community::CommunitySettings,
) -> Result<shouwang_api::community::CommunitySettings, ApiError> {
    input.validate()?;
    super::put("/api/community/settings", input).await
}
