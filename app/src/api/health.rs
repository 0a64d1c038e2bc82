use super::{ApiError, answer, get, post, send_or_queue};
use crate::offline::WriteKind;
use shouwang_api::Page;
use shouwang_api::community::Created;
use shouwang_api::health::{
    CheckInInput, FollowUpInput, MemberHealth, MyHealthToday, WorklistEntry, WorklistQuery,
};

pub async fn mine() -> Result<MyHealthToday, ApiError> {
    get("/api/health/me").await
}

pub async fn check_in(input: &CheckInInput) -> Result<MyHealthToday, ApiError> {
    input.validate()?;
    let sent = send_or_queue(
        WriteKind::CheckIn,
        "POST",
        "/api/health/me/check-ins",
        Some(input),
    );
    answer(sent.await).await
}

/// 全家正常: everybody not yet checked in today, in one tap.
pub async fn all_well() -> Result<MyHealthToday, ApiError> {
    let sent = send_or_queue::<()>(WriteKind::AllWell, "POST", "/api/health/me/all-well", None);
    answer(sent.await).await
}

pub async fn worklist(query: WorklistQuery, page: u32) -> Result<Page<WorklistEntry>, ApiError> {
    let flag = query
        .flag
        .map(|f| format!("&flag={}", f.as_str()))
        .unwrap_or_default();
    get(&format!("/api/health/worklist?page={page}{flag}")).await
}

pub async fn member(id: i64) -> Result<MemberHealth, ApiError> {
    get(&format!("/api/health/members/{id}")).await
}

pub async fn follow_up(id: i64, input: &FollowUpInput) -> Result<Created, ApiError> {
    input.validate()?;
    post(&format!("/api/health/members/{id}/follow-ups"), input).await
}
