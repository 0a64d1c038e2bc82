//! The staff screens of 包保 and sealed-building runs: a grid worker lists the vulnerable
//! households of their grids with their contact person, and the runs of their sealed
//! buildings with each order's state; nobody else reads either list.

use crate::fixtures::{created_id, reply};
use crate::helpers::{TestClient, TestServer, assert_error};
use crate::zones::{community, register, seal};
use reqwest::StatusCode;
use serde_json::json;
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::health::{CareHousehold, MemberHealth};
use shouwang_api::residents::{Household, SpecialGroup};
use shouwang_api::supplies::{RequestState, RunWithStops};

const LIST_VIEWS: &str = "SELECT COUNT(*) FROM audit_log WHERE action = 'care.list_view'";

async fn care_list(client: &TestClient) -> Page<CareHousehold> {
    care_page(client, "").await
}

async fn care_page(client: &TestClient, query: &str) -> Page<CareHousehold> {
    reply(
        client.get(&format!("/api/health/care{query}")).await,
        StatusCode::OK,
    )
    .await
}

#[tokio::test]
async fn a_grid_worker_sees_the_vulnerable_households_of_their_grid_and_names_a_contact() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    // A household of grid A with nobody in a special group is not on the list.
    register(&server, c.rooms_a[1], "13512345678", &[]).await;

    let list = care_list(&c.staff_a).await;
    assert_eq!(list.total, 1);
    let entry = &list.items[0];
    assert_eq!(entry.household_id, c.household_a);
    assert_eq!(entry.groups, [SpecialGroup::ElderlyAlone]);
    assert_eq!(entry.address.building, "1号楼");
    assert!(entry.care.is_none(), "nobody is named yet");
    assert_eq!(server.count(LIST_VIEWS).await, 1, "the view is audited");

    // Named by name and phone; the list masks the phone.
    let care = format!("/api/health/care/{}", c.household_a);
    let assigned = c
        .staff_a
        .put(
            &care,
            &json!({ "contact_name": "张楼长", "contact_phone": "13700000002", "interval_hours": 24 }),
        )
        .await;
    assert_eq!(assigned.status(), StatusCode::NO_CONTENT);
    let list = care_list(&c.staff_a).await;
    let assignment = list.items[0].care.as_ref().expect("the named contact");
    assert_eq!(assignment.contact_name, "张楼长");
    assert_eq!(assignment.contact_phone.as_deref(), Some("137****0002"));
    assert_eq!(assignment.interval_hours, 24);
    assert_eq!(assignment.missed, 0);
    assert!(assignment.last_contact_at.is_none());

    // A visit is logged with how it was made.
    let logged = c
        .staff_a
        .post(
            &format!("{care}/contacts"),
            &json!({ "method": "visit", "note": "上门看望，老人身体正常" }),
        )
        .await;
    assert_eq!(logged.status(), StatusCode::CREATED);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM care_contacts WHERE method = 'visit'")
            .await,
        1
    );
    let list = care_list(&c.staff_a).await;
    let assignment = list.items[0].care.as_ref().expect("the named contact");
    assert!(assignment.last_contact_at.is_some());

    // An unknown way of contact names the field and stores nothing.
    let refused = c
        .staff_a
        .post(&format!("{care}/contacts"), &json!({ "method": "fax" }))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(server.count("SELECT COUNT(*) FROM care_contacts").await, 1);

    // The admin sees every grid; the other grid's worker sees none of A's households.
    assert_eq!(care_list(&c.admin).await.total, 1);
    assert_eq!(care_list(&c.staff_b).await.total, 0);
}

#[tokio::test]
async fn residents_volunteers_and_strangers_cannot_read_the_care_list() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    for (client, status, code) in [
        (&c.resident_a, StatusCode::FORBIDDEN, "forbidden"),
        (&volunteer, StatusCode::FORBIDDEN, "forbidden"),
        (
            &server.client(),
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
    ] {
        assert_error(client.get("/api/health/care").await, status, code).await;
    }
    assert_eq!(server.count(LIST_VIEWS).await, 0, "no view recorded");
    assert_eq!(
        server.count("SELECT COUNT(*) FROM care_assignments").await,
        0
    );
}

#[tokio::test]
async fn the_care_list_is_paged() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    register(&server, c.rooms_a[1], "13512345678", &["disabled"]).await;
    register(&server, c.rooms_a[2], "13512345679", &["pregnant"]).await;
    let first = care_page(&c.staff_a, "?per_page=2").await;
    assert_eq!(first.total, 3);
    assert_eq!(first.items.len(), 2);
    let second = care_page(&c.staff_a, "?per_page=2&page=2").await;
    assert_eq!(second.items.len(), 1);
}

