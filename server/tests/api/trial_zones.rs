//! Issue 14, what a grid worker and residents met in the trial: zone changes published
//! twice, a household named on the board, no number to call, dates a day behind after
//! midnight, and askers treated as rumour-mongers.

use crate::helpers::{TestClient, TestServer, assert_error, json};
use crate::zones::community;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::auth::Role;

fn sealing(reason: &str) -> Value {
    json!({ "zone": "sealed", "reason": reason, "planned_end": "2099-01-01T00:00:00Z" })
}

async fn put_zone(staff: &TestClient, building: i64, body: &Value) -> reqwest::Response {
    staff
        .put(&format!("/api/zones/buildings/{building}"), body)
        .await
}

async fn notices_titled(server: &TestServer, title: &str, status: &str) -> i64 {
    server
        .count(&format!(
            "SELECT COUNT(*) FROM notices WHERE title = '{title}' AND status = '{status}'"
        ))
        .await
}

#[tokio::test]
async fn tapping_set_zone_twice_publishes_one_notice_and_says_why_the_second_was_refused() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let first = put_zone(&c.staff_a, c.building_a, &sealing("楼内出现阳性病例")).await;
    assert_eq!(first.status(), StatusCode::OK);

    let again = put_zone(&c.staff_a, c.building_a, &sealing("楼内出现阳性病例")).await;
    assert_error(again, StatusCode::CONFLICT, "zone_unchanged").await;

    assert_eq!(
        notices_titled(&server, "1号楼调整为封控区", "published").await,
        1
    );
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM building_zones WHERE building_id = {}",
                c.building_a
            ))
            .await,
        1
    );
}

#[tokio::test]
async fn a_newer_decision_for_a_building_replaces_its_earlier_notice_on_the_board() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let sealed = json(put_zone(&c.staff_a, c.building_a, &sealing("楼内出现阳性病例")).await).await;
    let sealed_notice = sealed[0]["notice_id"].as_i64().expect("the sealing notice");

    // A new planned end is a new decision: it replaces the first notice.
    let mut extended = sealing("楼内出现阳性病例");
    extended["planned_end"] = json!("2099-02-01T00:00:00Z");
    let extended = json(put_zone(&c.staff_a, c.building_a, &extended).await).await;
    let extended_notice = extended[0]["notice_id"].as_i64().expect("the new notice");

    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM notices WHERE id = {sealed_notice} AND status = 'withdrawn'"
            ))
            .await,
        1,
        "the first notice left the board"
    );
    assert_eq!(
        server
            .client()
            .get(&format!("/api/notices/{sealed_notice}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM notice_supersessions WHERE notice_id = {sealed_notice} AND superseded_by = {extended_notice}"
            ))
            .await,
        1
    );
    assert_eq!(
        notices_titled(&server, "1号楼调整为封控区", "published").await,
        1
    );

    // Lifting the zone replaces it in turn.
    let lifted = put_zone(
        &c.staff_a,
        c.building_a,
        &json!({ "zone": "precaution", "reason": "连续14天无新增" }),
    )
    .await;
    assert_eq!(lifted.status(), StatusCode::OK);
    assert_eq!(
        notices_titled(&server, "1号楼调整为封控区", "published").await,
        0
    );
    assert_eq!(
        notices_titled(&server, "1号楼调整为防范区", "published").await,
        1
    );
}

#[tokio::test]
async fn a_public_reason_that_names_a_room_a_phone_or_a_resident_needs_confirmation() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    for (reason, finding) in [
        ("2号楼1单元302住户发热", "room"),
        ("发热住户电话13812345678", "phone"),
        ("王建国家有人发热", "name"),
    ] {
        let refused = put_zone(&c.staff_a, c.building_a, &sealing(reason)).await;
        let body = assert_error(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "public_text_personal_data",
        )
        .await;
        assert_eq!(body.field.as_deref(), Some("reason"));
        let preview = json(
            c.staff_a
                .post(
                    &format!("/api/zones/buildings/{}/preview", c.building_a),
                    &sealing(reason),
                )
                .await,
        )
        .await;
        assert_eq!(preview["findings"][0]["kind"], finding, "{reason}");
        assert!(preview["body"].as_str().unwrap().contains(reason));
    }
    // Nothing was published while refused.
    assert_eq!(server.count("SELECT COUNT(*) FROM notices").await, 0);
    assert_eq!(server.count("SELECT COUNT(*) FROM building_zones").await, 0);

    let mut confirmed = sealing("2号楼1单元302住户发热");
    confirmed["confirm_public_text"] = json!(true);
    assert_eq!(
        put_zone(&c.staff_a, c.building_a, &confirmed)
            .await
            .status(),
        StatusCode::OK
    );
    let audit = server
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'zone.set' AND detail LIKE '%\"public_text_confirmed\":true%'")
        .await;
    assert_eq!(audit, 1, "the confirmation is in the audit trail");
}

