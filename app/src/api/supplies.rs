use super::{ApiError, answer, get, post, post_action, send_or_queue};
use crate::offline::WriteKind;
use shouwang_api::Page;
use shouwang_api::supplies::{
    ActionInput, AssignableVolunteer, ContactReveal, Delivery, RequestInput, RequestState,
    RunInput, RunWithStops, SupplyRequest, SupplyRun,
};

pub async fn create(input: &RequestInput) -> Result<SupplyRequest, ApiError> {
    input.validate()?;
    let sent = send_or_queue(
        WriteKind::SupplyRequest,
        "POST",
        "/api/supplies/requests",
        Some(input),
    );
    answer(sent.await).await
}

pub async fn mine() -> Result<Page<SupplyRequest>, ApiError> {
    get("/api/supplies/mine?per_page=50").await
}

pub async fn dashboard(
    state: Option<RequestState>,
    page: u32,
) -> Result<Page<SupplyRequest>, ApiError> {
    let mut url = format!("/api/supplies/requests?page={page}");
    if let Some(state) = state {
        url.push_str("&state=");
        url.push_str(state.as_str());
    }
    get(&url).await
}

pub async fn act(id: i64, input: &ActionInput) -> Result<SupplyRequest, ApiError> {
    input.validate()?;
    post(&format!("/api/supplies/requests/{id}/actions"), input).await
}

pub async fn deliveries() -> Result<Page<Delivery>, ApiError> {
    get("/api/supplies/deliveries?per_page=50").await
}

pub async fn reveal(id: i64) -> Result<ContactReveal, ApiError> {
    post_action(&format!("/api/supplies/requests/{id}/contact")).await
}

pub async fn volunteers() -> Result<Vec<AssignableVolunteer>, ApiError> {
    get("/api/supplies/volunteers").await
}

/// A sealed building's accepted orders, ready to travel in a run.
pub async fn ready_for_run(building_id: i64) -> Result<Page<SupplyRequest>, ApiError> {
    get(&format!(
        "/api/supplies/requests?state=accepted&building_id={building_id}&per_page=100"
    ))
    .await
}

pub async fn runs(building_id: i64, page: u32) -> Result<Page<RunWithStops>, ApiError> {
    get(&format!(
        "/api/supplies/runs?building_id={building_id}&page={page}"
    ))
    .await
}

pub async fn create_run(input: &RunInput) -> Result<SupplyRun, ApiError> {
    input.validate()?;
    post("/api/supplies/runs", input).await
}

pub async fn hand_over(run_id: i64) -> Result<SupplyRun, ApiError> {
    post_action(&format!("/api/supplies/runs/{run_id}/handover")).await
}

/// One request with its history (staff, the requester, or its volunteer).
pub async fn one(id: i64) -> Result<SupplyRequest, ApiError> {
    get(&format!("/api/supplies/requests/{id}")).await
}
