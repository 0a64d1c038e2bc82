use super::{ApiError, get};
use shouwang_api::Page;
use shouwang_api::audit::AuditEntry;

pub async fn list(page: u32) -> Result<Page<AuditEntry>, ApiError> {
    get(&format!("/api/audit?page={page}&per_page=50")).await
}
