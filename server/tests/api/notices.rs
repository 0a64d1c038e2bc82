//! Notices: staff write and publish, everyone reads the board.

use crate::fixtures::reply;
use crate::helpers::{TestClient, TestServer, assert_error};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::notices::{Notice, NoticeStatus, NoticeSummary, PreviewResponse};

/// The five public notices in shared/seeds, as fields (the demo community uses them too).
fn seed_notices() -> Vec<Value> {
    serde_json::from_str(include_str!("../../src/demo/notices.json")).expect("seed notices")
}

async fn create(staff: &TestClient, body: &Value) -> Notice {
    let response = staff.post("/api/notices", body).await;
    reply(response, StatusCode::CREATED).await
}

async fn publish(staff: &TestClient, id: i64) -> Notice {
    let response = staff.action(&format!("/api/notices/{id}/publish")).await;
    reply(response, StatusCode::OK).await
}

fn id(notice: &Notice) -> i64 {
    notice.id
}

/// One notice as the caller may read it.
async fn read(client: &TestClient, id: i64) -> Notice {
    reply(
        client.get(&format!("/api/notices/{id}")).await,
        StatusCode::OK,
    )
    .await
}

/// The notices listed at `/api/notices?query`.
async fn list(client: &TestClient, query: &str) -> Page<NoticeSummary> {
    reply(
        client.get(&format!("/api/notices?{query}")).await,
        StatusCode::OK,
    )
    .await
}

fn titles(page: &Page<NoticeSummary>) -> Vec<&str> {
    page.items.iter().map(|n| n.title.as_str()).collect()
}

#[tokio::test]
async fn staff_write_a_draft_publish_it_and_everyone_reads_it() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let seed = &seed_notices()[0];
    let draft = create(&staff, seed).await;
    assert_eq!(draft.status, NoticeStatus::Draft);
    assert_eq!(draft.doc_number.as_deref(), Some("津民发〔2020〕13号"));
    assert_eq!(draft.issuing_body.as_deref(), Some("天津市民政局"));
    assert_eq!(draft.issued_on, "2020-04-18".parse().ok());
    assert!(draft.published_at.is_none());

    let anonymous = server.client();
    assert_error(
        anonymous.get(&format!("/api/notices/{}", id(&draft))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(list(&anonymous, "").await.total, 0);

    let published = publish(&staff, id(&draft)).await;
    assert_eq!(published.status, NoticeStatus::Published);
    assert!(published.published_at.is_some());

    let board = list(&anonymous, "").await;
    assert_eq!(board.total, 1);
    assert_eq!(board.items[0].title, seed["title"]);
    assert!(board.items[0].excerpt.starts_with("各区民政局"));
    let public = read(&anonymous, id(&draft)).await;
    assert_eq!(public.title, seed["title"]);
    assert!(public.body_html.contains("<p>"));
    assert!(
        public.author_name.is_none(),
        "the public does not see which staff member wrote it"
    );
    let as_staff = read(&staff, id(&draft)).await;
    assert!(as_staff.author_name.is_some());

    // The board's answer is cached for everyone; a withdrawal must empty it at once.
    let withdrawn = staff
        .action(&format!("/api/notices/{}/withdraw", id(&draft)))
        .await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    assert_eq!(list(&anonymous, "").await.total, 0);
}

#[tokio::test]
async fn all_five_seed_notices_round_trip_with_their_provenance() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    for seed in seed_notices() {
        let notice = create(&staff, &seed).await;
        publish(&staff, id(&notice)).await;
        for (field, value) in [
            ("title", json!(notice.title)),
            ("issuing_body", json!(notice.issuing_body)),
            ("doc_number", json!(notice.doc_number)),
            ("issued_on", json!(notice.issued_on)),
            ("category", json!(notice.category)),
            ("pinned", json!(notice.pinned)),
        ] {
            assert_eq!(value, seed[field], "{field} of {}", seed["title"]);
        }
    }
    let board = list(&server.client(), "").await;
    assert_eq!(board.total, 5);
    assert_eq!(
        board.items[0].doc_number.as_deref(),
        Some("民发〔2020〕13号"),
        "the pinned one comes first"
    );
}

