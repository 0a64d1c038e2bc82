use super::{ApiError, get, post_no_content};
use shouwang_api::Page;
use shouwang_api::notifications::{Notification, UnreadCount};

pub async fn list(page: u32) -> Result<Page<Notification>, ApiError> {
    get(&format!("/api/notifications?page={page}")).await
}

pub async fn unread() -> Result<UnreadCount, ApiError> {
    get("/api/notifications/unread").await
}

pub async fn mark_read(id: i64) -> Result<(), ApiError> {
    post_no_content(&format!("/api/notifications/{id}/read")).await
}

pub async fn mark_all_read() -> Result<(), ApiError> {
    post_no_content("/api/notifications/read-all").await
}
