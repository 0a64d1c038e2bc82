//! Each account reads and clears only its own notifications.

use crate::fixtures::{inbox, reply};
use crate::helpers::{TestClient, TestServer, assert_error};
use reqwest::StatusCode;
use shouwang::db::sql;
use shouwang_api::auth::{Account, Role};
use shouwang_api::notifications::UnreadCount;

async fn unread(client: &TestClient) -> u64 {
    let count: UnreadCount = reply(
        client.get("/api/notifications/unread").await,
        StatusCode::OK,
    )
    .await;
    count.unread
}

async fn notify(server: &TestServer, user_id: i64, kind: &str) -> i64 {
    let db = server.connect().await;
    sql::query_scalar(
        "INSERT INTO notifications (user_id, kind, params, link, created_at) VALUES (?, ?, '{\"shift\":\"测温\"}', '/x', ?) RETURNING id",
    )
    .bind(user_id)
    .bind(kind)
    .bind(chrono::Utc::now())
    .fetch_one(&db)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_account_reads_and_clears_its_notifications() {
    let server = TestServer::spawn().await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let me = reply::<Account>(volunteer.get("/api/auth/me").await, StatusCode::OK)
        .await
        .id;
    let first = notify(&server, me, "shift.promoted").await;
    notify(&server, me, "board.answered").await;

    assert_eq!(unread(&volunteer).await, 2);
    let page = inbox(&volunteer).await;
    assert_eq!(page.total, 2);
    assert_eq!(page.items[0].kind, "board.answered", "newest first");
    // The row was written by hand, not as a Message: its params are read as stored.
    assert_eq!(page.items[1].params["shift"], "测温");
    assert!(!page.items[1].read);

    let read = volunteer
        .action(&format!("/api/notifications/{first}/read"))
        .await;
    assert_eq!(read.status(), StatusCode::NO_CONTENT);
    assert_eq!(unread(&volunteer).await, 1);
    assert_eq!(
        volunteer
            .action("/api/notifications/read-all")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(unread(&volunteer).await, 0);
}

#[tokio::test]
async fn nobody_reads_or_clears_another_accounts_notifications() {
    let server = TestServer::spawn().await;
    let owner = server.create_account(Role::Resident, "owner").await;
    let id = notify(&server, owner, "board.answered").await;
    let other = server.sign_in_as(Role::Staff).await;
    assert_eq!(inbox(&other).await.total, 0);
    assert_error(
        other.action(&format!("/api/notifications/{id}/read")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM notifications WHERE read_at IS NULL")
            .await,
        1
    );
    let anonymous = server.client();
    assert_error(
        anonymous.get("/api/notifications").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_error(
        anonymous.get("/api/notifications/unread").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}
