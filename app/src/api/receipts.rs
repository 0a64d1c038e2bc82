use super::{ApiError, get, post_action, put};
use shouwang_api::Page;
use shouwang_api::receipts::{
    BuildingReceipts, DoorReceiptInput, FollowUpHousehold, MyReceipt, ReceiptNotice,
    ReceiptRequirement,
};

pub async fn mine(notice_id: i64) -> Result<MyReceipt, ApiError> {
    get(&format!("/api/notices/{notice_id}/receipt")).await
}

pub async fn acknowledge(notice_id: i64) -> Result<MyReceipt, ApiError> {
    post_action(&format!("/api/notices/{notice_id}/receipt")).await
}

pub async fn set_required(notice_id: i64, required: bool) -> Result<MyReceipt, ApiError> {
    let input = ReceiptRequirement {
        required,
        building_ids: Vec::new(),
    };
    input.validate()?;
    put(&format!("/api/notices/{notice_id}/receipts"), &input).await
}

pub async fn notices(page: u32) -> Result<Page<ReceiptNotice>, ApiError> {
    get(&format!("/api/receipts?page={page}")).await
}

pub async fn buildings(notice_id: i64) -> Result<Vec<BuildingReceipts>, ApiError> {
    get(&format!("/api/receipts/{notice_id}/buildings")).await
}

pub async fn follow_up(
    notice_id: i64,
    building_id: i64,
    page: u32,
) -> Result<Page<FollowUpHousehold>, ApiError> {
    get(&format!(
        "/api/receipts/{notice_id}/follow-up?building_id={building_id}&page={page}"
    ))
    .await
}

pub async fn record_at_door(
    notice_id: i64,
    household_id: i64,
    input: &DoorReceiptInput,
) -> Result<(), ApiError> {
    input.validate()?;
    let response = gloo_net::http::Request::post(&format!(
        "/api/receipts/{notice_id}/households/{household_id}"
    ))
    .json(input)
    .map_err(|_| ApiError::Network)?
    .send()
    .await;
    match response {
        Ok(r) if r.ok() => Ok(()),
        other => super::read::<()>(other).await,
    }
}
