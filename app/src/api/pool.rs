//! The street's volunteer pool (跨社区支援), at the volunteer's own community's address.

use super::{ApiError, get, post, post_action, read};
use gloo_net::http::Request;
use shouwang_api::pool::{LeftPool, PoolHours, PoolShift, PoolSignup, PoolStatus};
use shouwang_api::shifts::SignupRequest;

pub async fn status() -> Result<PoolStatus, ApiError> {
    get("/api/pool").await
}

pub async fn join() -> Result<PoolStatus, ApiError> {
    post_action("/api/pool/join").await
}

pub async fn leave() -> Result<LeftPool, ApiError> {
    post_action("/api/pool/leave").await
}

pub async fn shifts() -> Result<Vec<PoolShift>, ApiError> {
    get("/api/pool/shifts").await
}

pub async fn my_signups() -> Result<Vec<PoolSignup>, ApiError> {
    get("/api/pool/signups").await
}

pub async fn hours() -> Result<PoolHours, ApiError> {
    get("/api/pool/hours").await
}

pub async fn sign_up(
    community: &str,
    shift: i64,
    join_waitlist: bool,
) -> Result<PoolSignup, ApiError> {
    post(
        &format!("/api/pool/shifts/{community}/{shift}/signup"),
        &SignupRequest { join_waitlist },
    )
    .await
}

pub async fn cancel(community: &str, shift: i64) -> Result<(), ApiError> {
    let response = Request::delete(&crate::base::at(&format!(
        "/api/pool/shifts/{community}/{shift}/signup"
    )))
    .send()
    .await;
    match response {
        Ok(r) if r.ok() => Ok(()),
        other => read::<()>(other).await,
    }
}