#[tokio::test]
async fn the_internal_note_stays_with_staff_and_residents_get_a_number_to_call() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let body = json!({
        "zone": "sealed", "reason": "楼内出现阳性病例",
        "internal_note": "101室王建国家核酸阳性，已转运",
        "contact_name": "网格值班", "contact_phone": "022-2345 6789",
    });
    let history = json(put_zone(&c.staff_a, c.building_a, &body).await).await;
    assert_eq!(history[0]["internal_note"], "101室王建国家核酸阳性，已转运");
    assert_eq!(history[0]["contact_phone"], "02223456789");
    let notice_id = history[0]["notice_id"].as_i64().unwrap();

    let notice = json(
        server
            .client()
            .get(&format!("/api/notices/{notice_id}"))
            .await,
    )
    .await;
    let public = notice["body"].as_str().unwrap();
    assert!(
        !public.contains("王建国") && !public.contains("101"),
        "{public}"
    );
    assert!(public.contains("联系电话：网格值班 02223456789"));

    let mine = json(c.resident_a.get("/api/zones/mine").await).await;
    assert_eq!(mine["contact_name"], "网格值班");
    assert_eq!(mine["contact_phone"], "02223456789");
    assert!(
        !mine.to_string().contains("王建国家"),
        "no internal note for residents"
    );

    let mut bad = body.clone();
    bad["contact_phone"] = json!("12345");
    bad["zone"] = json!("controlled");
    let refused = put_zone(&c.staff_a, c.building_a, &bad).await;
    let error = assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_phone").await;
    assert_eq!(error.field.as_deref(), Some("contact_phone"));
}

