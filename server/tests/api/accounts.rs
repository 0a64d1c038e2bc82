//! Admins manage staff accounts; nobody else may.

use crate::helpers::{PASSWORD, TestServer, assert_error, json};
use reqwest::StatusCode;
use serde_json::json;
use shouwang_api::auth::Role;

fn new_staff(username: &str) -> serde_json::Value {
    json!({ "username": username, "display_name": "网格员 李娜", "role": "staff", "password": "grid-worker-2026" })
}

#[tokio::test]
async fn an_admin_creates_a_staff_account_that_can_sign_in() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let response = admin.post("/api/users", &new_staff("lina")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = json(response).await;
    assert_eq!(created["username"], "lina");
    assert_eq!(created["role"], "staff");
    assert_eq!(created["disabled"], false);
    assert!(created.get("password").is_none() && created.get("password_hash").is_none());

    let list = json(admin.get("/api/users?role=staff").await).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["username"], "lina");

    let lina = server.client();
    assert_eq!(
        lina.login("lina", "grid-worker-2026").await.status(),
        StatusCode::OK
    );
    let audit = json(admin.get("/api/audit").await).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"user.create"), "{actions:?}");
}

#[tokio::test]
async fn only_admins_manage_accounts() {
    let server = TestServer::spawn().await;
    let anonymous = server.client();
    assert_error(
        anonymous.get("/api/users").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_error(
        anonymous.post("/api/users", &new_staff("x1")).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_error(
        anonymous.get("/api/audit").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let target = server.create_account(Role::Staff, "target").await;
    for role in [Role::Staff, Role::Volunteer, Role::Resident] {
        let caller = server.sign_in_as(role).await;
        assert_error(
            caller.get("/api/users").await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_error(
            caller.post("/api/users", &new_staff("x2")).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_error(
            caller.action(&format!("/api/users/{target}/disable")).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_error(
            caller.get("/api/audit").await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM users WHERE username LIKE 'x%'")
            .await,
        0
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM users WHERE disabled_at IS NOT NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn bad_accounts_are_refused_field_by_field() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let cases = [
        (
            json!({ "username": "a b", "display_name": "x", "role": "staff", "password": "long enough" }),
            "username",
            "invalid_username",
        ),
        (
            json!({ "username": "lina", "display_name": " ", "role": "staff", "password": "long enough" }),
            "display_name",
            "required",
        ),
        (
            json!({ "username": "lina", "display_name": "x", "role": "staff", "password": "short" }),
            "password",
            "weak_password",
        ),
        (
            json!({ "username": "lina", "display_name": "x", "role": "resident", "password": "long enough" }),
            "role",
            "invalid_value",
        ),
        (
            json!({ "username": "lina", "display_name": "x", "role": "root", "password": "long enough" }),
            "role",
            "invalid_value",
        ),
    ];
    for (body, field, code) in cases {
        let error = assert_error(
            admin.post("/api/users", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
    }
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM users WHERE username = 'lina'")
            .await,
        0
    );

    assert_eq!(
        admin.post("/api/users", &new_staff("lina")).await.status(),
        StatusCode::CREATED
    );
    let error = assert_error(
        admin.post("/api/users", &new_staff("LINA")).await,
        StatusCode::CONFLICT,
        "username_taken",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("username"));
}

#[tokio::test]
async fn disabling_and_enabling() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let id = server.create_account(Role::Staff, "lina").await;

    let disabled = json(admin.action(&format!("/api/users/{id}/disable")).await).await;
    assert_eq!(disabled["disabled"], true);
    assert_error(
        server.client().login("lina", PASSWORD).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let enabled = json(admin.action(&format!("/api/users/{id}/enable")).await).await;
    assert_eq!(enabled["disabled"], false);
    assert_eq!(
        server.client().login("lina", PASSWORD).await.status(),
        StatusCode::OK
    );

    assert_error(
        admin.action("/api/users/424242/disable").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let me = json(admin.get("/api/auth/me").await).await["id"]
        .as_i64()
        .unwrap();
    assert_error(
        admin.action(&format!("/api/users/{me}/disable")).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(
        admin.get("/api/auth/me").await.status(),
        StatusCode::OK,
        "the admin is still signed in"
    );
}
