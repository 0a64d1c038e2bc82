//! Supply and help requests: a resident of a sealed building asks, staff of the grid accept
//! and assign, the volunteer delivers with the resident's pickup code, the resident confirms.

use crate::fixtures::{inbox, kinds, reply, reply_with_wire};
use crate::helpers::{PASSWORD, TestClient, TestServer, assert_error, json};
use crate::zones::{Community, community, register, seal};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang::db::sql;
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::supplies::{
    AssignableVolunteer, ContactReveal, Delivery, RequestState, SupplyRequest, SupplyRun,
};
use shouwang_api::volunteers::Volunteer;

/// An approved volunteer; `available` volunteers are free every morning of the week.
pub async fn volunteer(
    server: &TestServer,
    c: &Community,
    phone: &str,
    available: bool,
) -> (TestClient, i64) {
    let availability: Vec<Value> = if available {
        (1..=7)
            .map(|d| json!({ "weekday": d, "part": "morning" }))
            .collect()
    } else {
        Vec::new()
    };
    let client = server.client();
    let response = client
        .post(
            "/api/volunteers/sign-up",
            &json!({ "phone": phone, "password": PASSWORD, "name": format!("志愿者{}", &phone[7..]),
                     "service_area": "第一网格", "skills": [], "availability": availability, "trainings": [] }),
        )
        .await;
    let id = reply::<Volunteer>(response, StatusCode::CREATED).await.id;
    let approved = c
        .admin
        .action(&format!("/api/volunteers/{id}/approve"))
        .await;
    assert_eq!(approved.status(), StatusCode::OK);
    (client, id)
}

async fn request(resident: &TestClient, kind: &str) -> SupplyRequest {
    let response = resident
        .post(
            "/api/supplies/requests",
            &json!({ "kind": kind, "urgency": "urgent", "items": "硝苯地平缓释片 两盒", "notes": "放门口" }),
        )
        .await;
    reply(response, StatusCode::CREATED).await
}

/// The requests a staff member's dashboard lists at `path`.
async fn dashboard(staff: &TestClient, path: &str) -> Page<SupplyRequest> {
    reply(staff.get(path).await, StatusCode::OK).await
}

/// The deliveries a volunteer has.
async fn deliveries(volunteer: &TestClient) -> Page<Delivery> {
    reply(
        volunteer.get("/api/supplies/deliveries").await,
        StatusCode::OK,
    )
    .await
}

async fn act(client: &TestClient, id: i64, body: Value) -> reqwest::Response {
    client
        .post(&format!("/api/supplies/requests/{id}/actions"), &body)
        .await
}

