use super::{ApiError, answer, answer_empty, get, put, send_or_queue};
use crate::offline::WriteKind;
use shouwang_api::Page;
use shouwang_api::receipts::{
    BuildingReceipts, DoorReceiptInput, FollowUpHousehold, MyReceipt, ReceiptNotice,
    ReceiptRequirement,
};

pub async fn mine(notice_id: i64) -> Result<MyReceipt, ApiError> {
    get(&format!("/api/notices/{notice_id}/receipt")).await
}

pub async fn acknowledge(notice_id: i64) -> Result<MyReceipt, ApiError> {
    let url = format!("/api/notices/{notice_id}/receipt");
    answer(send_or_queue::<()>(WriteKind::Receipt, "POST", &url, None).await).await
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
    let url = format!("/api/receipts/{notice_id}/households/{household_id}");
    answer_empty(send_or_queue(WriteKind::DoorReceipt, "POST", &url, Some(input)).await).await
}