async fn accepted_request(staff: &TestClient, resident: &TestClient) -> i64 {
    let response = resident
        .post(
            "/api/supplies/requests",
            &json!({ "kind": "grocery", "urgency": "normal", "items": "大米一袋 鸡蛋一盒" }),
        )
        .await;
    let id = created_id(response).await;
    let accepted = staff
        .post(
            &format!("/api/supplies/requests/{id}/actions"),
            &json!({ "action": "accept" }),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    id
}

async fn runs(client: &TestClient, query: &str) -> Page<RunWithStops> {
    let response = client.get(&format!("/api/supplies/runs{query}")).await;
    reply(response, StatusCode::OK).await
}

#[tokio::test]
async fn a_grid_worker_follows_a_run_from_the_gate_to_each_door() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let (neighbour, _) = register(&server, c.rooms_a[1], "13512345678", &[]).await;
    let ids = [
        accepted_request(&c.staff_a, &c.resident_a).await,
        accepted_request(&c.staff_a, &neighbour).await,
    ];
    assert_eq!(runs(&c.staff_a, "").await.total, 0);

    // Without a volunteer, the 楼栋长 takes the run at the gate.
    let created = c
        .staff_a
        .post(
            "/api/supplies/runs",
            &json!({ "building_id": c.building_a, "request_ids": ids }),
        )
        .await;
    let run_id = created_id(created).await;

    let list = runs(&c.staff_a, "").await;
    assert_eq!(list.total, 1);
    let item = &list.items[0];
    assert_eq!(item.run.id, run_id);
    assert_eq!(item.run.handover_to.as_deref(), Some("李伯"));
    assert!(item.run.handed_over_at.is_none());
    let stops = &item.stops;
    assert_eq!(stops.len(), 2);
    assert_eq!(stops[0].request_id, ids[0]);
    assert_eq!(stops[0].address, "1号楼 1单元 101");
    assert!(stops.iter().all(|s| s.state == RequestState::Assigned));

    let handed = c
        .staff_a
        .action(&format!("/api/supplies/runs/{run_id}/handover"))
        .await;
    assert_eq!(handed.status(), StatusCode::OK);
    let list = runs(&c.staff_a, &format!("?building_id={}", c.building_a)).await;
    assert!(list.items[0].run.handed_over_at.is_some());
    assert!(
        list.items[0]
            .stops
            .iter()
            .all(|s| s.state == RequestState::OutForDelivery)
    );

    // Filtered by another building, paged, and scoped to the caller's grids.
    assert_eq!(
        runs(&c.staff_a, &format!("?building_id={}", c.building_b))
            .await
            .total,
        0
    );
    let paged = runs(&c.staff_a, "?per_page=1&page=2").await;
    assert_eq!(paged.total, 1);
    assert!(paged.items.is_empty());
    assert_eq!(runs(&c.admin, "").await.total, 1);
    assert_eq!(runs(&c.staff_b, "").await.total, 0);
}

#[tokio::test]
async fn residents_volunteers_and_strangers_cannot_read_the_runs() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let id = accepted_request(&c.staff_a, &c.resident_a).await;
    let created = c
        .staff_a
        .post(
            "/api/supplies/runs",
            &json!({ "building_id": c.building_a, "request_ids": [id] }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let state = "SELECT COUNT(*) FROM supply_runs WHERE handed_over_at IS NULL";
    for (client, status, code) in [
        (&c.resident_a, StatusCode::FORBIDDEN, "forbidden"),
        (&volunteer, StatusCode::FORBIDDEN, "forbidden"),
        (
            &server.client(),
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
    ] {
        assert_error(client.get("/api/supplies/runs").await, status, code).await;
    }
    assert_eq!(server.count(state).await, 1, "nothing changed");
}

#[tokio::test]
async fn a_members_history_says_who_checked_in() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let me: Household = reply(c.resident_a.get("/api/residents/me").await, StatusCode::OK).await;
    let mother = me.members[1].id;
    let checked = c
        .resident_a
        .post(
            "/api/health/me/check-ins",
            &json!({ "member_id": mother, "temperature": 38.1, "symptoms": ["cough"] }),
        )
        .await;
    assert_eq!(checked.status(), StatusCode::OK);
    let history: MemberHealth = reply(
        c.staff_a
            .get(&format!("/api/health/members/{mother}"))
            .await,
        StatusCode::OK,
    )
    .await;
    let check_in = &history.check_ins[0];
    assert!(check_in.fever);
    assert!(
        check_in.by_name.as_deref().is_some_and(|n| !n.is_empty()),
        "the account that checked in is named"
    );
    assert_error(
        c.staff_b
            .get(&format!("/api/health/members/{mother}"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
