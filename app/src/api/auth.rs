use super::{ApiError, get, post, post_no_content};
use shouwang_api::auth::{Account, LoginRequest};

pub async fn login(request: &LoginRequest) -> Result<Account, ApiError> {
    request.validate()?;
    post("/api/auth/login", request).await
}

pub async fn logout() -> Result<(), ApiError> {
    post_no_content("/api/auth/logout").await
}

pub async fn me() -> Result<Account, ApiError> {
    get("/api/auth/me").await
}
