use super::{ApiError, get, post, post_no_content};
use shouwang_api::Page;
use shouwang_api::community::Created;
use shouwang_api::testing::{
    MarkInput, MyTesting, RoundDetail, RoundInput, RoundPerson, RoundSummary, TestResult,
};

pub async fn mine() -> Result<MyTesting, ApiError> {
    get("/api/testing/me").await
}

/// `today` is the community's day, for the same date check the server makes.
pub async fn create(input: &RoundInput, today: chrono::NaiveDate) -> Result<Created, ApiError> {
    input.validate(today)?;
    post("/api/testing/rounds", input).await
}

pub async fn rounds(page: u32) -> Result<Page<RoundSummary>, ApiError> {
    get(&format!("/api/testing/rounds?page={page}")).await
}

pub async fn round(id: i64) -> Result<RoundDetail, ApiError> {
    get(&format!("/api/testing/rounds/{id}")).await
}

pub async fn cancel(id: i64) -> Result<(), ApiError> {
    post_no_content(&format!("/api/testing/rounds/{id}/cancel")).await
}

/// `list` is `untested` or `door`.
pub async fn people(id: i64, list: &str, page: u32) -> Result<Page<RoundPerson>, ApiError> {
    get(&format!("/api/testing/rounds/{id}/{list}?page={page}")).await
}

pub async fn mark(id: i64, input: &MarkInput) -> Result<TestResult, ApiError> {
    post(&format!("/api/testing/rounds/{id}/results"), input).await
}

pub async fn undo(id: i64, member_id: i64) -> Result<(), ApiError> {
    post_no_content(&format!(
        "/api/testing/rounds/{id}/results/{member_id}/undo"
    ))
    .await
}
