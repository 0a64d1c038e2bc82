//! Bad input gets a specific 4xx in the error shape, never a 500.

use crate::helpers::{TestServer, assert_error};
use reqwest::StatusCode;
use serde_json::json;
use shouwang_api::auth::Role;

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_in_the_error_shape() {
    let server = TestServer::spawn().await;
    let client = server.client();
    assert_error(
        client.get("/api/nothing-here").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(client.get("/api").await, StatusCode::NOT_FOUND, "not_found").await;
    let response = client
        .send(client.http.delete(client.url("/api/notices")))
        .await;
    assert_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
}

#[tokio::test]
async fn malformed_bodies_are_told_apart_from_bad_fields() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;

    let not_json = staff
        .send(
            staff
                .http
                .post(staff.url("/api/notices"))
                .header("content-type", "application/json")
                .body("{\"title\": "),
        )
        .await;
    assert_error(not_json, StatusCode::BAD_REQUEST, "malformed_json").await;

    let wrong_media = staff
        .send(staff.http.post(staff.url("/api/notices")).body("title=x"))
        .await;
    assert_error(
        wrong_media,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    let missing = staff.post("/api/notices", &json!({ "body": "正文" })).await;
    let error = assert_error(missing, StatusCode::UNPROCESSABLE_ENTITY, "required").await;
    assert_eq!(error.field.as_deref(), Some("title"));

    let wrong_type = staff
        .post(
            "/api/notices",
            &json!({ "title": "t", "body": "b", "pinned": "yes" }),
        )
        .await;
    let error = assert_error(wrong_type, StatusCode::UNPROCESSABLE_ENTITY, "invalid_type").await;
    assert_eq!(error.field.as_deref(), Some("pinned"));

    let bad_date = staff
        .post(
            "/api/notices",
            &json!({ "title": "t", "body": "b", "issued_on": "2020-13-40" }),
        )
        .await;
    let error = assert_error(bad_date, StatusCode::UNPROCESSABLE_ENTITY, "invalid_type").await;
    assert_eq!(error.field.as_deref(), Some("issued_on"));

    let unknown_choice = staff
        .post(
            "/api/notices",
            &json!({ "title": "t", "body": "b", "category": "gossip" }),
        )
        .await;
    let error = assert_error(
        unknown_choice,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("category"));

    let array = staff.post("/api/notices", &json!([1, 2, 3])).await;
    assert_error(array, StatusCode::UNPROCESSABLE_ENTITY, "invalid_type").await;

    assert_eq!(
        server.count("SELECT COUNT(*) FROM notices").await,
        0,
        "nothing was stored"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let huge = "字".repeat(300 * 1024);
    let response = staff
        .post("/api/notices", &json!({ "title": "t", "body": huge }))
        .await;
    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn bad_query_strings_and_ids_are_client_errors() {
    let server = TestServer::spawn().await;
    let client = server.client();
    let error = assert_error(
        client.get("/api/notices?page=abc").await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("page"));
    assert_error(
        client.get("/api/notices?status=everything").await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    assert_error(
        client.get("/api/notices/not-a-number").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        client.get("/api/notices/99999").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        client.get("/api/notices/-1").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        client.get("/api/notices/99999999999999999999999").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Out-of-range paging is clamped, not refused: a stale link still shows a page.
    let page: serde_json::Value = client
        .get("/api/notices?page=0&per_page=100000")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (page["page"].as_u64(), page["per_page"].as_u64()),
        (Some(1), Some(100))
    );
}
