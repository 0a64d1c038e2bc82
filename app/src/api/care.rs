//! 包保: the vulnerable households of the worker's grids and their contact person.

use super::{ApiError, get, post};
use gloo_net::http::Request;
use shouwang_api::Page;
use shouwang_api::community::Created;
use shouwang_api::health::{CareAssignment, CareContactInput, CareHousehold, CareInput};

pub async fn households(page: u32) -> Result<Page<CareHousehold>, ApiError> {
    get(&format!("/api/health/care?page={page}")).await
}

pub async fn overdue(per_page: u32) -> Result<Page<CareAssignment>, ApiError> {
    get(&format!("/api/health/care/overdue?per_page={per_page}")).await
}

/// Names (or changes) the 包保责任人; the server answers 204.
pub async fn assign(household_id: i64, input: &CareInput) -> Result<(), ApiError> {
    input.validate()?;
    let response = Request::put(&crate::base::at(&format!(
        "/api/health/care/{household_id}"
    )))
    .json(input)
    .map_err(|_| ApiError::Network)?
    .send()
    .await;
    match response {
        Ok(r) if r.ok() => Ok(()),
        other => super::read::<()>(other).await,
    }
}

pub async fn log_contact(household_id: i64, input: &CareContactInput) -> Result<Created, ApiError> {
    input.validate()?;
    post(&format!("/api/health/care/{household_id}/contacts"), input).await
}