#[tokio::test]
async fn only_the_buildings_staff_may_preview_its_notice() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let path = format!("/api/zones/buildings/{}/preview", c.building_a);
    let body = sealing("楼内出现阳性病例");
    assert_error(
        server.client().post(&path, &body).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_error(
        c.resident_a.post(&path, &body).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        c.staff_b.post(&path, &body).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(c.admin.post(&path, &body).await.status(), StatusCode::OK);
    assert_eq!(server.count("SELECT COUNT(*) FROM notices").await, 0);
}

/// A debunk and a zone notice published at `now` (UTC), and the community's calendar.
async fn dates_at(now: &str) -> (Value, Value, Value) {
    let server = TestServer::spawn_with(&["--test-now", now]).await;
    let c = community(&server).await;
    let asker = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let asked = json(
        asker
            .post(
                "/api/submissions",
                &json!({ "category": "rumour_check", "text": "听说明天全区封控，是真的吗？" }),
            )
            .await,
    )
    .await;
    let debunked = json(
        staff
            .post(
                &format!("/api/submissions/{}/rumour", asked["id"]),
                &json!({ "title": "【辟谣】全区封控系谣言", "body": "经核实，该消息不实。",
                         "source_who": "街道办", "source_how": "电话核实" }),
            )
            .await,
    )
    .await;
    let debunk = json(
        server
            .client()
            .get(&format!("/api/notices/{}", debunked["debunk_notice_id"]))
            .await,
    )
    .await;
    let zone = json(put_zone(&c.staff_a, c.building_a, &sealing("楼内出现阳性病例")).await).await;
    let zone_notice = json(
        server
            .client()
            .get(&format!("/api/notices/{}", zone[0]["notice_id"]))
            .await,
    )
    .await;
    let calendar = json(server.client().get("/api/community/calendar").await).await;
    (debunk, zone_notice, calendar)
}

#[tokio::test]
async fn at_half_past_midnight_beijing_time_notices_carry_the_new_day() {
    // 00:30 on 7 December in Beijing: still the 6th in UTC.
    let (debunk, zone, calendar) = dates_at("2026-12-06T16:30:00Z").await;
    assert_eq!(debunk["issued_on"], "2026-12-07");
    assert_eq!(zone["issued_on"], "2026-12-07");
    assert!(zone["body"].as_str().unwrap().contains("2026-12-07 00:30"));
    assert_eq!(calendar["today"], "2026-12-07");
    assert_eq!(calendar["utc_offset_minutes"], 480);
}

#[tokio::test]
async fn at_half_past_eleven_at_night_beijing_time_it_is_still_the_same_day() {
    let (debunk, zone, calendar) = dates_at("2026-12-07T15:30:00Z").await;
    assert_eq!(debunk["issued_on"], "2026-12-07");
    assert_eq!(zone["issued_on"], "2026-12-07");
    assert_eq!(calendar["today"], "2026-12-07");
}

async fn submit(client: &TestClient, category: &str, text: &str) -> i64 {
    let response = client
        .post(
            "/api/submissions",
            &json!({ "category": category, "text": text }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json(response).await["id"].as_i64().unwrap()
}

fn debunk_body() -> Value {
    json!({ "title": "【辟谣】全区封控系谣言", "body": "经核实，该消息不实。",
            "source_who": "街道办", "source_how": "电话核实" })
}

#[tokio::test]
async fn asking_whether_a_rumour_is_true_never_counts_against_the_asker() {
    let server = TestServer::spawn().await;
    let asker = server.sign_in_as(Role::Resident).await;
    let spreader = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let asked = submit(&asker, "rumour_check", "群里说明天全区封控，是真的吗？").await;
    let claimed = submit(&spreader, "closure", "明天全区封控，赶紧囤菜！").await;
    for id in [asked, claimed] {
        let debunked = staff
            .post(&format!("/api/submissions/{id}/rumour"), &debunk_body())
            .await;
        assert_eq!(debunked.status(), StatusCode::OK);
    }
    // Both come back with another report: the queue shows their records beside it.
    submit(&asker, "other", "东门的消毒液用完了").await;
    submit(&spreader, "other", "西门排队很长").await;
    let queue = json(staff.get("/api/submissions").await).await;
    let record = |text: &str| {
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["text"] == text)
            .map(|i| i["submitter"]["rumour"].clone())
            .unwrap()
    };
    assert_eq!(record("东门的消毒液用完了"), 0, "the asker spread nothing");
    assert_eq!(record("西门排队很长"), 1, "the one who asserted it did");
}

#[tokio::test]
async fn a_question_gets_a_private_answer_the_asker_reads() {
    let server = TestServer::spawn().await;
    let asker = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let question = submit(&asker, "question", "封控期间孩子的疫苗可以推迟吗？").await;

    let answered = staff
        .post(
            &format!("/api/submissions/{question}/answer"),
            &json!({ "answer": "可以，解封后到社区卫生服务中心补种。" }),
        )
        .await;
    assert_eq!(answered.status(), StatusCode::OK);
    assert_eq!(json(answered).await["status"], "answered");

    let mine = json(asker.get("/api/submissions/mine").await).await;
    assert_eq!(mine["items"][0]["status"], "answered");
    assert_eq!(
        mine["items"][0]["answer"],
        "可以，解封后到社区卫生服务中心补种。"
    );
    let inbox = json(asker.get("/api/notifications").await).await;
    assert_eq!(inbox["items"][0]["kind"], "submission.answered");
    // Private: not on the board, and out of the pending queue.
    let updates = json(server.client().get("/api/board/updates").await).await;
    assert!(!updates.to_string().contains("疫苗"));
    assert_eq!(json(staff.get("/api/submissions").await).await["total"], 0);
    let done = json(staff.get("/api/submissions?status=answered").await).await;
    assert_eq!(done["total"], 1);
    let log = json(
        staff
            .get(&format!("/api/moderation-log?submission={question}"))
            .await,
    )
    .await;
    assert_eq!(log["items"][0]["action"], "answer");
    assert_eq!(log["items"][0]["detail"]["published"], false);
    // Answered once: no verdict after it.
    let again = staff
        .post(
            &format!("/api/submissions/{question}/verify"),
            &json!({ "source_who": "物业", "source_how": "电话" }),
        )
        .await;
    assert_error(again, StatusCode::CONFLICT, "illegal_transition").await;
}

#[tokio::test]
async fn a_question_may_be_answered_as_a_public_qa() {
    let server = TestServer::spawn().await;
    let asker = server.sign_in_as(Role::Resident).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let question = submit(&asker, "question", "核酸检测需要带身份证吗？").await;
    let answered = staff
        .post(
            &format!("/api/submissions/{question}/answer"),
            &json!({ "answer": "需要，请带身份证或户口本。", "publish": true }),
        )
        .await;
    assert_eq!(json(answered).await["status"], "published");
    let updates = json(server.client().get("/api/board/updates").await).await;
    assert_eq!(
        updates["items"][0]["text"],
        "问：核酸检测需要带身份证吗？\n答：需要，请带身份证或户口本。"
    );
}

#[tokio::test]
async fn only_staff_answer_and_only_questions() {
    let server = TestServer::spawn().await;
    let asker = server.sign_in_as(Role::Resident).await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let staff = server.sign_in_as(Role::Staff).await;
    let question = submit(&asker, "question", "菜什么时候到？").await;
    let report = submit(&asker, "outage", "3号楼停水了").await;
    let path = format!("/api/submissions/{question}/answer");
    let body = json!({ "answer": "明天上午" });
    for (who, status, code) in [
        (&asker, StatusCode::FORBIDDEN, "forbidden"),
        (&volunteer, StatusCode::FORBIDDEN, "forbidden"),
    ] {
        assert_error(who.post(&path, &body).await, status, code).await;
    }
    assert_error(
        server.client().post(&path, &body).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let blank = staff.post(&path, &json!({ "answer": " " })).await;
    let error = assert_error(blank, StatusCode::UNPROCESSABLE_ENTITY, "required").await;
    assert_eq!(error.field.as_deref(), Some("answer"));
    assert_error(
        staff
            .post(&format!("/api/submissions/{report}/answer"), &body)
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM submissions WHERE answer IS NOT NULL OR answered_at IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM moderation_log WHERE action = 'answer'")
            .await,
        0
    );
}
