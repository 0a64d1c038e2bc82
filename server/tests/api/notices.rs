//! Notices: staff write and publish, everyone reads the board.

use crate::helpers::{TestClient, TestServer, assert_error, json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::auth::Role;

/// The five public notices in shared/seeds, as fields (the demo community uses them too).
fn seed_notices() -> Vec<Value> {
    serde_json::from_str(include_str!("../../src/demo/notices.json")).expect("seed notices")
}

async fn create(staff: &TestClient, body: &Value) -> Value {
    let response = staff.post("/api/notices", body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "creating {body}");
    json(response).await
}

async fn publish(staff: &TestClient, id: i64) -> Value {
    let response = staff.action(&format!("/api/notices/{id}/publish")).await;
    assert_eq!(response.status(), StatusCode::OK);
    json(response).await
}

fn id(notice: &Value) -> i64 {
    notice["id"].as_i64().expect("an id")
}

#[tokio::test]
async fn staff_write_a_draft_publish_it_and_everyone_reads_it() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let seed = &seed_notices()[0];
    let draft = create(&staff, seed).await;
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["doc_number"], "津民发〔2020〕13号");
    assert_eq!(draft["issuing_body"], "天津市民政局");
    assert_eq!(draft["issued_on"], "2020-04-18");
    assert!(draft["published_at"].is_null());

    let anonymous = server.client();
    assert_error(
        anonymous.get(&format!("/api/notices/{}", id(&draft))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(json(anonymous.get("/api/notices").await).await["total"], 0);

    let published = publish(&staff, id(&draft)).await;
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].is_string());

    let board = json(anonymous.get("/api/notices").await).await;
    assert_eq!(board["total"], 1);
    assert_eq!(board["items"][0]["title"], seed["title"]);
    assert!(
        board["items"][0]["excerpt"]
            .as_str()
            .unwrap()
            .starts_with("各区民政局")
    );
    let read = json(anonymous.get(&format!("/api/notices/{}", id(&draft))).await).await;
    assert_eq!(read["title"], seed["title"]);
    assert!(read["body_html"].as_str().unwrap().contains("<p>"));
    assert!(
        read["author_name"].is_null(),
        "the public does not see which staff member wrote it"
    );
    let as_staff = json(staff.get(&format!("/api/notices/{}", id(&draft))).await).await;
    assert!(as_staff["author_name"].is_string());

    // The board's answer is cached for everyone; a withdrawal must empty it at once.
    let withdrawn = staff
        .action(&format!("/api/notices/{}/withdraw", id(&draft)))
        .await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    assert_eq!(json(anonymous.get("/api/notices").await).await["total"], 0);
}

#[tokio::test]
async fn all_five_seed_notices_round_trip_with_their_provenance() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    for seed in seed_notices() {
        let notice = create(&staff, &seed).await;
        publish(&staff, id(&notice)).await;
        for field in [
            "title",
            "issuing_body",
            "doc_number",
            "issued_on",
            "category",
            "pinned",
        ] {
            assert_eq!(notice[field], seed[field], "{field} of {}", seed["title"]);
        }
    }
    let board = json(server.client().get("/api/notices").await).await;
    assert_eq!(board["total"], 5);
    assert_eq!(
        board["items"][0]["doc_number"], "民发〔2020〕13号",
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
    let unchanged = json(staff.get(&format!("/api/notices/{draft_id}")).await).await;
    assert_eq!(unchanged["title"], "草稿");
    assert_eq!(unchanged["status"], "draft");
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
    let board = json(anonymous.get("/api/notices").await).await;
    let titles: Vec<&str> = board["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["有效的"]);
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
        let list = json(staff.get(&format!("/api/notices?status={status}")).await).await;
        assert_eq!(list["total"], 1, "{status}");
        assert_eq!(list["items"][0]["title"], title);
    }
    assert_eq!(
        json(staff.get("/api/notices?status=all").await).await["total"],
        4
    );
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
    let withdrawn = json(staff.action(&format!("/api/notices/{n}/withdraw")).await).await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_error(
        staff.action(&format!("/api/notices/{n}/withdraw")).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        publish(&staff, n).await["status"],
        "published",
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
    let titles = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = json(anonymous.get("/api/notices?per_page=2").await).await;
    assert_eq!(titles(&first), ["通知2", "通知5"]);
    assert_eq!(
        (
            first["total"].as_u64(),
            first["page"].as_u64(),
            first["per_page"].as_u64()
        ),
        (Some(5), Some(1), Some(2))
    );
    let third = json(anonymous.get("/api/notices?per_page=2&page=3").await).await;
    assert_eq!(titles(&third), ["通知1"]);
    let beyond = json(anonymous.get("/api/notices?per_page=2&page=9").await).await;
    assert!(titles(&beyond).is_empty());
    let health = json(anonymous.get("/api/notices?category=health").await).await;
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
    assert_eq!(response.status(), StatusCode::OK);
    let edited = json(response).await;
    assert_eq!(edited["title"], "新标题");
    assert_eq!(edited["status"], "published");
    assert_eq!(edited["doc_number"], "民发〔2020〕13号");
    assert!(
        edited["body_html"]
            .as_str()
            .unwrap()
            .contains("<strong>新</strong>")
    );
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
    let html = notice["body_html"].as_str().unwrap().to_ascii_lowercase();
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
    assert_eq!(notice["title"], "<b>标题</b>");
    let preview = json(
        staff
            .post("/api/notices/preview", &json!({ "body": body }))
            .await,
    )
    .await;
    assert!(!preview["html"].as_str().unwrap().contains("<script"));
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
