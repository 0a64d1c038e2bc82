//! The "given ..." of the API tests, written once: a community (from a CSV, as an office
//! imports it, or built step by step through the admin endpoints), a grid worker for a
//! grid, a household that registers itself. Replies the tests read are deserialised into
//! the api crate's types.

use crate::helpers::{PASSWORD, TestClient, TestServer};
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::community::{Building, Created, Grid, ImportResult, Structure};
use shouwang_api::notifications::Notification;
use shouwang_api::residents::RegistrationOutcome;
use std::sync::atomic::{AtomicU32, Ordering};

/// The password households choose when they register in these tests.
pub const RESIDENT_PASSWORD: &str = "my-own-password";

/// A number no other call in this test process got: for usernames that must not clash.
pub fn unique() -> u32 {
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The body of a successful reply as an api type; panics with the body otherwise.
pub async fn reply<T: DeserializeOwned>(response: Response, status: StatusCode) -> T {
    assert_eq!(response.status(), status, "status of {}", response.url());
    let body = response.bytes().await.expect("a reply body");
    serde_json::from_slice(&body).unwrap_or_else(|e| {
        panic!(
            "a reply of the expected type: {e}: {}",
            String::from_utf8_lossy(&body)
        )
    })
}

/// The body of a successful reply both as an api type and as the JSON on the wire, for a
/// test that also checks what the wire leaves out (a field a reader may not see).
pub async fn reply_with_wire<T: DeserializeOwned>(
    response: Response,
    status: StatusCode,
) -> (T, Value) {
    let wire: Value = reply(response, status).await;
    let typed = serde_json::from_value(wire.clone())
        .unwrap_or_else(|e| panic!("a reply of the expected type: {e}: {wire}"));
    (typed, wire)
}

/// The first page of the caller's notifications, newest first.
pub async fn inbox(client: &TestClient) -> Page<Notification> {
    reply(client.get("/api/notifications").await, StatusCode::OK).await
}

/// The kinds of the notifications on a page, in its order.
pub fn kinds(inbox: &Page<Notification>) -> Vec<&str> {
    inbox.items.iter().map(|n| n.kind.as_str()).collect()
}

/// The id in a `201 Created` reply.
pub async fn created_id(response: Response) -> i64 {
    reply::<Created>(response, StatusCode::CREATED).await.id
}

/// A new staff account `username`, made a worker of the grid by the admin, signed in.
pub async fn staff_of(
    server: &TestServer,
    admin: &TestClient,
    grid_id: i64,
    username: &str,
) -> TestClient {
    let id = server.create_account(Role::Staff, username).await;
    let assigned = admin
        .put(
            &format!("/api/community/grids/{grid_id}/staff"),
            &json!({ "user_ids": [id] }),
        )
        .await;
    assert_eq!(assigned.status(), StatusCode::NO_CONTENT);
    let client = server.client();
    assert_eq!(
        client.login(username, PASSWORD).await.status(),
        StatusCode::OK
    );
    client
}

/// The community's structure as the public registration form reads it.
pub async fn structure(server: &TestServer) -> Structure {
    reply(
        server.client().get("/api/community/structure").await,
        StatusCode::OK,
    )
    .await
}

/// A community an admin imported from `csv` (网格,楼栋,单元,房号 rows).
pub struct Imported {
    pub admin: TestClient,
    pub structure: Structure,
}

pub async fn imported(server: &TestServer, csv: &str) -> Imported {
    let admin = server.sign_in_as(Role::Admin).await;
    let response = admin
        .post("/api/community/import", &json!({ "csv": csv }))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "importing the structure");
    Imported {
        admin,
        structure: structure(server).await,
    }
}

impl Imported {
    pub fn grid(&self, name: &str) -> &Grid {
        self.structure
            .grids
            .iter()
            .find(|g| g.name == name)
            .unwrap_or_else(|| panic!("an imported grid {name}"))
    }

