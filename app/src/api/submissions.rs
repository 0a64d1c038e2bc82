use super::{ApiError, get, post, send_or_queue};
use crate::offline::WriteKind;
use shouwang_api::Page;
use shouwang_api::submissions::{
    AnswerInput, BlockInput, BoardUpdate, MergeInput, MySubmission, QueueItem, RejectInput,
    RumourInput, SubmissionCategory, SubmissionInput, SubmissionStatus, VerifyInput,
};

pub async fn submit(input: &SubmissionInput) -> Result<MySubmission, ApiError> {
    input.validate()?;
    let sent = send_or_queue(
        WriteKind::Submission,
        "POST",
        "/api/submissions",
        Some(input),
    );
    super::answer(sent.await).await
}

pub async fn mine(page: u32) -> Result<Page<MySubmission>, ApiError> {
    get(&format!("/api/submissions/mine?page={page}")).await
}

pub async fn queue(
    status: SubmissionStatus,
    category: Option<SubmissionCategory>,
    page: u32,
) -> Result<Page<QueueItem>, ApiError> {
    let mut url = format!("/api/submissions?status={}&page={page}", status.as_str());
    if let Some(category) = category {
        url.push_str("&category=");
        url.push_str(category.as_str());
    }
    get(&url).await
}

pub async fn verify(id: i64, input: &VerifyInput) -> Result<QueueItem, ApiError> {
    input.validate()?;
    post(&format!("/api/submissions/{id}/verify"), input).await
}

pub async fn reject(id: i64, input: &RejectInput) -> Result<QueueItem, ApiError> {
    input.validate()?;
    post(&format!("/api/submissions/{id}/reject"), input).await
}

pub async fn rumour(id: i64, input: &RumourInput) -> Result<QueueItem, ApiError> {
    input.validate()?;
    post(&format!("/api/submissions/{id}/rumour"), input).await
}

pub async fn merge(id: i64, into: i64) -> Result<QueueItem, ApiError> {
    post(
        &format!("/api/submissions/{id}/merge"),
        &MergeInput { into },
    )
    .await
}

pub async fn block(user_id: i64, input: &BlockInput) -> Result<(), ApiError> {
    input.validate()?;
    let response = gloo_net::http::Request::post(&crate::base::at(&format!(
        "/api/submitters/{user_id}/block"
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

pub async fn updates(page: u32) -> Result<Page<BoardUpdate>, ApiError> {
    get(&format!("/api/board/updates?page={page}")).await
}

pub async fn update(id: i64) -> Result<BoardUpdate, ApiError> {
    get(&format!("/api/board/updates/{id}")).await
}

pub async fn batch(
    input: &shouwang_api::submissions::BatchInput,
) -> Result<shouwang_api::submissions::BatchResult, ApiError> {
    input.validate()?;
    post("/api/submissions/batch", input).await
}

pub async fn unblock(user_id: i64) -> Result<(), ApiError> {
    super::post_no_content(&format!("/api/submitters/{user_id}/unblock")).await
}

pub async fn moderation_log(
    page: u32,
) -> Result<Page<shouwang_api::submissions::ModerationEntry>, ApiError> {
    get(&format!("/api/moderation-log?page={page}")).await
}

pub async fn settings() -> Result<shouwang_api::submissions::SubmissionSettings, ApiError> {
    get("/api/submissions/settings").await
}

pub async fn set_settings(
    settings: shouwang_api::submissions::SubmissionSettings,
) -> Result<shouwang_api::submissions::SubmissionSettings, ApiError> {
    super::put("/api/submissions/settings", &settings).await
}

/// Sends the file as it is: the server checks its content, strips its metadata and
/// re-encodes it.
pub async fn upload_photo(
    id: i64,
    file: &web_sys::File,
) -> Result<shouwang_api::photos::PhotoInfo, ApiError> {
    if file.size() > shouwang_api::photos::PHOTO_MAX_BYTES as f64 {
        return Err(shouwang_api::FieldError::new(
            "photo",
            shouwang_api::ErrorCode::PayloadTooLarge,
        )
        .into());
    }
    let request =
        gloo_net::http::Request::put(&crate::base::at(&format!("/api/submissions/{id}/photo")))
            .body(file.clone())
            .map_err(|_| ApiError::Network)?;
    super::read(request.send().await).await
}

/// Answer a question: privately to the asker, or published as a Q&A.
pub async fn answer(id: i64, input: &AnswerInput) -> Result<QueueItem, ApiError> {
    input.validate()?;
    post(&format!("/api/submissions/{id}/answer"), input).await
}
