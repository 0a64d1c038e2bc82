//! `Idempotency-Key`: a phone that lost the answer to a write (no signal in the
//! stairwell) sends it again from its queue, and the write happens once.

use crate::fixtures::{household, imported, register, room_ids};
use crate::helpers::{TestClient, TestServer, advance_clock, assert_error, json, run_due};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use shouwang::db::sql;
use shouwang_api::auth::Role;

async fn send_with_key(client: &TestClient, path: &str, key: &str, body: &Value) -> Response {
    client
        .send(
            client
                .http
                .post(client.url(path))
                .header("Idempotency-Key", key)
                .json(body),
        )
        .await
}

fn replayed(response: &Response) -> bool {
    response
        .headers()
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

async fn submissions_stored(server: &TestServer) -> i64 {
    server.count("SELECT COUNT(*) FROM submissions").await
}

async fn keys_stored(server: &TestServer) -> i64 {
    server.count("SELECT COUNT(*) FROM idempotency_keys").await
}

#[tokio::test]
async fn a_resent_submission_gets_the_first_answer_and_is_stored_once() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let body =
        json!({ "category": "supply_drop", "text": "3号楼门口到了一车蔬菜", "place": "3号楼东门" });

    let first = send_with_key(&resident, "/api/submissions", "k-1", &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(!replayed(&first), "the first request runs");
    let first = json(first).await;

    // The answer was lost on the way; the phone's queue sends it again, twice.
    for _ in 0..2 {
        let again = send_with_key(&resident, "/api/submissions", "k-1", &body).await;
        assert_eq!(again.status(), StatusCode::CREATED);
        assert!(replayed(&again), "a replay says so");
        assert_eq!(json(again).await, first, "the same answer, the same id");
    }
    assert_eq!(submissions_stored(&server).await, 1);
    assert_eq!(keys_stored(&server).await, 1);
}

#[tokio::test]
async fn a_replayed_check_in_does_not_undo_a_later_correction() {
    let server = TestServer::spawn().await;
    let structure = imported(&server, "网格,楼栋,单元,房号\n甲网格,1号楼,1单元,101").await;
    let room = room_ids(&structure.grid("甲网格").buildings[0])[0];
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let (resident, _) = register(
        &server,
        &household(
            room,
            "13912345678",
            json!([{ "name": "王建国", "phone": "13912345678", "relation": "self", "birth_year": 1975,
                     "risk": { "arrival_date": today - chrono::Duration::days(3), "arrival_from": "risk_area",
                               "arrival_place": "某市", "category": "risk_area_return",
                               "observation_start": today - chrono::Duration::days(3),
                               "observation_end": today + chrono::Duration::days(4) } }]),
        ),
    )
    .await;
    let me = json(resident.get("/api/health/me").await).await["members"][0]["member_id"].clone();

    // 38.2 queued in the stairwell; at home, with signal, corrected to 36.8.
    let fever = json!({ "member_id": me, "temperature": 38.2 });
    let first = send_with_key(&resident, "/api/health/me/check-ins", "c-1", &fever).await;
    assert_eq!(first.status(), StatusCode::OK);
    let first = json(first).await;
    let fixed = json!({ "member_id": me, "temperature": 36.8 });
    let corrected = send_with_key(&resident, "/api/health/me/check-ins", "c-2", &fixed).await;
    assert_eq!(corrected.status(), StatusCode::OK);

    // The queue, unsure the first got through, sends it again: the first answer comes
    // back and the correction stands.
    let again = send_with_key(&resident, "/api/health/me/check-ins", "c-1", &fever).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert!(replayed(&again));
    assert_eq!(json(again).await, first);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM health_check_ins WHERE temperature = 368")
            .await,
        1
    );
    assert_eq!(
        server.count("SELECT COUNT(*) FROM health_check_ins").await,
        1
    );
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused_and_changes_nothing() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let body = json!({ "category": "other", "text": "电梯坏了" });
    let first = send_with_key(&resident, "/api/submissions", "k-2", &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);

    let other = json!({ "category": "other", "text": "电梯又坏了" });
    let refused = send_with_key(&resident, "/api/submissions", "k-2", &other).await;
    let error = assert_error(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
    assert!(!error.message.is_empty());
    // Another endpoint with the same key is another request too.
    let elsewhere = send_with_key(&resident, "/api/supplies/requests", "k-2", &body).await;
    assert_error(
        elsewhere,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
    assert_eq!(submissions_stored(&server).await, 1);
    let texts: Vec<String> = sql::query_scalar("SELECT text FROM submissions")
        .fetch_all(&server.connect().await)
        .await
        .expect("the submissions");
    assert_eq!(texts, ["电梯坏了"]);
}

#[tokio::test]
async fn two_callers_using_the_same_key_are_independent() {
    let server = TestServer::spawn().await;
    let one = server.sign_in_as(Role::Resident).await;
    let other = server.sign_in_as(Role::Resident).await;
    let body = json!({ "category": "other", "text": "小区东门排队很长" });
    let a = json(send_with_key(&one, "/api/submissions", "same", &body).await).await;
    let b = send_with_key(&other, "/api/submissions", "same", &body).await;
    assert_eq!(b.status(), StatusCode::CREATED);
    assert!(!replayed(&b), "another caller's key is not ours to replay");
    let b = json(b).await;
    assert_ne!(a["id"], b["id"]);
    assert_eq!(submissions_stored(&server).await, 2);
    assert_eq!(keys_stored(&server).await, 2);
}

#[tokio::test]
async fn without_the_header_every_request_runs_as_before() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let body = json!({ "category": "other", "text": "垃圾没人收" });
    for _ in 0..2 {
        let response = resident.post("/api/submissions", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        assert!(!replayed(&response));
    }
    assert_eq!(submissions_stored(&server).await, 2);
    assert_eq!(keys_stored(&server).await, 0);
}

#[tokio::test]
async fn concurrent_duplicates_run_once_and_all_get_the_first_answer() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let body = json!({ "category": "question", "text": "独居老人需要买药" });
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let (resident, body) = (resident.clone(), body.clone());
        sends.spawn(async move {
            let answer = send_with_key(&resident, "/api/submissions", "burst", &body).await;
            (answer.status(), json(answer).await)
        });
    }
    let mut bodies = Vec::new();
    while let Some(answer) = sends.join_next().await {
        let (status, body) = answer.expect("a request task");
        assert_eq!(status, StatusCode::CREATED);
        bodies.push(body);
    }
    assert!(bodies.iter().all(|b| b == &bodies[0]), "{bodies:?}");
    assert_eq!(submissions_stored(&server).await, 1);
}

