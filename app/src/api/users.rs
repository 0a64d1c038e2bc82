use super::{ApiError, get, post, post_action};
use shouwang_api::Page;
use shouwang_api::users::{NewUserRequest, UserSummary};

pub async fn list(page: u32) -> Result<Page<UserSummary>, ApiError> {
    get(&format!("/api/users?page={page}&per_page=50")).await
}

pub async fn create(request: &NewUserRequest) -> Result<UserSummary, ApiError> {
    request.validate()?;
    post("/api/users", request).await
}

pub async fn set_disabled(id: i64, disabled: bool) -> Result<UserSummary, ApiError> {
    let action = if disabled { "disable" } else { "enable" };
    post_action(&format!("/api/users/{id}/{action}")).await
}