    /// Every room of the community, in the structure's order, with its name.
    pub fn rooms(&self) -> Vec<(String, i64)> {
        self.structure
            .grids
            .iter()
            .flat_map(|g| &g.buildings)
            .flat_map(|b| &b.units)
            .flat_map(|u| &u.rooms)
            .map(|r| (r.name.clone(), r.id))
            .collect()
    }
}

/// The rooms of a building, unit by unit.
pub fn room_ids(building: &Building) -> Vec<i64> {
    building
        .units
        .iter()
        .flat_map(|u| &u.rooms)
        .map(|r| r.id)
        .collect()
}

/// Two grids built step by step through the admin endpoints: 第一网格 with 1号楼
/// (rooms 101–103) and 第二网格 with 2号楼 (rooms 201–203), one grid worker each.
pub struct TwoGrids {
    pub admin: TestClient,
    pub staff_a: TestClient,
    pub staff_b: TestClient,
    pub grids: [i64; 2],
    pub buildings: [i64; 2],
    /// 101–103, then 201–203.
    pub rooms: Vec<i64>,
}

pub async fn two_grids(server: &TestServer) -> TwoGrids {
    let admin = server.sign_in_as(Role::Admin).await;
    let mut grids = Vec::new();
    let mut buildings = Vec::new();
    for (grid, building, prefix) in [("第一网格", "1号楼", "10"), ("第二网格", "2号楼", "20")]
    {
        let grid_id = created_id(
            admin
                .post("/api/community/grids", &json!({ "name": grid }))
                .await,
        )
        .await;
        let building_id = created_id(
            admin
                .post(
                    &format!("/api/community/grids/{grid_id}/buildings"),
                    &json!({ "name": building, "head_name": "李伯", "head_phone": "13900000001" }),
                )
                .await,
        )
        .await;
        let unit_id = created_id(
            admin
                .post(
                    &format!("/api/community/buildings/{building_id}/units"),
                    &json!({ "name": "1单元" }),
                )
                .await,
        )
        .await;
        let added = admin
            .post(
                &format!("/api/community/units/{unit_id}/rooms"),
                &json!({ "rooms": [format!("{prefix}1"), format!("{prefix}2"), format!("{prefix}3")] }),
            )
            .await;
        let added: ImportResult = reply(added, StatusCode::OK).await;
        assert_eq!(added.rooms, 3);
        grids.push(grid_id);
        buildings.push(building_id);
    }
    let structure = structure(server).await;
    for building in structure.grids.iter().flat_map(|g| &g.buildings) {
        assert!(
            building.head_phone.is_none(),
            "the public does not see 楼栋长 phones"
        );
    }
    let rooms: Vec<i64> = structure
        .grids
        .iter()
        .flat_map(|g| &g.buildings)
        .flat_map(room_ids)
        .collect();
    assert_eq!(rooms.len(), 6);
    let mut staff = Vec::new();
    for grid_id in &grids {
        let username = format!("grid.worker{}", unique());
        staff.push(staff_of(server, &admin, *grid_id, &username).await);
    }
    let staff_b = staff.pop().expect("grid B's worker");
    let staff_a = staff.pop().expect("grid A's worker");
    TwoGrids {
        admin,
        staff_a,
        staff_b,
        grids: [grids[0], grids[1]],
        buildings: [buildings[0], buildings[1]],
        rooms,
    }
}

/// A household's own registration body: `members` as the form sends them.
pub fn household(room_id: i64, phone: &str, members: Value) -> Value {
    json!({
        "room_id": room_id,
        "phone": phone,
        "password": RESIDENT_PASSWORD,
        "consent_notice": true,
        "consent_sensitive": true,
        "members": members,
    })
}

/// A household registers itself from a phone; the client is signed in as it.
pub async fn register(server: &TestServer, body: &Value) -> (TestClient, RegistrationOutcome) {
    let client = server.client();
    let response = client.post("/api/residents/register", body).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "registering {}",
        body["phone"]
    );
    let outcome = reply(response, StatusCode::CREATED).await;
    (client, outcome)
}
