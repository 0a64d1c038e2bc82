//! Signing in and out, sessions, and the limits on guessing.

use crate::helpers::{PASSWORD, TestServer, assert_error, json};
use reqwest::StatusCode;
use reqwest::header::{RETRY_AFTER, SET_COOKIE};
use shouwang_api::auth::Role;

#[tokio::test]
async fn a_staff_member_signs_in_is_known_and_signs_out() {
    let server = TestServer::spawn().await;
    server.create_account(Role::Staff, "wangli").await;
    let client = server.client();

    let response = client.login("WangLi", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("shouwang_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    assert!(!cookie.contains("Secure"), "plain http: no Secure flag");
    let account = json(response).await;
    assert_eq!(account["username"], "wangli");
    assert_eq!(account["role"], "staff");
    assert!(account.get("password_hash").is_none());

    let me = json(client.get("/api/auth/me").await).await;
    assert_eq!(me, account);

    let logout = client.action("/api/auth/logout").await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert!(
        logout.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_error(
        client.get("/api/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_eq!(
        server.count("SELECT COUNT(*) FROM sessions").await,
        0,
        "the session is gone from the database"
    );
}

#[tokio::test]
async fn the_old_cookie_is_useless_after_sign_out() {
    let server = TestServer::spawn().await;
    server.create_account(Role::Staff, "wangli").await;
    let client = server.client();
    let response = client.login("wangli", PASSWORD).await;
    let cookie = response.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    client.action("/api/auth/logout").await;
    let replay = server
        .bare_client()
        .get(server.url("/api/auth/me"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_error(replay, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn unknown_users_and_wrong_passwords_get_the_same_answer() {
    let server = TestServer::spawn().await;
    server.create_account(Role::Staff, "wangli").await;
    let client = server.client();
    let wrong_password = assert_error(
        client.login("wangli", "not the password").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let unknown_user = assert_error(
        client.login("nobody", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(wrong_password, unknown_user);
    assert!(client.get("/api/auth/me").await.status() == StatusCode::UNAUTHORIZED);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'login.failure'")
            .await,
        2,
        "failed sign-ins are recorded"
    );
    assert_eq!(
        server.count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%nobody%' OR detail LIKE '%not the password%'").await,
        0,
        "what was typed is never recorded"
    );
}

#[tokio::test]
async fn empty_fields_are_named() {
    let server = TestServer::spawn().await;
    let client = server.client();
    let error = assert_error(
        client.login(" ", "x").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "required",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("username"));
    let error = assert_error(
        client.login("wangli", "").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "required",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("password"));
}

#[tokio::test]
async fn guessing_one_account_is_stopped_with_retry_after() {
    let server = TestServer::spawn().await;
    server.create_account(Role::Staff, "wangli").await;
    let client = server.client();
    for _ in 0..5 {
        assert_eq!(
            client.login("wangli", "guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = client.login("wangli", "guess").await;
    let retry_after: u64 = limited.headers()[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15).contains(&retry_after), "Retry-After {retry_after}");
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Even the right password waits: the limit is on attempts, not on failures.
    assert_eq!(
        client.login("wangli", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another account from the same address is not affected.
    server.create_account(Role::Staff, "zhaoqiang").await;
    assert_eq!(
        client.login("zhaoqiang", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_stopped() {
    let server = TestServer::spawn().await;
    let client = server.client();
    let started = std::time::Instant::now();
    let mut limited = None;
    for i in 0..80 {
        let response = client.login(&format!("user{i}"), "guess").await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(i);
            break;
        }
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let limited = limited.expect("the address limit applies");
    // A burst of 30, refilled by one every 2 s: on a slow machine the password checks take
    // long enough for the allowance to grow while we try, and that growth is allowed.
    let refilled = u32::try_from(started.elapsed().as_secs() / 2).unwrap_or(u32::MAX);
    assert!(
        (29..=32 + refilled).contains(&limited),
        "limited after {limited} attempts in {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_address_has_its_own_limit() {
    let server = TestServer::spawn_with(&["--trust-proxy"]).await;
    let client = server.client();
    for i in 0..35 {
        let response = client
            .send(
                client
                    .http
                    .post(client.url("/api/auth/login"))
                    .header("x-forwarded-for", format!("203.0.113.{i}"))
                    .json(
                        &serde_json::json!({ "username": format!("user{i}"), "password": "guess" }),
                    ),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "client {i} has its own allowance"
        );
    }
}

#[tokio::test]
async fn the_cookie_is_secure_when_served_over_https() {
    let server = TestServer::spawn().await;
    server.create_account(Role::Staff, "wangli").await;
    let client = server.client();
    let response = client
        .send(
            client
                .http
                .post(client.url("/api/auth/login"))
                .header("x-forwarded-proto", "https")
                .json(&serde_json::json!({ "username": "wangli", "password": PASSWORD })),
        )
        .await;
    assert!(
        response.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}

#[tokio::test]
async fn sessions_and_data_survive_a_restart() {
    let mut server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let created = staff
        .post(
            "/api/notices",
            &serde_json::json!({ "title": "重启前的通知", "body": "正文" }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = json(created).await["id"].as_i64().unwrap();

    server.restart().await;
    let staff = crate::helpers::TestClient {
        base: server.base.clone(),
        http: staff.http.clone(),
    };
    // Cookies ignore the port, so the same jar carries the session to the new process.
    assert_eq!(
        staff.get("/api/auth/me").await.status(),
        StatusCode::OK,
        "the session survived"
    );
    let notice = json(staff.get(&format!("/api/notices/{id}")).await).await;
    assert_eq!(notice["title"], "重启前的通知");
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_its_sessions_end() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let id = server.create_account(Role::Staff, "leaving").await;
    let staff = server.client();
    assert_eq!(
        staff.login("leaving", PASSWORD).await.status(),
        StatusCode::OK
    );

    assert_eq!(
        admin
            .action(&format!("/api/users/{id}/disable"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_error(
        staff.get("/api/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_error(
        staff.login("leaving", PASSWORD).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // A wrong password still says only "wrong": being disabled is not revealed to guessers.
    assert_error(
        staff.login("leaving", "wrong").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
}