#[tokio::test]
async fn only_staff_write_and_moderate() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let draft = create(&staff, &json!({ "title": "草稿", "body": "正文" })).await;
    let draft_id = id(&draft);
    let anonymous = server.client();
    let attempts = |client: TestClient| async move {
        vec![
            client
                .post("/api/notices", &json!({ "title": "越权", "body": "x" }))
                .await,
            client
                .put(
                    &format!("/api/notices/{draft_id}"),
                    &json!({ "title": "越权", "body": "x" }),
                )
                .await,
            client
                .action(&format!("/api/notices/{draft_id}/publish"))
                .await,
            client
                .action(&format!("/api/notices/{draft_id}/withdraw"))
                .await,
            client
                .post("/api/notices/preview", &json!({ "body": "x" }))
                .await,
        ]
    };
    for response in attempts(anonymous.clone()).await {
        assert_error(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
    for role in [Role::Volunteer, Role::Resident] {
        for response in attempts(server.sign_in_as(role).await).await {
            assert_error(response, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
    let unchanged = read(&staff, draft_id).await;
    assert_eq!(unchanged.title, "草稿");
    assert_eq!(unchanged.status, NoticeStatus::Draft);
    assert_eq!(server.count("SELECT COUNT(*) FROM notices").await, 1);

    // Admins can do what staff can.
    let admin = server.sign_in_as(Role::Admin).await;
    assert_eq!(
        admin
            .action(&format!("/api/notices/{draft_id}/publish"))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn drafts_withdrawn_and_expired_lists_are_for_staff() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let draft = create(&staff, &json!({ "title": "草稿", "body": "x" })).await;
    let withdrawn = create(&staff, &json!({ "title": "撤回的", "body": "x" })).await;
    publish(&staff, id(&withdrawn)).await;
    assert_eq!(
        staff
            .action(&format!("/api/notices/{}/withdraw", id(&withdrawn)))
            .await
            .status(),
        StatusCode::OK
    );
    let expired = create(
        &staff,
        &json!({ "title": "过期的", "body": "x", "expires_at": "2021-01-01T00:00:00Z" }),
    )
    .await;
    publish(&staff, id(&expired)).await;
    let live = create(
        &staff,
        &json!({ "title": "有效的", "body": "x", "expires_at": "2999-01-01T00:00:00Z" }),
    )
    .await;
    publish(&staff, id(&live)).await;

    let anonymous = server.client();
    assert_eq!(titles(&list(&anonymous, "").await), vec!["有效的"]);
    for status in ["draft", "withdrawn", "expired", "all"] {
        assert_error(
            anonymous
                .get(&format!("/api/notices?status={status}"))
                .await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
        let resident = server.sign_in_as(Role::Resident).await;
        assert_error(
            resident.get(&format!("/api/notices?status={status}")).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    for (status, title) in [
        ("draft", "草稿"),
        ("withdrawn", "撤回的"),
        ("expired", "过期的"),
    ] {
        let listed = list(&staff, &format!("status={status}")).await;
        assert_eq!(listed.total, 1, "{status}");
        assert_eq!(listed.items[0].title, title);
    }
    assert_eq!(list(&staff, "status=all").await.total, 4);
    // Withdrawn: gone from the public; expired: still readable by its link, marked by its date.
    assert_error(
        anonymous
            .get(&format!("/api/notices/{}", id(&withdrawn)))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        anonymous.get(&format!("/api/notices/{}", id(&draft))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        anonymous
            .get(&format!("/api/notices/{}", id(&expired)))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn status_changes_follow_the_rules() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let notice = create(&staff, &json!({ "title": "通知", "body": "x" })).await;
    let n = id(&notice);
    assert_error(
        staff.action(&format!("/api/notices/{n}/withdraw")).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    publish(&staff, n).await;
    assert_error(
        staff.action(&format!("/api/notices/{n}/publish")).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    let withdrawn: Notice = reply(
        staff.action(&format!("/api/notices/{n}/withdraw")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(withdrawn.status, NoticeStatus::Withdrawn);
    assert_error(
        staff.action(&format!("/api/notices/{n}/withdraw")).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        publish(&staff, n).await.status,
        NoticeStatus::Published,
        "a withdrawn notice can be published again"
    );
    assert_error(
        staff.action("/api/notices/9999/publish").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let actions = server
        .count("SELECT COUNT(*) FROM audit_log WHERE target_type = 'notice' AND action IN ('notice.create', 'notice.publish', 'notice.withdraw')")
        .await;
    assert_eq!(actions, 4, "every change is in the audit trail");
}

#[tokio::test]
async fn the_board_is_pinned_first_newest_next_and_paged() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    for i in 1..=5 {
        let pinned = i == 2;
        let category = if i % 2 == 0 { "health" } else { "services" };
        let notice = create(&staff, &json!({ "title": format!("通知{i}"), "body": "x", "pinned": pinned, "category": category })).await;
        publish(&staff, id(&notice)).await;
    }
    let anonymous = server.client();
    let first = list(&anonymous, "per_page=2").await;
    assert_eq!(titles(&first), ["通知2", "通知5"]);
    assert_eq!((first.total, first.page, first.per_page), (5, 1, 2));
    let third = list(&anonymous, "per_page=2&page=3").await;
    assert_eq!(titles(&third), ["通知1"]);
    let beyond = list(&anonymous, "per_page=2&page=9").await;
    assert!(titles(&beyond).is_empty());
    let health = list(&anonymous, "category=health").await;
    assert_eq!(titles(&health), ["通知2", "通知4"]);
}

#[tokio::test]
async fn editing_keeps_the_status_and_re_renders_the_body() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let notice = create(&staff, &json!({ "title": "旧标题", "body": "旧正文" })).await;
    publish(&staff, id(&notice)).await;
    let response = staff
        .put(
            &format!("/api/notices/{}", id(&notice)),
            &json!({ "title": "新标题", "body": "**新**正文", "doc_number": "民发（2020）13号" }),
        )
        .await;
    let edited: Notice = reply(response, StatusCode::OK).await;
    assert_eq!(edited.title, "新标题");
    assert_eq!(edited.status, NoticeStatus::Published);
    assert_eq!(edited.doc_number.as_deref(), Some("民发〔2020〕13号"));
    assert!(edited.body_html.contains("<strong>新</strong>"));
    assert_error(
        staff
            .put("/api/notices/9999", &json!({ "title": "t", "body": "b" }))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn bodies_are_sanitised_before_anyone_sees_them() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let body = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[点我](javascript:alert(3))\n\n<a href=\"https://example.org\" onclick=\"steal()\">链接</a>\n\n<iframe src=\"https://evil.example\"></iframe>";
    let notice = create(&staff, &json!({ "title": "<b>标题</b>", "body": body })).await;
    let html = notice.body_html.to_ascii_lowercase();
    for forbidden in [
        "<script",
        "onerror",
        "javascript:",
        "onclick",
        "<iframe",
        "<img",
    ] {
        assert!(!html.contains(forbidden), "{forbidden} survived in {html}");
    }
    assert!(html.contains("href=\"https://example.org\""));
    // The title is plain text, stored as typed; the app renders it as text, never as HTML.
    assert_eq!(notice.title, "<b>标题</b>");
    let preview: PreviewResponse = reply(
        staff
            .post("/api/notices/preview", &json!({ "body": body }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(!preview.html.contains("<script"));
}

#[tokio::test]
async fn invalid_notices_are_refused_field_by_field() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let long_title = "长".repeat(121);
    let cases = [
        (json!({ "title": "", "body": "x" }), "title", "required"),
        (
            json!({ "title": long_title, "body": "x" }),
            "title",
            "too_long",
        ),
        (json!({ "title": "t", "body": "   " }), "body", "required"),
        (
            json!({ "title": "t", "body": "x", "doc_number": "第十三号" }),
            "doc_number",
            "invalid_doc_number",
        ),
        (
            json!({ "title": "t", "body": "x", "issued_on": "2020-04-18", "expires_at": "2020-04-01T00:00:00Z" }),
            "expires_at",
            "date_order",
        ),
        (
            json!({ "title": "t\u{0007}", "body": "x" }),
            "title",
            "invalid_characters",
        ),
    ];
    for (body, field, code) in cases {
        let error = assert_error(
            staff.post("/api/notices", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM notices").await, 0);
}
