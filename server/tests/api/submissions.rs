//! Submitted updates: people submit, staff moderate, only verdicts reach the public.

use crate::helpers::{TestClient, TestServer, assert_error, json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::auth::Role;

async fn submit(client: &TestClient, category: &str, text: &str) -> i64 {
    let response = client
        .post(
            "/api/submissions",
            &json!({ "category": category, "text": text, "place": "3号楼东门" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "submitting {text}");
    let body = json(response).await;
    assert_eq!(body["status"], "pending");
    body["id"].as_i64().expect("an id")
}

fn verify_body() -> Value {
    json!({ "source_who": "物业公司", "source_how": "电话核实" })
}

fn rumour_body() -> Value {
    json!({
        "title": "【辟谣】明天全区封控系谣言",
        "body": "经向街道核实，**明天全区封控**的说法不实，请勿转发。",
        "source_who": "街道办",
        "source_how": "电话核实"
    })
}

async fn my_id(client: &TestClient) -> i64 {
    json(client.get("/api/auth/me").await).await["id"]
        .as_i64()
        .expect("my id")
}

async fn public_board_mentions(server: &TestServer, needle: &str) -> bool {
    let anonymous = server.client();
    let updates = json(anonymous.get("/api/board/updates").await)
        .await
        .to_string();
    let feed = anonymous.get("/feed.xml").await.text().await.expect("feed");
    let search = json(
        anonymous
            .get(&format!("/api/board/search?q={}", urlencode(needle)))
            .await,
    )
    .await;
    updates.contains(needle) || feed.contains(needle) || search["total"] != 0
}

pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn a_resident_submits_staff_verify_and_the_board_shows_provenance() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let id = submit(&resident, "supply_drop", "东门今天下午三点发放蔬菜包").await;

    // Nothing is public before a moderator acts.
    assert!(!public_board_mentions(&server, "发放蔬菜包").await);
    let mine = json(resident.get("/api/submissions/mine").await).await;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["status"], "pending");

    let queue = json(staff.get("/api/submissions").await).await;
    assert_eq!(queue["total"], 1);
    let item = &queue["items"][0];
    assert_eq!(item["submitter"]["total"], 1);
    assert_eq!(item["submitter"]["blocked"], false);

    let mut body = verify_body();
    body["text"] = json!("东门今天15:00发放蔬菜包，凭出入证领取");
    let verified = staff
        .post(&format!("/api/submissions/{id}/verify"), &body)
        .await;
    assert_eq!(verified.status(), StatusCode::OK);
    let verified = json(verified).await;
    assert_eq!(verified["status"], "published");
    assert_eq!(
        verified["text"], "东门今天下午三点发放蔬菜包",
        "the original is kept"
    );
    assert_eq!(
        verified["published_text"],
        "东门今天15:00发放蔬菜包，凭出入证领取"
    );

    let board = json(server.client().get("/api/board/updates").await).await;
    assert_eq!(board["total"], 1);
    let update = &board["items"][0];
    assert_eq!(update["text"], "东门今天15:00发放蔬菜包，凭出入证领取");
    assert_eq!(update["provenance"]["verified_by_role"], "staff");
    assert_eq!(update["provenance"]["source_who"], "物业公司");
    assert_eq!(update["provenance"]["source_how"], "电话核实");
    assert!(update["provenance"]["verified_at"].is_string());

    let mine = json(resident.get("/api/submissions/mine").await).await;
    assert_eq!(mine["items"][0]["status"], "published");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM notifications WHERE kind = 'submission.verified'")
            .await,
        1
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM moderation_log WHERE action = 'verify'")
            .await,
        1
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'submission.verify'")
            .await,
        1
    );
    // Deciding twice is refused.
    assert_error(
        staff
            .post(&format!("/api/submissions/{id}/verify"), &verify_body())
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
}

#[tokio::test]
async fn a_rejected_submission_never_appears_publicly_and_its_submitter_learns_why() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let id = submit(&resident, "closure", "听说幸福里超市被查封了").await;
    let response = staff
        .post(
            &format!("/api/submissions/{id}/reject"),
            &json!({ "reason": "超市正常营业，已现场查看" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json(response).await["status"], "rejected");

    assert!(!public_board_mentions(&server, "超市被查封").await);
    assert_error(
        server
            .client()
            .get(&format!("/api/board/updates/{id}"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let mine = json(resident.get("/api/submissions/mine").await).await;
    assert_eq!(mine["items"][0]["status"], "rejected");
    assert_eq!(
        mine["items"][0]["reject_reason"],
        "超市正常营业，已现场查看"
    );
    let inbox = json(resident.get("/api/notifications").await).await;
    assert_eq!(inbox["items"][0]["kind"], "submission.rejected");
    assert_eq!(
        inbox["items"][0]["params"]["reason"],
        "超市正常营业，已现场查看"
    );
}

#[tokio::test]
async fn a_rumour_is_answered_by_a_published_debunk_linked_to_every_asker() {
    let server = TestServer::spawn().await;
    let first = server.sign_in_as(Role::Resident).await;
    let second = server.sign_in_as(Role::Volunteer).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let claim = submit(&first, "rumour_check", "群里说明天全区封控，是真的吗？").await;
    let duplicate = submit(&second, "rumour_check", "明天是不是要全区封控了").await;

    let merged = staff
        .post(
            &format!("/api/submissions/{duplicate}/merge"),
            &json!({ "into": claim }),
        )
        .await;
    assert_eq!(merged.status(), StatusCode::OK);
    assert_eq!(json(merged).await["grouped"], 1);
    let queue = json(staff.get("/api/submissions").await).await;
    assert_eq!(queue["total"], 1, "the group shows once");

    let response = staff
        .post(&format!("/api/submissions/{claim}/rumour"), &rumour_body())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let decided = json(response).await;
    assert_eq!(decided["status"], "rumour");
    let notice_id = decided["debunk_notice_id"].as_i64().expect("a debunk");

    let notice = json(
        server
            .client()
            .get(&format!("/api/notices/{notice_id}"))
            .await,
    )
    .await;
    assert_eq!(notice["category"], "debunk");
    assert_eq!(notice["status"], "published");
    assert!(notice["body"].as_str().unwrap().contains("街道办"));
    // Both askers are answered by the one verdict, with a link to the debunk.
    for asker in [&first, &second] {
        let mine = json(asker.get("/api/submissions/mine").await).await;
        assert_eq!(mine["items"][0]["status"], "rumour");
        assert_eq!(mine["items"][0]["debunk_notice_id"], notice_id);
        let inbox = json(asker.get("/api/notifications").await).await;
        assert_eq!(inbox["items"][0]["kind"], "submission.rumour");
        assert_eq!(inbox["items"][0]["link"], format!("/notices/{notice_id}"));
    }
    // The rumour itself is not spread: only the debunk is public.
    assert!(!public_board_mentions(&server, "是真的吗").await);
    let search = json(
        server
            .client()
            .get(&format!(
                "/api/board/search?q={}",
                urlencode("全区封控系谣言")
            ))
            .await,
    )
    .await;
    assert_eq!(search["total"], 1);
    assert_eq!(search["items"][0]["kind"], "notice");
    let log = json(
        staff
            .get(&format!("/api/moderation-log?submission={claim}"))
            .await,
    )
    .await;
    assert_eq!(log["total"], 1);
    assert_eq!(log["items"][0]["action"], "mark_rumour");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM moderation_log WHERE action IN ('merge', 'mark_rumour')")
            .await,
        2
    );
}

#[tokio::test]
async fn residents_and_volunteers_cannot_moderate_or_see_others_pending_items() {
    let server = TestServer::spawn().await;
    let author = server.sign_in_as(Role::Resident).await;
    let id = submit(&author, "question", "核酸检测点几点开门？").await;
    let other_id = submit(&author, "other", "另一条").await;
    for role in [Role::Resident, Role::Volunteer] {
        let other = server.sign_in_as(role).await;
        assert_error(
            other.get("/api/submissions").await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_error(
            other.get(&format!("/api/submissions/{id}")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_eq!(
            json(other.get("/api/submissions/mine").await).await["total"],
            0
        );
        for (path, body) in [
            ("verify", verify_body()),
            ("reject", json!({ "reason": "x" })),
            ("rumour", rumour_body()),
            ("merge", json!({ "into": other_id })),
        ] {
            assert_error(
                other
                    .post(&format!("/api/submissions/{id}/{path}"), &body)
                    .await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
        assert_error(
            other
                .post(
                    "/api/submissions/batch",
                    &json!({ "ids": [id], "action": "reject", "reject": { "reason": "x" } }),
                )
                .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_error(
            other.get("/api/moderation-log").await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    // The author may look at their own submission.
    assert_eq!(
        author.get(&format!("/api/submissions/{id}")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM submissions WHERE status = 'pending' AND group_id IS NULL")
            .await,
        2,
        "nothing changed"
    );
    assert_eq!(server.count("SELECT COUNT(*) FROM moderation_log").await, 0);
    assert_eq!(server.count("SELECT COUNT(*) FROM notices").await, 0);
    // Signed out: no queue, no submitting while anonymous submissions are off.
    let anonymous = server.client();
    assert_error(
        anonymous.get("/api/submissions").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_error(
        anonymous
            .post("/api/submissions", &json!({ "text": "匿名" }))
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn anonymous_submissions_need_an_admin_and_are_rate_limited() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let staff = server.sign_in_as(Role::Staff).await;
    assert_error(
        staff
            .put(
                "/api/submissions/settings",
                &json!({ "anonymous_allowed": true }),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let on = admin
        .put(
            "/api/submissions/settings",
            &json!({ "anonymous_allowed": true }),
        )
        .await;
    assert_eq!(on.status(), StatusCode::OK);
    let anonymous = server.client();
    assert_eq!(
        json(anonymous.get("/api/submissions/settings").await).await["anonymous_allowed"],
        true
    );
    for i in 0..3 {
        let response = anonymous
            .post(
                "/api/submissions",
                &json!({ "text": format!("匿名反映 {i}") }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let limited = anonymous
        .post("/api/submissions", &json!({ "text": "第四条" }))
        .await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM submissions WHERE submitter_id IS NULL")
            .await,
        3
    );
    let queue = json(staff.get("/api/submissions").await).await;
    assert!(queue["items"][0]["submitter"]["user_id"].is_null());
}

#[tokio::test]
async fn staff_block_an_abusive_submitter() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let resident_id = my_id(&resident).await;
    submit(&resident, "other", "垃圾信息").await;
    assert_error(
        resident
            .post(
                &format!("/api/submitters/{resident_id}/block"),
                &json!({ "reason": "x" }),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let blocked = staff
        .post(
            &format!("/api/submitters/{resident_id}/block"),
            &json!({ "reason": "多次提交骚扰信息" }),
        )
        .await;
    assert_eq!(blocked.status(), StatusCode::NO_CONTENT);
    assert_error(
        resident
            .post("/api/submissions", &json!({ "text": "再发一条" }))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let queue = json(staff.get("/api/submissions").await).await;
    assert_eq!(queue["items"][0]["submitter"]["blocked"], true);
    let staff_id = my_id(&staff).await;
    assert_error(
        staff
            .post(
                &format!("/api/submitters/{staff_id}/block"),
                &json!({ "reason": "x" }),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let unblocked = staff
        .action(&format!("/api/submitters/{resident_id}/unblock"))
        .await;
    assert_eq!(unblocked.status(), StatusCode::NO_CONTENT);
    submit(&resident, "other", "解封后的正常反映").await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM moderation_log WHERE action IN ('block', 'unblock')")
            .await,
        2
    );
}

#[tokio::test]
async fn the_queue_filters_pages_and_decides_in_batches() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let mut outages = Vec::new();
    for i in 0..5 {
        outages.push(submit(&resident, "outage", &format!("{i}号楼停水")).await);
    }
    let question = submit(&resident, "question", "几点开始核酸？").await;

    let page = json(
        staff
            .get("/api/submissions?category=outage&per_page=2&page=2")
            .await,
    )
    .await;
    assert_eq!(page["total"], 5);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["id"], outages[2], "oldest first");
    assert_eq!(page["items"][0]["submitter"]["total"], 6);

    let done = staff
        .post(
            "/api/submissions/batch",
            &json!({ "ids": [outages[0], outages[1], outages[2], 999_999],
                     "action": "verify", "verify": verify_body() }),
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let done = json(done).await;
    assert_eq!(done["done"], json!([outages[0], outages[1], outages[2]]));
    assert_eq!(done["skipped"], json!([999_999]));
    let rejected = json(
        staff
            .post(
                "/api/submissions/batch",
                &json!({ "ids": [outages[3], outages[4], outages[0]],
                         "action": "reject", "reject": { "reason": "重复" } }),
            )
            .await,
    )
    .await;
    assert_eq!(rejected["skipped"], json!([outages[0]]));
    assert_eq!(
        json(server.client().get("/api/board/updates").await).await["total"],
        3
    );
    let pending = json(staff.get("/api/submissions").await).await;
    assert_eq!(pending["total"], 1);
    assert_eq!(pending["items"][0]["id"], question);
    let rejected = json(staff.get("/api/submissions?status=rejected").await).await;
    assert_eq!(rejected["total"], 2);
    assert_eq!(rejected["items"][0]["submitter"]["rejected"], 2);
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    for (body, field, code) in [
        (json!({ "text": "   " }), "text", "required"),
        (json!({ "text": "x".repeat(1001) }), "text", "too_long"),
        (json!({ "text": "a\u{0}b" }), "text", "invalid_characters"),
        (
            json!({ "text": "ok", "category": "gossip" }),
            "category",
            "invalid_value",
        ),
        (
            json!({ "text": "ok", "place": "p".repeat(61) }),
            "place",
            "too_long",
        ),
        (
            json!({ "text": "ok", "building_id": 424_242 }),
            "building_id",
            "invalid_value",
        ),
        (json!({ "text": 5 }), "text", "invalid_type"),
    ] {
        let error = assert_error(
            resident.post("/api/submissions", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM submissions").await, 0);
    let id = submit(&resident, "other", "正常").await;
    let error = assert_error(
        staff
            .post(
                &format!("/api/submissions/{id}/verify"),
                &json!({ "source_who": "", "source_how": "电话" }),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "required",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("source_who"));
    let error = assert_error(
        staff
            .post(
                &format!("/api/submissions/{id}/merge"),
                &json!({ "into": id }),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("into"));
    assert_error(
        staff
            .post("/api/submissions/999999/reject", &json!({ "reason": "x" }))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM submissions WHERE status = 'pending'")
            .await,
        1
    );
}

#[tokio::test]
async fn markup_in_submissions_stays_text_and_debunks_are_sanitised() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let nasty = "<script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">点我</a>";
    let id = submit(&resident, "rumour_check", nasty).await;
    // Stored and returned verbatim as text: the app renders it as text, never as HTML.
    let item = json(staff.get(&format!("/api/submissions/{id}")).await).await;
    assert_eq!(item["text"], nasty);
    let other = submit(&resident, "other", nasty).await;
    staff
        .post(&format!("/api/submissions/{other}/verify"), &verify_body())
        .await;
    let feed = server
        .client()
        .get("/feed.xml")
        .await
        .text()
        .await
        .expect("feed");
    assert!(!feed.contains("<script>"), "{feed}");
    assert!(!feed.contains("<img"), "{feed}");
    assert!(feed.contains("&lt;script&gt;"));

    let mut body = rumour_body();
    body["body"] = json!(format!(
        "{nasty}\n\n[链接](javascript:alert(4)) <iframe src=\"https://evil.example\"></iframe> <b onclick=\"x()\">粗体</b>"
    ));
    let decided = json(
        staff
            .post(&format!("/api/submissions/{id}/rumour"), &body)
            .await,
    )
    .await;
    let notice_id = decided["debunk_notice_id"].as_i64().expect("a debunk");
    let notice = json(
        server
            .client()
            .get(&format!("/api/notices/{notice_id}"))
            .await,
    )
    .await;
    let html = notice["body_html"].as_str().expect("html");
    for bad in ["<script", "onerror", "javascript:", "<iframe", "onclick"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
}
