//! Issue 14, items 2 and 3: a refused value says its limit, so the form can tell the
//! person "at most N characters" before and after they type past it.

use crate::helpers::*;
use crate::volunteers::sign_up_body;
use reqwest::StatusCode;
use serde_json::json;
use shouwang_api::auth::Role;

#[tokio::test]
async fn a_too_long_notice_title_is_refused_with_its_limit_and_nothing_is_stored() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let before = server.count("SELECT COUNT(*) FROM notices").await;

    let long_title = "长".repeat(shouwang_api::notices::TITLE_MAX + 1);
    let error = assert_error(
        staff
            .post("/api/notices", &json!({ "title": long_title, "body": "x" }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_long",
    )
    .await;

    assert_eq!(error.field.as_deref(), Some("title"));
    assert_eq!(error.limit, Some(shouwang_api::notices::TITLE_MAX));
    assert_eq!(server.count("SELECT COUNT(*) FROM notices").await, before);
}

#[tokio::test]
async fn a_volunteer_name_of_62_characters_is_refused_with_its_limit_not_cut() {
    let server = TestServer::spawn().await;
    let before = server.count("SELECT COUNT(*) FROM users").await;
    let name = "欧".repeat(62);

    let error = assert_error(
        server
            .client()
            .post(
                "/api/volunteers/sign-up",
                &sign_up_body("13900139062", &name),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_long",
    )
    .await;

    assert_eq!(error.field.as_deref(), Some("name"));
    assert_eq!(error.limit, Some(shouwang_api::volunteers::NAME_MAX));
    assert_eq!(server.count("SELECT COUNT(*) FROM users").await, before);
}

#[tokio::test]
async fn errors_without_a_limit_carry_none() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let error = assert_error_on_the_wire(
        staff
            .post("/api/notices", &json!({ "title": "", "body": "x" }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "required",
    )
    .await;
    assert!(error.get("limit").is_none(), "no limit in {error}");
}

/// Issue 14 #19: the calendar feed is read in a calendar app, which shows it as written,
/// so the volunteer's app asks for it in the language it is using.
#[tokio::test]
async fn the_calendar_feed_speaks_the_language_the_app_asks_for() {
    let server = TestServer::spawn().await;
    let (volunteer, _) = crate::volunteers::signed_up(&server, "13912345679").await;
    let link = json(volunteer.action("/api/volunteers/me/calendar").await).await;
    let path = link["path"].as_str().unwrap().to_owned();
    let feed = |url: String| {
        let client = server.bare_client();
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };

    let chinese = feed(server.url(&path)).await;
    assert!(
        chinese.contains("X-WR-CALNAME:守望 志愿者班次\r\n"),
        "{chinese}"
    );
    let english = feed(server.url(&format!("{path}?lang=en"))).await;
    assert!(
        english.contains("X-WR-CALNAME:Shouwang volunteer shifts\r\n"),
        "{english}"
    );
    assert!(!english.contains('守'));
}
