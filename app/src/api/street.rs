use super::{ApiError, get, post, post_action};
use shouwang_api::Page;
use shouwang_api::notices::{PreviewRequest, PreviewResponse};
use shouwang_api::street::StreetDashboard;
use shouwang_api::street_notices::{StreetBoards, StreetNoticeRequest, StreetNoticeSummary};

/// A street's figures, community by community (street staff of that street).
pub async fn dashboard(street_id: i64) -> Result<StreetDashboard, ApiError> {
    get(&format!("/api/deployment/streets/{street_id}/dashboard")).await
}

/// Where the report upward downloads, as a workbook or as CSV.
pub fn report_href(street_id: i64, extension: &str) -> String {
    format!("/api/deployment/streets/{street_id}/report.{extension}")
}

/// Street staff publish a notice to some or all of their street's boards.
pub async fn publish(request: &StreetNoticeRequest) -> Result<StreetNoticeSummary, ApiError> {
    request.validate()?;
    post("/api/deployment/notices", request).await
}

/// The street's notice editor's preview: the body rendered as publishing will.
pub async fn preview(body: String) -> Result<PreviewResponse, ApiError> {
    post("/api/deployment/notices/preview", &PreviewRequest { body }).await
}

/// What the street sent, newest first.
pub async fn sent(page: u32) -> Result<Page<StreetNoticeSummary>, ApiError> {
    get(&format!("/api/deployment/notices?page={page}")).await
}

/// Withdraws a street notice from every board it went to.
pub async fn withdraw(id: i64) -> Result<StreetNoticeSummary, ApiError> {
    post_action(&format!("/api/deployment/notices/{id}/withdraw")).await
}

/// Every board of the street, their latest notices together.
pub async fn boards(page: u32) -> Result<StreetBoards, ApiError> {
    get(&format!("/api/deployment/boards?page={page}")).await
}
