//! Medicine runs (代配药): the request with its lines, the hand-overs of the cards, the
//! photo of the medicine bag, and the resident's check of what arrived.

use super::{ApiError, get, post};
use shouwang_api::Page;
use shouwang_api::medicine::{
    ArrivalInput, CustodyInput, CustodyOut, MedicineRequestInput, MedicineRun,
};
use shouwang_api::photos::{PHOTO_MAX_BYTES, PhotoInfo};
use shouwang_api::{ErrorCode, FieldError};

pub async fn create(input: &MedicineRequestInput) -> Result<MedicineRun, ApiError> {
    input.validate()?;
    post("/api/medicine/requests", input).await
}

/// The run as the caller may see it, with the side they confirm.
pub async fn one(id: i64) -> Result<MedicineRun, ApiError> {
    get(&format!("/api/medicine/requests/{id}")).await
}

pub async fn confirm_custody(id: i64, input: &CustodyInput) -> Result<MedicineRun, ApiError> {
    input.validate()?;
    post(&format!("/api/medicine/requests/{id}/custody"), input).await
}

pub async fn check_arrival(id: i64, input: &ArrivalInput) -> Result<MedicineRun, ApiError> {
    post(&format!("/api/medicine/requests/{id}/arrival"), input).await
}

/// Where the bag photo is read; `version` (when it was taken) makes a new photo a new
/// address, so the browser never shows the one it replaced.
pub fn bag_photo_url(id: i64, version: i64) -> String {
    crate::base::at(&format!(
        "/api/medicine/requests/{id}/bag-photo?v={version}"
    ))
}

/// Sends the file as it is: the server checks its content, strips its metadata and
/// re-encodes it.
pub async fn upload_bag_photo(id: i64, file: &web_sys::File) -> Result<PhotoInfo, ApiError> {
    if file.size() > PHOTO_MAX_BYTES as f64 {
        return Err(FieldError::new("photo", ErrorCode::PayloadTooLarge).into());
    }
    let request = gloo_net::http::Request::put(&crate::base::at(&format!(
        "/api/medicine/requests/{id}/bag-photo"
    )))
    .body(file.clone())
    .map_err(|_| ApiError::Network)?;
    super::read(request.send().await).await
}

/// Cards and record books out of residents' hands in the caller's grids, overdue first.
pub async fn custody_out(page: u32) -> Result<Page<CustodyOut>, ApiError> {
    get(&format!("/api/medicine/custody?page={page}")).await
}
