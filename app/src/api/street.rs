use super::{ApiError, get};
use shouwang_api::street::StreetDashboard;

/// A street's figures, community by community (street staff of that street).
pub async fn dashboard(street_id: i64) -> Result<StreetDashboard, ApiError> {
    get(&format!("/api/deployment/streets/{street_id}/dashboard")).await
}

/// Where the report upward downloads, as a workbook or as CSV.
pub fn report_href(street_id: i64, extension: &str) -> String {
    format!("/api/deployment/streets/{street_id}/report.{extension}")
}
