//! Unsafe requests carrying a session must come from our own pages.

use crate::helpers::{PASSWORD, TestServer, assert_error};
use reqwest::StatusCode;
use serde_json::json;
use shouwang_api::auth::Role;

async fn signed_in_bare_client(server: &TestServer) -> reqwest::Client {
    server.create_account(Role::Staff, "wangli").await;
    let client = server.bare_client();
    let response = client
        .post(server.url("/api/auth/login"))
        .json(&json!({ "username": "wangli", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "signing in needs no Origin: there is no session yet"
    );
    client
}

fn notice() -> serde_json::Value {
    json!({ "title": "跨站伪造", "body": "不应保存" })
}

#[tokio::test]
async fn a_request_from_another_site_is_refused_and_changes_nothing() {
    let server = TestServer::spawn().await;
    let client = signed_in_bare_client(&server).await;
    let forged = client
        .post(server.url("/api/notices"))
        .header("origin", "https://evil.example")
        .json(&notice())
        .send()
        .await
        .unwrap();
    assert_error(forged, StatusCode::FORBIDDEN, "cross_site_request").await;
    let null_origin = client
        .post(server.url("/api/notices"))
        .header("origin", "null")
        .json(&notice())
        .send()
        .await
        .unwrap();
    assert_error(null_origin, StatusCode::FORBIDDEN, "cross_site_request").await;
    assert_eq!(server.count("SELECT COUNT(*) FROM notices").await, 0);
}

#[tokio::test]
async fn a_session_request_without_origin_or_referer_is_refused() {
    let server = TestServer::spawn().await;
    let client = signed_in_bare_client(&server).await;
    let response = client
        .post(server.url("/api/notices"))
        .json(&notice())
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::FORBIDDEN, "cross_site_request").await;
    let logout = client
        .post(server.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_error(logout, StatusCode::FORBIDDEN, "cross_site_request").await;
    assert_eq!(server.count("SELECT COUNT(*) FROM notices").await, 0);
    assert_eq!(
        server.count("SELECT COUNT(*) FROM sessions").await,
        1,
        "the forged logout did not end the session"
    );
}

#[tokio::test]
async fn our_own_origin_or_referer_is_accepted() {
    let server = TestServer::spawn().await;
    let client = signed_in_bare_client(&server).await;
    let with_origin = client
        .post(server.url("/api/notices"))
        .header("origin", &server.base)
        .json(&notice())
        .send()
        .await
        .unwrap();
    assert_eq!(with_origin.status(), StatusCode::CREATED);
    let with_referer = client
        .post(server.url("/api/notices"))
        .header("referer", server.url("/staff/notices/new"))
        .json(&notice())
        .send()
        .await
        .unwrap();
    assert_eq!(with_referer.status(), StatusCode::CREATED);
    // Safe methods are never refused.
    assert_eq!(
        client
            .get(server.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn signing_in_from_another_site_is_refused() {
    let server = TestServer::spawn().await;
    server.create_account(Role::Staff, "wangli").await;
    let response = server
        .bare_client()
        .post(server.url("/api/auth/login"))
        .header("origin", "https://evil.example")
        .json(&json!({ "username": "wangli", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::FORBIDDEN, "cross_site_request").await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_host_is_ours() {
    let server = TestServer::spawn_with(&["--trust-proxy"]).await;
    let client = signed_in_bare_client(&server).await;
    let response = client
        .post(server.url("/api/notices"))
        .header("origin", "https://shouwang.example")
        .header("x-forwarded-host", "shouwang.example")
        .json(&notice())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}