async fn state_of(server: &TestServer, id: i64) -> String {
    let db = server.connect().await;
    sql::query_scalar("SELECT state FROM supply_requests WHERE id = ?")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_sealed_household_gets_medicine_to_the_door_and_confirms() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let (vol, vol_id) = volunteer(&server, &c, "13600000001", true).await;

    let created = request(&c.resident_a, "medicine").await;
    let id = created.id;
    assert_eq!(created.state, RequestState::Submitted);
    assert!(created.priority, "sealed building");
    assert_eq!(created.address, "1号楼 1单元 101");
    assert_eq!(created.contact_phone.as_deref(), Some("13912345678"));
    let code = created.pickup_code.expect("the resident's pickup code");
    assert_eq!(code.len(), 6);

    // Staff see it on the dashboard, phone masked, without the code.
    let board = dashboard(&c.staff_a, "/api/supplies/requests").await;
    assert_eq!(board.total, 1);
    assert_eq!(board.items[0].contact_phone.as_deref(), Some("139****5678"));
    assert!(board.items[0].pickup_code.is_none());
    assert!(!board.items[0].stale);

    assert_eq!(
        act(&c.staff_a, id, json!({ "action": "accept" }))
            .await
            .status(),
        StatusCode::OK
    );
    let picker: Vec<AssignableVolunteer> = reply(
        c.staff_a.get("/api/supplies/volunteers").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(picker[0].id, vol_id);
    assert!(picker[0].can_deliver);
    let assigned = act(
        &c.staff_a,
        id,
        json!({ "action": "assign", "volunteer_id": vol_id }),
    )
    .await;
    let assigned: SupplyRequest = reply(assigned, StatusCode::OK).await;
    assert_eq!(assigned.volunteer_name.as_deref(), Some("志愿者0001"));

    // The volunteer sees the delivery: the door, the items, a masked phone; the code is
    // not on the wire at all.
    let (deliveries, wire): (Page<Delivery>, _) =
        reply_with_wire(vol.get("/api/supplies/deliveries").await, StatusCode::OK).await;
    assert!(wire["items"][0].get("pickup_code").is_none());
    assert_eq!(deliveries.total, 1);
    let delivery = &deliveries.items[0];
    assert_eq!(delivery.address, "1号楼 1单元 101");
    assert_eq!(delivery.contact_phone.as_deref(), Some("139****5678"));
    let revealed: ContactReveal = reply(
        vol.action(&format!("/api/supplies/requests/{id}/contact"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(revealed.contact_phone.as_deref(), Some("13912345678"));
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'supply.contact_reveal'")
            .await,
        1
    );

    assert_eq!(
        act(&vol, id, json!({ "action": "dispatch" }))
            .await
            .status(),
        StatusCode::OK
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let error = assert_error(
        act(
            &vol,
            id,
            json!({ "action": "deliver", "pickup_code": wrong }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("pickup_code"));
    assert_eq!(state_of(&server, id).await, "out_for_delivery");
    let delivered = act(
        &vol,
        id,
        json!({ "action": "deliver", "pickup_code": code }),
    )
    .await;
    assert_eq!(delivered.status(), StatusCode::OK);

    let confirmed = act(&c.resident_a, id, json!({ "action": "confirm" })).await;
    let confirmed: SupplyRequest = reply(confirmed, StatusCode::OK).await;
    assert_eq!(confirmed.state, RequestState::Confirmed);

    let detail: SupplyRequest = reply(
        c.resident_a
            .get(&format!("/api/supplies/requests/{id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    let states: Vec<RequestState> = detail.events.iter().map(|e| e.to_state).collect();
    assert_eq!(
        states,
        [
            RequestState::Submitted,
            RequestState::Accepted,
            RequestState::Assigned,
            RequestState::OutForDelivery,
            RequestState::Delivered,
            RequestState::Confirmed,
        ]
    );
    assert!(detail.events[1].actor_name.is_some());
    // The resident heard of each change staff and the volunteer made; the volunteer of the
    // assignment.
    assert_eq!(inbox(&c.resident_a).await.total, 4);
    assert!(kinds(&inbox(&vol).await).contains(&"supply.assignment"));
    let mine = dashboard(&c.resident_a, "/api/supplies/mine").await;
    assert_eq!(mine.total, 1);
    assert!(mine.items[0].pickup_code.is_none(), "closed: no code");
}

#[tokio::test]
async fn every_illegal_transition_is_409_and_changes_nothing() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let (vol, vol_id) = volunteer(&server, &c, "13600000002", true).await;
    let id = request(&c.resident_a, "grocery").await.id;

    let illegal = |who: &'static str, body: Value, expected: &'static str| (who, body, expected);
    // submitted
    for (who, body, expected) in [
        illegal("resident", json!({ "action": "confirm" }), "submitted"),
        illegal("staff", json!({ "action": "dispatch" }), "submitted"),
        illegal(
            "staff",
            json!({ "action": "assign", "volunteer_id": vol_id }),
            "submitted",
        ),
        illegal(
            "staff",
            json!({ "action": "deliver", "pickup_code": "123456" }),
            "submitted",
        ),
    ] {
        let client = if who == "resident" {
            &c.resident_a
        } else {
            &c.staff_a
        };
        assert_error(
            act(client, id, body).await,
            StatusCode::CONFLICT,
            "illegal_transition",
        )
        .await;
        assert_eq!(state_of(&server, id).await, expected);
    }
    act(&c.staff_a, id, json!({ "action": "accept" })).await;
    assert_error(
        act(&c.staff_a, id, json!({ "action": "accept" })).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    act(
        &c.staff_a,
        id,
        json!({ "action": "assign", "volunteer_id": vol_id }),
    )
    .await;
    assert_error(
        act(
            &c.staff_a,
            id,
            json!({ "action": "refuse", "note": "缺货" }),
        )
        .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    act(&vol, id, json!({ "action": "dispatch" })).await;
    for body in [
        json!({ "action": "cancel", "note": "不要了" }),
        json!({ "action": "confirm" }),
    ] {
        assert_error(
            act(&c.resident_a, id, body).await,
            StatusCode::CONFLICT,
            "illegal_transition",
        )
        .await;
    }
    assert_eq!(state_of(&server, id).await, "out_for_delivery");

    // Cancelled and refused requests are closed for good.
    let cancelled = request(&c.resident_a, "medicine").await.id;
    let response = act(
        &c.resident_a,
        cancelled,
        json!({ "action": "cancel", "note": "家人买到了" }),
    )
    .await;
    let response: SupplyRequest = reply(response, StatusCode::OK).await;
    assert_eq!(response.state, RequestState::Cancelled);
    let refused = request(&c.resident_a, "medicine").await.id;
    let response = act(
        &c.staff_a,
        refused,
        json!({ "action": "refuse", "note": "请联系社区医院" }),
    )
    .await;
    let response: SupplyRequest = reply(response, StatusCode::OK).await;
    assert_eq!(response.state, RequestState::Refused);
    for closed in [cancelled, refused] {
        for body in [
            json!({ "action": "accept" }),
            json!({ "action": "cancel", "note": "x" }),
            json!({ "action": "refuse", "note": "x" }),
        ] {
            assert_error(
                act(&c.staff_a, closed, body).await,
                StatusCode::CONFLICT,
                "illegal_transition",
            )
            .await;
        }
    }
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM request_events WHERE request_id = {id}"
            ))
            .await,
        4
    );
}

#[tokio::test]
async fn each_role_may_take_only_its_own_actions_and_sees_only_its_own_requests() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let (vol, vol_id) = volunteer(&server, &c, "13600000003", true).await;
    let (other_vol, _) = volunteer(&server, &c, "13600000004", true).await;
    let id = request(&c.resident_a, "medicine").await.id;
    let events = "SELECT COUNT(*) FROM request_events";
    let before = server.count(events).await;

    // The resident cannot triage their own request.
    for action in ["accept", "dispatch"] {
        assert_error(
            act(&c.resident_a, id, json!({ "action": action })).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    // Staff of another grid, another household, an unassigned volunteer: no such request.
    for who in [&c.staff_b, &c.resident_b, &vol] {
        assert_error(
            act(who, id, json!({ "action": "accept" })).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_error(
            who.get(&format!("/api/supplies/requests/{id}")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert_error(
        act(&server.client(), id, json!({ "action": "accept" })).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_eq!(server.count(events).await, before);
    assert_eq!(state_of(&server, id).await, "submitted");
    assert_eq!(
        dashboard(&c.staff_b, "/api/supplies/requests").await.total,
        0
    );
    assert_eq!(dashboard(&c.admin, "/api/supplies/requests").await.total, 1);
    for who in [&c.resident_a, &vol] {
        assert_error(
            who.get("/api/supplies/requests").await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }

    act(&c.staff_a, id, json!({ "action": "accept" })).await;
    act(
        &c.staff_a,
        id,
        json!({ "action": "assign", "volunteer_id": vol_id }),
    )
    .await;
    // The assigned volunteer may dispatch and deliver, not cancel or re-assign.
    for body in [
        json!({ "action": "cancel", "note": "x" }),
        json!({ "action": "assign", "volunteer_id": vol_id }),
        json!({ "action": "confirm" }),
    ] {
        assert_error(
            act(&vol, id, body).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    // Another volunteer sees none of it.
    assert_eq!(deliveries(&other_vol).await.total, 0);
    assert_error(
        other_vol
            .action(&format!("/api/supplies/requests/{id}/contact"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        act(&other_vol, id, json!({ "action": "dispatch" })).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Only volunteers have deliveries; residents cannot reveal phones.
    assert_error(
        c.staff_a.get("/api/supplies/deliveries").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        c.resident_b
            .action(&format!("/api/supplies/requests/{id}/contact"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'supply.contact_reveal'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_volunteer_sees_the_door_and_never_the_household_record() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let (vol, vol_id) = volunteer(&server, &c, "13600000005", true).await;
    let id = request(&c.resident_a, "medicine").await.id;
    act(&c.staff_a, id, json!({ "action": "accept" })).await;
    act(
        &c.staff_a,
        id,
        json!({ "action": "assign", "volunteer_id": vol_id }),
    )
    .await;
    let deliveries = json(vol.get("/api/supplies/deliveries").await).await;
    let text = deliveries.to_string();
    for secret in [
        "11010519491231002X",
        "王奶奶",
        "elderly_alone",
        "13912345678",
        "pickup_code",
    ] {
        assert!(!text.contains(secret), "a delivery does not show {secret}");
    }
    assert_error(
        vol.get(&format!("/api/residents/households/{}", c.household_a))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        vol.get("/api/residents/households").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // Once delivered the phone is no longer revealed.
    act(&vol, id, json!({ "action": "dispatch" })).await;
    let code: String = {
        let db = server.connect().await;
        sql::query_scalar("SELECT pickup_code FROM supply_requests WHERE id = ?")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap()
    };
    act(
        &vol,
        id,
        json!({ "action": "deliver", "pickup_code": code }),
    )
    .await;
    assert_error(
        vol.action(&format!("/api/supplies/requests/{id}/contact"))
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
}

#[tokio::test]
async fn bad_requests_and_actions_name_the_field() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let (_, busy_id) = volunteer(&server, &c, "13600000006", false).await;
    let (pending, _) = {
        let client = server.client();
        let response = client
            .post(
                "/api/volunteers/sign-up",
                &json!({ "phone": "13600000007", "password": PASSWORD, "name": "待审",
                         "service_area": "x", "skills": [], "availability": [], "trainings": [] }),
            )
            .await;
        (
            client,
            reply::<Volunteer>(response, StatusCode::CREATED).await.id,
        )
    };
    let _ = pending;
    let pending: Page<Volunteer> = reply(
        c.staff_a.get("/api/volunteers?status=pending").await,
        StatusCode::OK,
    )
    .await;
    let pending_id = pending.items[0].id;

    let cases = [
        (
            json!({ "kind": "medicine", "items": "  " }),
            "items",
            "required",
        ),
        (
            json!({ "kind": "medicine", "items": "x".repeat(501) }),
            "items",
            "too_long",
        ),
        (
            json!({ "kind": "medicine", "items": "药", "contact_phone": "12345" }),
            "contact_phone",
            "invalid_phone",
        ),
    ];
    for (body, field, code) in cases {
        let error = assert_error(
            c.resident_a.post("/api/supplies/requests", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field));
    }
    // Building B is a precaution building: the shops are open, no grocery delivery.
    let error = assert_error(
        c.resident_b
            .post(
                "/api/supplies/requests",
                &json!({ "kind": "grocery", "items": "米面油" }),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("kind"));
    assert_eq!(
        server.count("SELECT COUNT(*) FROM supply_requests").await,
        0
    );
    // Medicine is always open, and not priority for an ordinary household there.
    let b: SupplyRequest = reply(
        c.resident_b
            .post(
                "/api/supplies/requests",
                &json!({ "kind": "medicine", "items": "退烧药" }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(!b.priority);

    let id = request(&c.resident_a, "grocery").await.id;
    act(&c.staff_a, id, json!({ "action": "accept" })).await;
    let cases = [
        (json!({ "action": "refuse" }), "note", "required"),
        (json!({ "action": "assign" }), "volunteer_id", "required"),
        (
            json!({ "action": "assign", "volunteer_id": pending_id }),
            "volunteer_id",
            "invalid_value",
        ),
        (
            json!({ "action": "assign", "volunteer_id": busy_id }),
            "volunteer_id",
            "invalid_value",
        ),
        (
            json!({ "action": "assign", "volunteer_id": 999_999 }),
            "volunteer_id",
            "invalid_value",
        ),
        (
            json!({ "action": "deliver", "pickup_code": "12ab56" }),
            "pickup_code",
            "invalid_value",
        ),
    ];
    for (body, field, code) in cases {
        let error = assert_error(
            act(&c.staff_a, id, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field));
    }
    assert_eq!(state_of(&server, id).await, "accepted");
    assert_error(
        act(&c.staff_a, 999_999, json!({ "action": "accept" })).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // A resident without a household cannot ask.
    let stranger = server.sign_in_as(Role::Resident).await;
    assert_error(
        stranger
            .post(
                "/api/supplies/requests",
                &json!({ "kind": "medicine", "items": "药" }),
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_dashboard_filters_pages_and_flags_forgotten_requests() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let first = request(&c.resident_a, "medicine").await.id;
    request(&c.resident_a, "grocery").await;
    request(&c.resident_a, "psychological").await;
    c.resident_b
        .post(
            "/api/supplies/requests",
            &json!({ "kind": "medicine", "items": "药" }),
        )
        .await;
    // The first was untouched for two hours.
    let db = server.connect().await;
    sql::query("UPDATE supply_requests SET updated_at = ?, created_at = ? WHERE id = ?")
        .bind(chrono::Utc::now() - chrono::Duration::hours(2))
        .bind(chrono::Utc::now() - chrono::Duration::hours(2))
        .bind(first)
        .execute(&db)
        .await
        .unwrap();

    let all = dashboard(&c.admin, "/api/supplies/requests").await;
    assert_eq!(all.total, 4);
    assert_eq!(all.items[0].id, first, "priority, oldest first");
    assert!(all.items[0].stale);
    assert!(!all.items[1].stale);
    assert!(
        !all.items[3].priority,
        "building B's ordinary household last"
    );
    let page = dashboard(&c.admin, "/api/supplies/requests?per_page=2&page=2").await;
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.total, 4);
    let grocery = dashboard(&c.admin, "/api/supplies/requests?kind=grocery").await;
    assert_eq!(grocery.total, 1);
    let priority = dashboard(&c.admin, "/api/supplies/requests?priority=true").await;
    assert_eq!(priority.total, 3);
    let building = dashboard(
        &c.admin,
        &format!("/api/supplies/requests?building_id={}", c.building_b),
    )
    .await;
    assert_eq!(building.total, 1);
    act(
        &c.staff_a,
        first,
        json!({ "action": "refuse", "note": "重复申请" }),
    )
    .await;
    assert_eq!(dashboard(&c.admin, "/api/supplies/requests").await.total, 3);
    let refused = dashboard(&c.admin, "/api/supplies/requests?state=refused").await;
    assert_eq!(refused.total, 1);
    assert_eq!(
        c.admin
            .get("/api/supplies/requests?state=lost")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_sealed_buildings_orders_travel_in_one_run_to_the_gate() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let (vol, vol_id) = volunteer(&server, &c, "13600000008", true).await;
    let (neighbour, _) = register(&server, c.rooms_a[1], "13512345678", &[]).await;
    let one = request(&c.resident_a, "grocery").await;
    let two = request(&neighbour, "medicine").await;
    let ids = [one.id, two.id];
    let body = json!({ "building_id": c.building_a, "request_ids": ids, "volunteer_id": vol_id });
    // Only accepted requests travel.
    assert_error(
        c.staff_a.post("/api/supplies/runs", &body).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    for id in ids {
        act(&c.staff_a, id, json!({ "action": "accept" })).await;
    }
    assert_error(
        c.staff_b.post("/api/supplies/runs", &body).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.resident_a.post("/api/supplies/runs", &body).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let error = assert_error(
        c.admin
            .post(
                "/api/supplies/runs",
                &json!({ "building_id": c.building_b, "request_ids": ids }),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(
        error.field.as_deref(),
        Some("building_id"),
        "runs are for sealed buildings"
    );
    let error = assert_error(
        c.staff_a
            .post(
                "/api/supplies/runs",
                &json!({ "building_id": c.building_a, "request_ids": [] }),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "required",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("request_ids"));
    assert_eq!(server.count("SELECT COUNT(*) FROM supply_runs").await, 0);

    let response = c.staff_a.post("/api/supplies/runs", &body).await;
    let run: SupplyRun = reply(response, StatusCode::CREATED).await;
    assert_eq!(run.handover_to.as_deref(), Some("志愿者0008"));
    assert_eq!(run.request_ids.len(), 2);
    for id in ids {
        assert_eq!(state_of(&server, id).await, "assigned");
    }
    assert_eq!(deliveries(&vol).await.total, 2);
    let handover = c
        .staff_a
        .action(&format!("/api/supplies/runs/{}/handover", run.id))
        .await;
    let handed_over: SupplyRun = reply(handover, StatusCode::OK).await;
    assert!(handed_over.handed_over_at.is_some());
    for id in ids {
        assert_eq!(state_of(&server, id).await, "out_for_delivery");
    }
    assert_error(
        c.staff_a
            .action(&format!("/api/supplies/runs/{}/handover", run.id))
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    // Then to each door, with each household's code.
    let code = two
        .pickup_code
        .as_deref()
        .expect("the neighbour's pickup code");
    let delivered = act(
        &vol,
        ids[1],
        json!({ "action": "deliver", "pickup_code": code }),
    )
    .await;
    assert_eq!(delivered.status(), StatusCode::OK);
}

#[tokio::test]
async fn five_wrong_pickup_codes_lock_the_check_and_tell_the_grid_staff() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let (vol, vol_id) = volunteer(&server, &c, "13600000009", true).await;
    let created = request(&c.resident_a, "medicine").await;
    let id = created.id;
    let code = created.pickup_code.expect("the resident's pickup code");
    for body in [
        json!({ "action": "accept" }),
        json!({ "action": "assign", "volunteer_id": vol_id }),
    ] {
        assert_eq!(act(&c.staff_a, id, body).await.status(), StatusCode::OK);
    }
    assert_eq!(
        act(&vol, id, json!({ "action": "dispatch" }))
            .await
            .status(),
        StatusCode::OK
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let error = assert_error(
            act(
                &vol,
                id,
                json!({ "action": "deliver", "pickup_code": wrong }),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_value",
        )
        .await;
        assert_eq!(error.field.as_deref(), Some("pickup_code"));
    }
    // Locked: even the right code waits, and the grid's staff hear of it.
    let locked = act(
        &vol,
        id,
        json!({ "action": "deliver", "pickup_code": code }),
    )
    .await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.headers().contains_key("retry-after"));
    assert_eq!(state_of(&server, id).await, "out_for_delivery");
    let staff_told = inbox(&c.staff_a).await;
    assert!(
        kinds(&staff_told).contains(&"supply.pickup_locked"),
        "{staff_told:?}"
    );
    assert!(!kinds(&inbox(&c.staff_b).await).contains(&"supply.pickup_locked"));
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'supply.pickup_locked'")
            .await,
        1
    );

    // When the lock has run out, the right code delivers and the count starts again.
    let db = server.connect().await;
    sql::query("UPDATE supply_requests SET pickup_locked_until = '2000-01-01 00:00:00+00:00'")
        .execute(&db)
        .await
        .unwrap();
    let _ = assert_error(
        act(
            &vol,
            id,
            json!({ "action": "deliver", "pickup_code": wrong }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    let delivered = act(
        &vol,
        id,
        json!({ "action": "deliver", "pickup_code": code }),
    )
    .await;
    assert_eq!(delivered.status(), StatusCode::OK);
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM supply_requests WHERE id = {id} AND pickup_failures = 0"
            ))
            .await,
        1
    );
}
