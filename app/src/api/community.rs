use super::{ApiError, get};
use shouwang_api::community::{CommunityCalendar, Structure};

pub async fn structure() -> Result<Structure, ApiError> {
    get("/api/community/structure").await
}

/// The community's time zone (public): every date the app writes is in it.
pub async fn calendar() -> Result<CommunityCalendar, ApiError> {
    get("/api/community/calendar").await
}
