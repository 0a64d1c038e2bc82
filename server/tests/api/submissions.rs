//! Submitted updates: people submit, staff moderate, only verdicts reach the public.

use crate::fixtures::{inbox, reply};
use crate::helpers::{TestClient, TestServer, assert_error, json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::Page;
use shouwang_api::auth::{Account, Role};
use shouwang_api::board::{BoardItemKind, SearchHit};
use shouwang_api::notices::{Notice, NoticeCategory, NoticeStatus};
use shouwang_api::notifications::Message;
use shouwang_api::submissions::{
    BatchResult, BoardUpdate, ModerationEntry, MySubmission, QueueItem, SubmissionSettings,
    SubmissionStatus,
};

async fn submit(client: &TestClient, category: &str, text: &str) -> i64 {
    let response = client
        .post(
            "/api/submissions",
            &json!({ "category": category, "text": text, "place": "3号楼东门" }),
        )
        .await;
    let submitted: MySubmission = reply(response, StatusCode::CREATED).await;
    assert_eq!(submitted.status, SubmissionStatus::Pending);
    submitted.id
}

/// The caller's own submissions.
async fn mine(client: &TestClient) -> Page<MySubmission> {
    reply(client.get("/api/submissions/mine").await, StatusCode::OK).await
}

/// The moderation queue at `path` (`/api/submissions?...`).
async fn queue(staff: &TestClient, path: &str) -> Page<QueueItem> {
    reply(staff.get(path).await, StatusCode::OK).await
}

/// A moderator's decision on one submission: the item as it now is.
async fn decided(response: reqwest::Response) -> QueueItem {
    reply(response, StatusCode::OK).await
}

/// The verified updates on the public board.
async fn board_updates(server: &TestServer) -> Page<BoardUpdate> {
    reply(
        server.client().get("/api/board/updates").await,
        StatusCode::OK,
    )
    .await
}

async fn search(client: &TestClient, q: &str) -> Page<SearchHit> {
    reply(
        client
            .get(&format!("/api/board/search?q={}", urlencode(q)))
            .await,
        StatusCode::OK,
    )
    .await
}

async fn notice(server: &TestServer, id: i64) -> Notice {
    reply(
        server.client().get(&format!("/api/notices/{id}")).await,
        StatusCode::OK,
    )
    .await
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
    reply::<Account>(client.get("/api/auth/me").await, StatusCode::OK)
        .await
        .id
}

async fn public_board_mentions(server: &TestServer, needle: &str) -> bool {
    let anonymous = server.client();
    let updates = json(anonymous.get("/api/board/updates").await)
        .await
        .to_string();
    let feed = anonymous.get("/feed.xml").await.text().await.expect("feed");
    let search = search(&anonymous, needle).await;
    updates.contains(needle) || feed.contains(needle) || search.total != 0
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
    let own = mine(&resident).await;
    assert_eq!(own.total, 1);
    assert_eq!(own.items[0].status, SubmissionStatus::Pending);

    let pending = queue(&staff, "/api/submissions").await;
    assert_eq!(pending.total, 1);
    let item = &pending.items[0];
    assert_eq!(item.submitter.total, 1);
    assert!(!item.submitter.blocked);

    let mut body = verify_body();
    body["text"] = json!("东门今天15:00发放蔬菜包，凭出入证领取");
    let verified = staff
        .post(&format!("/api/submissions/{id}/verify"), &body)
        .await;
    let verified = decided(verified).await;
    assert_eq!(verified.status, SubmissionStatus::Published);
    assert_eq!(
        verified.text, "东门今天下午三点发放蔬菜包",
        "the original is kept"
    );
    assert_eq!(
        verified.published_text.as_deref(),
        Some("东门今天15:00发放蔬菜包，凭出入证领取")
    );

    let board = board_updates(&server).await;
    assert_eq!(board.total, 1);
    let update = &board.items[0];
    assert_eq!(update.text, "东门今天15:00发放蔬菜包，凭出入证领取");
    assert_eq!(update.provenance.verified_by_role, Role::Staff);
    assert_eq!(update.provenance.source_who, "物业公司");
    assert_eq!(update.provenance.source_how, "电话核实");
    // `verified_at` is a timestamp in the type: reading the reply checks it is there.

    assert_eq!(
        mine(&resident).await.items[0].status,
        SubmissionStatus::Published
    );
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
    assert_eq!(decided(response).await.status, SubmissionStatus::Rejected);

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
    let own = mine(&resident).await;
    assert_eq!(own.items[0].status, SubmissionStatus::Rejected);
    assert_eq!(
        own.items[0].reject_reason.as_deref(),
        Some("超市正常营业，已现场查看")
    );
    let told = &inbox(&resident).await.items[0];
    assert_eq!(told.kind, "submission.rejected");
    match told.message() {
        Some(Message::SubmissionRejected { reason, .. }) => {
            assert_eq!(reason, "超市正常营业，已现场查看");
        }
        other => panic!("a rejection with its reason, not {other:?}"),
    }
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
    assert_eq!(decided(merged).await.grouped, 1);
    assert_eq!(
        queue(&staff, "/api/submissions").await.total,
        1,
        "the group shows once"
    );

    let response = staff
        .post(&format!("/api/submissions/{claim}/rumour"), &rumour_body())
        .await;
    let rumour = decided(response).await;
    assert_eq!(rumour.status, SubmissionStatus::Rumour);
    let notice_id = rumour.debunk_notice_id.expect("a debunk");

    let debunk = notice(&server, notice_id).await;
    assert_eq!(debunk.category, NoticeCategory::Debunk);
    assert_eq!(debunk.status, NoticeStatus::Published);
    assert!(debunk.body.contains("街道办"));
    // Both askers are answered by the one verdict, with a link to the debunk.
    for asker in [&first, &second] {
        let own = mine(asker).await;
        assert_eq!(own.items[0].status, SubmissionStatus::Rumour);
        assert_eq!(own.items[0].debunk_notice_id, Some(notice_id));
        let told = &inbox(asker).await.items[0];
        assert_eq!(told.kind, "submission.rumour");
        assert_eq!(
            told.link.as_deref(),
            Some(format!("/notices/{notice_id}").as_str())
        );
    }
    // The rumour itself is not spread: only the debunk is public.
    assert!(!public_board_mentions(&server, "是真的吗").await);
    let found = search(&server.client(), "全区封控系谣言").await;
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].kind, BoardItemKind::Notice);
    let log: Page<ModerationEntry> = reply(
        staff
            .get(&format!("/api/moderation-log?submission={claim}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log.total, 1);
    assert_eq!(log.items[0].action, "mark_rumour");
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
        assert_eq!(mine(&other).await.total, 0);
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
    let settings: SubmissionSettings = reply(
        anonymous.get("/api/submissions/settings").await,
        StatusCode::OK,
    )
    .await;
    assert!(settings.anonymous_allowed);
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
    let pending = queue(&staff, "/api/submissions").await;
    assert!(pending.items[0].submitter.user_id.is_none());
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
    let pending = queue(&staff, "/api/submissions").await;
    assert!(pending.items[0].submitter.blocked);
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

    let page = queue(&staff, "/api/submissions?category=outage&per_page=2&page=2").await;
    assert_eq!(page.total, 5);
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[0].id, outages[2], "oldest first");
    assert_eq!(page.items[0].submitter.total, 6);

    let done = staff
        .post(
            "/api/submissions/batch",
            &json!({ "ids": [outages[0], outages[1], outages[2], 999_999],
                     "action": "verify", "verify": verify_body() }),
        )
        .await;
    let done: BatchResult = reply(done, StatusCode::OK).await;
    assert_eq!(done.done, [outages[0], outages[1], outages[2]]);
    assert_eq!(done.skipped, [999_999]);
    let rejected: BatchResult = reply(
        staff
            .post(
                "/api/submissions/batch",
                &json!({ "ids": [outages[3], outages[4], outages[0]],
                         "action": "reject", "reject": { "reason": "重复" } }),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rejected.skipped, [outages[0]]);
    assert_eq!(board_updates(&server).await.total, 3);
    let pending = queue(&staff, "/api/submissions").await;
    assert_eq!(pending.total, 1);
    assert_eq!(pending.items[0].id, question);
    let rejected = queue(&staff, "/api/submissions?status=rejected").await;
    assert_eq!(rejected.total, 2);
    assert_eq!(rejected.items[0].submitter.rejected, 2);
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
    let item: QueueItem = reply(
        staff.get(&format!("/api/submissions/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(item.text, nasty);
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
    let rumour = decided(
        staff
            .post(&format!("/api/submissions/{id}/rumour"), &body)
            .await,
    )
    .await;
    let notice_id = rumour.debunk_notice_id.expect("a debunk");
    let html = notice(&server, notice_id).await.body_html;
    for bad in ["<script", "onerror", "javascript:", "<iframe", "onclick"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
}
