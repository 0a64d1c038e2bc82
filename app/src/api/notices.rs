use super::{ApiError, get, post, post_action, put};
use shouwang_api::Page;
use shouwang_api::notices::{
    Notice, NoticeCategory, NoticeInput, NoticeStatusFilter, NoticeSummary, PreviewRequest,
    PreviewResponse,
};

pub async fn list(
    status: NoticeStatusFilter,
    category: Option<NoticeCategory>,
    page: u32,
) -> Result<Page<NoticeSummary>, ApiError> {
    let mut url = format!("/api/notices?status={}&page={page}", status.as_str());
    if let Some(category) = category {
        url.push_str("&category=");
        url.push_str(category.as_str());
    }
    get(&url).await
}

pub async fn get_one(id: i64) -> Result<Notice, ApiError> {
    get(&format!("/api/notices/{id}")).await
}

pub async fn create(input: &NoticeInput) -> Result<Notice, ApiError> {
    input.validate()?;
    post("/api/notices", input).await
}

pub async fn update(id: i64, input: &NoticeInput) -> Result<Notice, ApiError> {
    input.validate()?;
    put(&format!("/api/notices/{id}"), input).await
}

pub async fn publish(id: i64) -> Result<Notice, ApiError> {
    post_action(&format!("/api/notices/{id}/publish")).await
}

pub async fn withdraw(id: i64) -> Result<Notice, ApiError> {
    post_action(&format!("/api/notices/{id}/withdraw")).await
}

pub async fn preview(body: String) -> Result<PreviewResponse, ApiError> {
    post("/api/notices/preview", &PreviewRequest { body }).await
}
