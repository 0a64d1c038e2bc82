//! What residents, volunteers and grid workers met in the trial (issue 14), told through
//! the API: urgent requests first, a request's history as codes the app words in the
//! reader's language, notices that say they ask for a receipt, and the duty hotline a
//! household with a fever is given.

use crate::helpers::{TestServer, assert_error, json};
use crate::zones::{community, register, seal};
use reqwest::StatusCode;
use serde_json::json;
use shouwang::db::sql;
use shouwang_api::auth::Role;

async fn act(client: &crate::helpers::TestClient, id: i64, body: serde_json::Value) -> StatusCode {
    client
        .post(&format!("/api/supplies/requests/{id}/actions"), &body)
        .await
        .status()
}

async fn approved_volunteer(server: &TestServer, admin: &crate::helpers::TestClient) -> i64 {
    let helper = server.client();
    let response = helper
        .post(
            "/api/volunteers/sign-up",
            &json!({ "phone": "13600000099", "password": crate::helpers::PASSWORD, "name": "李志愿",
                     "service_area": "第一网格", "skills": [], "trainings": [],
                     "availability": (1..=7).map(|d| json!({ "weekday": d, "part": "morning" })).collect::<Vec<_>>() }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = json(response).await["id"].as_i64().unwrap();
    let approved = admin.action(&format!("/api/volunteers/{id}/approve")).await;
    assert_eq!(approved.status(), StatusCode::OK);
    id
}

#[tokio::test]
async fn an_urgent_request_leads_the_dashboard_with_the_residents_note() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    // Given an older, ordinary request from a sealed (priority) household...
    let older = c
        .resident_a
        .post(
            "/api/supplies/requests",
            &json!({ "kind": "grocery", "urgency": "normal", "items": "大米 5 斤" }),
        )
        .await;
    assert_eq!(older.status(), StatusCode::CREATED);
    // ...when a household elsewhere asks for medicine today, with a note,
    let urgent = c
        .resident_b
        .post(
            "/api/supplies/requests",
            &json!({ "kind": "medicine", "urgency": "urgent", "items": "硝苯地平缓释片 一盒",
                     "notes": "父亲高血压，药快吃完了" }),
        )
        .await;
    assert_eq!(urgent.status(), StatusCode::CREATED);
    let urgent_id = json(urgent).await["id"].as_i64().unwrap();

    // then the dashboard lists the urgent one first, with its urgency and note.
    let board = json(c.admin.get("/api/supplies/requests").await).await;
    assert_eq!(board["total"], 2);
    assert_eq!(
        board["items"][0]["id"], urgent_id,
        "urgent first, whatever its age"
    );
    assert_eq!(board["items"][0]["urgency"], "urgent");
    assert_eq!(board["items"][0]["notes"], "父亲高血压，药快吃完了");
    assert_eq!(board["items"][1]["urgency"], "normal");
    // Paged, the order holds across pages.
    let first_page = json(c.admin.get("/api/supplies/requests?per_page=1").await).await;
    assert_eq!(first_page["items"][0]["id"], urgent_id);
}

#[tokio::test]
async fn a_requests_history_is_codes_and_parameters_never_a_chinese_sentence() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let volunteer = approved_volunteer(&server, &c.admin).await;
    let (neighbour, _) = register(&server, c.rooms_a[1], "13512345678", &[]).await;
    let mut ids = Vec::new();
    for resident in [&c.resident_a, &neighbour] {
        let created = resident
            .post(
                "/api/supplies/requests",
                &json!({ "kind": "medicine", "items": "退烧药" }),
            )
            .await;
        ids.push(json(created).await["id"].as_i64().unwrap());
    }
    let (single, in_run) = (ids[0], ids[1]);
    for id in &ids {
        assert_eq!(
            act(&c.staff_a, *id, json!({ "action": "accept" })).await,
            StatusCode::OK
        );
    }
    // One is assigned by hand, the other travels in a run and is handed over at the gate.
    assert_eq!(
        act(
            &c.staff_a,
            single,
            json!({ "action": "assign", "volunteer_id": volunteer })
        )
        .await,
        StatusCode::OK
    );
    let run = c
        .staff_a
        .post(
            "/api/supplies/runs",
            &json!({ "building_id": c.building_a, "request_ids": [in_run], "volunteer_id": volunteer }),
        )
        .await;
    assert_eq!(run.status(), StatusCode::CREATED);
    let run_id = json(run).await["id"].as_i64().unwrap();
    let handover = c
        .staff_a
        .action(&format!("/api/supplies/runs/{run_id}/handover"))
        .await;
    assert_eq!(handover.status(), StatusCode::OK);

    let assigned = json(
        c.staff_a
            .get(&format!("/api/supplies/requests/{single}"))
            .await,
    )
    .await;
    let last = assigned["events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        last["detail"],
        json!({ "code": "assigned_to", "volunteer": "李志愿" })
    );
    assert!(
        last["note"].is_null(),
        "no sentence beside the code: {last}"
    );

    let travelled = json(
        c.staff_a
            .get(&format!("/api/supplies/requests/{in_run}"))
            .await,
    )
    .await;
    let details: Vec<_> = travelled["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].clone())
        .collect();
    assert!(details.contains(&json!({ "code": "added_to_run", "run_id": run_id })));
    assert!(details.contains(&json!({ "code": "handed_over_at_gate" })));
    // Nothing the system wrote is stored as words in one language.
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM request_events WHERE note IS NOT NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn history_written_as_chinese_sentences_before_the_upgrade_becomes_codes() {
    let mut server = TestServer::spawn().await;
    if server.on_postgres("re-running SQLite's migration 0018; PostgreSQL starts with codes") {
        return;
    }
    let c = community(&server).await;
    let created = c
        .resident_a
        .post(
            "/api/supplies/requests",
            &json!({ "kind": "medicine", "items": "感冒灵" }),
        )
        .await;
    let id = json(created).await["id"].as_i64().unwrap();
    server.stop().await;
    {
        // The database as the release before migration 0018 left it, with its sentences.
        let db = server.connect().await;
        for sql in [
            "DELETE FROM _sqlx_migrations WHERE version = 18",
            "DROP TABLE community_settings",
            "ALTER TABLE request_events DROP COLUMN detail",
            "DROP INDEX supply_requests_dashboard",
            "CREATE INDEX supply_requests_dashboard ON supply_requests (grid_id, state, priority DESC, created_at)",
        ] {
            sql::query(sql).execute(&db).await.expect(sql);
        }
        for note in [
            "指派给 王志愿",
            "编入第 12 批楼栋配送",
            "已在楼门口交接",
            "缺货，明日再送",
        ] {
            sql::query(
                "INSERT INTO request_events (request_id, actor_id, from_state, to_state, note, created_at)
                 VALUES (?, NULL, 'submitted', 'accepted', ?, '2026-12-01T00:00:00Z')",
            )
            .bind(id)
            .bind(note)
            .execute(&db)
            .await
            .unwrap();
        }
    }
    server.restart().await;
    let admin = server.sign_in_as(Role::Admin).await;
    let request = json(admin.get(&format!("/api/supplies/requests/{id}")).await).await;
    let events = request["events"].as_array().unwrap();
    let seen: Vec<_> = events[1..]
        .iter()
        .map(|e| (e["detail"].clone(), e["note"].clone()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                json!({ "code": "assigned_to", "volunteer": "王志愿" }),
                json!(null)
            ),
            (json!({ "code": "added_to_run", "run_id": 12 }), json!(null)),
            (json!({ "code": "handed_over_at_gate" }), json!(null)),
            // A person's own words stay as they were written.
            (json!(null), json!("缺货，明日再送")),
        ]
    );
}

#[tokio::test]
async fn the_board_says_which_notices_ask_for_a_receipt() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let created = staff
        .post(
            "/api/notices",
            &json!({ "title": "关于全员核酸检测的紧急通知", "body": "请各户于今晚 8 点前完成核酸检测。" }),
        )
        .await;
    let id = json(created).await["id"].as_i64().unwrap();
    assert_eq!(
        staff
            .action(&format!("/api/notices/{id}/publish"))
            .await
            .status(),
        StatusCode::OK
    );
    let public = server.client();
    // The public board is cached: read it once before the receipt is asked.
    let before = json(public.get("/api/notices").await).await;
    assert_eq!(before["items"][0]["receipt_asked"], false);

    let asked = staff
        .put(
            &format!("/api/notices/{id}/receipts"),
            &json!({ "required": true }),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let after = json(public.get("/api/notices").await).await;
    assert_eq!(after["items"][0]["id"], id);
    assert_eq!(after["items"][0]["receipt_asked"], true);
}

#[tokio::test]
async fn the_admin_sets_the_duty_hotline_a_household_with_a_fever_is_given() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let today = json(c.resident_a.get("/api/health/me").await).await;
    assert!(today["hotline"].is_null(), "none set yet");

    // Only an admin may set it; nothing changes otherwise.
    let body = json!({ "hotline": "022-2345 6789" });
    for (who, status) in [
        (&c.staff_a, StatusCode::FORBIDDEN),
        (&c.resident_a, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(
            who.put("/api/community/settings", &body).await.status(),
            status
        );
    }
    assert_eq!(
        server
            .client()
            .put("/api/community/settings", &body)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let unchanged = "SELECT COUNT(*) FROM community_settings WHERE hotline IS NOT NULL";
    assert_eq!(server.count(unchanged).await, 0);
    let error = assert_error(
        c.admin
            .put("/api/community/settings", &json!({ "hotline": "call us" }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_phone",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("hotline"));
    assert_eq!(server.count(unchanged).await, 0);

    let set = c.admin.put("/api/community/settings", &body).await;
    assert_eq!(set.status(), StatusCode::OK);
    assert_eq!(json(set).await["hotline"], "022-23456789");
    assert_eq!(
        json(server.client().get("/api/community/settings").await).await["hotline"],
        "022-23456789"
    );
    let today = json(c.resident_a.get("/api/health/me").await).await;
    assert_eq!(today["hotline"], "022-23456789");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'community.settings'")
            .await,
        1
    );
}
