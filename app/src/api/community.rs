use super::{ApiError, get};
use shouwang_api::community::{CommunityCalendar, Structure};

pub async fn structure() -> Result<Structure, ApiError> {
    get("/api/community/structure").await
}

/// The community's time zone (public): every date the app writes is in it.
pub async fn calendar() -> Result<CommunityCalendar, ApiError> {
    get("/api/community/calendar").await
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