#[tokio::test]
async fn anonymous_senders_are_told_apart_by_their_identity_and_replays_are_not_rate_limited() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let on = admin
        .put(
            "/api/submissions/settings",
            &json!({ "anonymous_allowed": true }),
        )
        .await;
    assert_eq!(on.status(), StatusCode::OK);
    let visitor = server.client();
    let body = json!({ "text": "匿名反映：楼道灯坏了" });
    // Visitors may send three a while; five replays of one are still one.
    for _ in 0..5 {
        let response = send_with_key(&visitor, "/api/submissions", "anon-1", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM submissions WHERE submitter_id IS NULL")
            .await,
        1
    );
    let caller: String = sql::query_scalar("SELECT caller FROM idempotency_keys")
        .fetch_one(&server.connect().await)
        .await
        .expect("a stored key");
    assert!(caller.starts_with("anon:"), "{caller}");
    assert!(!caller.contains("127.0.0.1"), "the address is not stored");
}

#[tokio::test]
async fn a_malformed_key_is_refused_before_anything_runs() {
    let server = TestServer::spawn().await;
    let resident = server.sign_in_as(Role::Resident).await;
    let body = json!({ "category": "other", "text": "一条消息" });
    let long = "k".repeat(201);
    let error = assert_error(
        send_with_key(&resident, "/api/submissions", &long, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("Idempotency-Key"));
    assert_eq!(submissions_stored(&server).await, 0);
    assert_eq!(keys_stored(&server).await, 0);
}

#[tokio::test]
async fn keys_expire_after_a_day_and_the_jobs_delete_them() {
    let server = TestServer::spawn_with(&[
        "--test-hooks",
        "--test-now",
        "2026-12-07T10:00:00Z",
        "--session-hours",
        "72",
    ])
    .await;
    let resident = server.sign_in_as(Role::Resident).await;
    let body = json!({ "category": "other", "text": "快递堆在门口" });
    let first = send_with_key(&resident, "/api/submissions", "old", &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);

    advance_clock(&server, 23 * 3600).await;
    assert_eq!(run_due(&server).await["expired_idempotency_keys"], 0);
    assert_eq!(keys_stored(&server).await, 1);

    advance_clock(&server, 2 * 3600).await;
    assert_eq!(run_due(&server).await["expired_idempotency_keys"], 1);
    assert_eq!(keys_stored(&server).await, 0);
    // An expired key is forgotten: sending it again is a new request.
    let later = send_with_key(&resident, "/api/submissions", "old", &body).await;
    assert_eq!(later.status(), StatusCode::CREATED);
    assert!(!replayed(&later));
    assert_eq!(submissions_stored(&server).await, 2);
}

#[tokio::test]
async fn the_openapi_document_names_the_header() {
    let server = TestServer::spawn().await;
    let doc = json(server.client().get("/api/openapi.json").await).await;
    let parameters = &doc["paths"]["/api/health/me/check-ins"]["post"]["parameters"];
    assert!(
        parameters.as_array().is_some_and(|p| p
            .iter()
            .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header")),
        "{parameters}"
    );
}
