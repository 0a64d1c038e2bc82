use super::{ApiError, get, post, put};
use shouwang_api::Page;
use shouwang_api::zones::{BuildingZone, MyZone, ZoneInput, ZoneNoticePreview, ZonePeriod};

pub async fn mine() -> Result<MyZone, ApiError> {
    get("/api/zones/mine").await
}

pub async fn buildings(page: u32) -> Result<Page<BuildingZone>, ApiError> {
    get(&format!("/api/zones/buildings?page={page}")).await
}

pub async fn set(building_id: i64, input: &ZoneInput) -> Result<Vec<ZonePeriod>, ApiError> {
    input.validate(crate::clock::now())?;
    input.check_public_text(&[])?;
    put(&format!("/api/zones/buildings/{building_id}"), input).await
}

/// The notice the public would read, and what in it may identify a household.
pub async fn preview(building_id: i64, input: &ZoneInput) -> Result<ZoneNoticePreview, ApiError> {
    input.validate(crate::clock::now())?;
    post(
        &format!("/api/zones/buildings/{building_id}/preview"),
        input,
    )
    .await
}

pub async fn history(building_id: i64) -> Result<Vec<ZonePeriod>, ApiError> {
    get(&format!("/api/zones/buildings/{building_id}/history")).await
}

/// The sealed buildings of the caller's grids, for sealed-building runs.
pub async fn sealed_buildings() -> Result<Page<BuildingZone>, ApiError> {
    get("/api/zones/buildings?zone=sealed&per_page=100").await
}
