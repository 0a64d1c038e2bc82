//! Building zones: staff of a building's grid set its zone, the board announces it, and the
//! building's residents see what it means for them.

use crate::fixtures::{self, household, reply, two_grids};
use crate::helpers::{TestClient, TestServer, assert_error};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::notices::{Notice, NoticeCategory, NoticeSummary};
use shouwang_api::supplies::RequestKind;
use shouwang_api::zones::{BuildingZone, MyZone, Zone, ZonePeriod};

/// Two grids with one building each (1号楼 in A, 2号楼 in B), a staff member per grid, and
/// one resident household in each building (A's with an elderly member living alone).
pub struct Community {
    pub admin: TestClient,
    pub staff_a: TestClient,
    pub staff_b: TestClient,
    pub building_a: i64,
    pub building_b: i64,
    pub resident_a: TestClient,
    pub resident_b: TestClient,
    pub household_a: i64,
    pub rooms_a: Vec<i64>,
}

/// 王建国 and his mother; `groups` are hers.
pub async fn register(
    server: &TestServer,
    room_id: i64,
    phone: &str,
    groups: &[&str],
) -> (TestClient, i64) {
    let body = household(
        room_id,
        phone,
        json!([
            { "name": "王建国", "phone": phone, "relation": "self", "birth_year": 1975,
              "id_number": "11010519491231002X" },
            { "name": "王奶奶", "relation": "parent", "birth_year": 1940, "groups": groups }
        ]),
    );
    let (client, outcome) = fixtures::register(server, &body).await;
    (client, outcome.household_id)
}

pub async fn community(server: &TestServer) -> Community {
    let grids = two_grids(server).await;
    let (resident_a, household_a) =
        register(server, grids.rooms[0], "13912345678", &["elderly_alone"]).await;
    let (resident_b, _) = register(server, grids.rooms[3], "13712345678", &[]).await;
    Community {
        admin: grids.admin,
        staff_a: grids.staff_a,
        staff_b: grids.staff_b,
        building_a: grids.buildings[0],
        building_b: grids.buildings[1],
        resident_a,
        resident_b,
        household_a,
        rooms_a: grids.rooms[..3].to_vec(),
    }
}

pub async fn set_zone(staff: &TestClient, building: i64, zone: &str) -> reqwest::Response {
    staff
        .put(
            &format!("/api/zones/buildings/{building}"),
            &json!({ "zone": zone, "reason": "出现阳性病例", "planned_end": "2099-01-01T00:00:00Z" }),
        )
        .await
}

/// A building's zone history, newest first, as a change answers it.
async fn history_of(response: reqwest::Response) -> Vec<ZonePeriod> {
    reply(response, StatusCode::OK).await
}

/// What a resident's home page shows about their building.
async fn my_zone(resident: &TestClient) -> MyZone {
    reply(resident.get("/api/zones/mine").await, StatusCode::OK).await
}

/// The notices on the public board.
async fn board(server: &TestServer) -> Page<NoticeSummary> {
    reply(server.client().get("/api/notices").await, StatusCode::OK).await
}

async fn buildings(client: &TestClient, path: &str) -> Page<BuildingZone> {
    reply(client.get(path).await, StatusCode::OK).await
}

pub async fn seal(staff: &TestClient, building: i64) {
    assert_eq!(
        set_zone(staff, building, "sealed").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn staff_seal_a_building_the_board_announces_it_and_history_is_kept() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let response = set_zone(&c.staff_a, c.building_a, "sealed").await;
    let history = history_of(response).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].zone, Zone::Sealed);
    assert!(history[0].ended_at.is_none());
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM buildings WHERE id = {} AND zone = 'sealed' AND zone_since IS NOT NULL",
                c.building_a
            ))
            .await,
        1
    );
    // The public board shows it at once, as an official notice with provenance.
    let listed = board(&server).await;
    let item = &listed.items[0];
    assert_eq!(item.title, "1号楼调整为封控区");
    assert_eq!(item.category, NoticeCategory::Prevention);
    let notice_id = history[0].notice_id.expect("the zone's notice");
    let notice: Notice = reply(
        server
            .client()
            .get(&format!("/api/notices/{notice_id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(notice.body.contains("（网格员）"));
    assert!(notice.body.contains("出现阳性病例"));

    // A second change closes the first period.
    let history = history_of(set_zone(&c.staff_a, c.building_a, "controlled").await).await;
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].zone, Zone::Controlled);
    assert!(history[1].ended_at.is_some(), "the sealed period ended");
    let again = history_of(
        c.staff_a
            .get(&format!("/api/zones/buildings/{}/history", c.building_a))
            .await,
    )
    .await;
    assert_eq!(again, history);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'zone.set'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_change_announced_ahead_starts_at_its_time_and_a_new_decision_replaces_it() {
    let server = TestServer::spawn_with(&["--test-hooks"]).await;
    let c = community(&server).await;
    let path = format!("/api/zones/buildings/{}", c.building_a);
    let zone_of = |zone: &str| {
        format!(
            "SELECT COUNT(*) FROM buildings WHERE id = {} AND zone = '{zone}'",
            c.building_a
        )
    };
    let in_an_hour = chrono::Utc::now() + chrono::Duration::hours(1);
    let history = history_of(
        c.staff_a
            .put(
                &path,
                &json!({ "zone": "sealed", "reason": "出现阳性病例", "starts_at": in_an_hour }),
            )
            .await,
    )
    .await;
    assert!(history[0].pending, "{history:?}");
    assert_eq!(history[0].zone, Zone::Sealed);
    assert_eq!(
        server.count(&zone_of("precaution")).await,
        1,
        "not sealed yet"
    );
    // Residents are told what is coming; the board carries the announcement now.
    let mine = my_zone(&c.resident_a).await;
    assert_eq!(mine.zone, Zone::Precaution);
    assert_eq!(mine.upcoming.map(|u| u.zone), Some(Zone::Sealed));
    assert_eq!(board(&server).await.items[0].title, "1号楼调整为封控区");

    // A new decision replaces the one that has not started; it starts in two seconds.
    let soon = chrono::Utc::now() + chrono::Duration::seconds(2);
    let history = history_of(
        c.staff_a
            .put(
                &path,
                &json!({ "zone": "controlled", "reason": "密接所在楼栋", "starts_at": soon }),
            )
            .await,
    )
    .await;
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0].zone, Zone::Controlled);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM scheduled_zones WHERE replaced_at IS NOT NULL")
            .await,
        1
    );
    // Not yet: nothing is due.
    let done = crate::helpers::run_due(&server).await;
    assert_eq!(done["zone_changes_applied"], 0, "{done}");
    assert_eq!(server.count(&zone_of("controlled")).await, 0);
    // Three seconds later the server's housekeeping finds it due.
    crate::helpers::advance_clock(&server, 3).await;
    let done = crate::helpers::run_due(&server).await;
    assert_eq!(done["zone_changes_applied"], 1, "{done}");
    assert_eq!(
        server.count(&zone_of("controlled")).await,
        1,
        "the announced change started"
    );
    let history = history_of(
        c.staff_a
            .get(&format!("/api/zones/buildings/{}/history", c.building_a))
            .await,
    )
    .await;
    assert_eq!(history.len(), 1, "{history:?}");
    assert!(!history[0].pending);
    assert_eq!(history[0].zone, Zone::Controlled);
    let mine = my_zone(&c.resident_a).await;
    assert_eq!(mine.zone, Zone::Controlled);
    assert!(mine.upcoming.is_none());
    // Applied once, by the server, and the replaced announcement never.
    let done = crate::helpers::run_due(&server).await;
    assert_eq!(done["zone_changes_applied"], 0, "{done}");
    assert_eq!(
        server
            .count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'zone.start' AND actor_id IS NULL"
            )
            .await,
        1
    );
    assert_eq!(server.count("SELECT COUNT(*) FROM building_zones").await, 1);
}

#[tokio::test]
async fn only_staff_of_the_grid_or_admins_set_a_zone() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let unchanged = "SELECT COUNT(*) FROM building_zones";
    assert_error(
        set_zone(&server.client(), c.building_a, "sealed").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    for who in [&c.resident_a, &volunteer] {
        assert_error(
            set_zone(who, c.building_a, "sealed").await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_error(
        set_zone(&c.staff_b, c.building_a, "sealed").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.staff_b
            .get(&format!("/api/zones/buildings/{}/history", c.building_a))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        set_zone(&c.staff_a, 999_999, "sealed").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(server.count(unchanged).await, 0);
    assert_eq!(server.count("SELECT COUNT(*) FROM notices").await, 0);
    // Admins work every grid.
    assert_eq!(
        set_zone(&c.admin, c.building_b, "controlled")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_zone_changes_name_the_field() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let path = format!("/api/zones/buildings/{}", c.building_a);
    let cases: [(Value, &str); 3] = [
        (json!({ "zone": "sealed", "reason": " " }), "reason"),
        (
            json!({ "zone": "sealed", "reason": "x", "starts_at": "2026-11-28T00:00:00Z",
                    "planned_end": "2026-11-27T00:00:00Z" }),
            "planned_end",
        ),
        (
            json!({ "zone": "sealed", "reason": "字".repeat(201) }),
            "reason",
        ),
    ];
    for (body, field) in cases {
        let error = assert_error(
            c.staff_a.put(&path, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            if field == "planned_end" {
                "date_order"
            } else if body["reason"].as_str().unwrap().len() > 10 {
                "too_long"
            } else {
                "required"
            },
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field));
    }
    let far = chrono::Utc::now() + chrono::Duration::days(31);
    let error = assert_error(
        c.staff_a
            .put(
                &path,
                &json!({ "zone": "sealed", "reason": "x", "starts_at": far }),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_date",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("starts_at"));
    let unknown = c
        .staff_a
        .put(&path, &json!({ "zone": "locked", "reason": "x" }))
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(server.count("SELECT COUNT(*) FROM building_zones").await, 0);
    assert_eq!(
        server.count("SELECT COUNT(*) FROM scheduled_zones").await,
        0
    );
}

#[tokio::test]
async fn residents_see_their_zone_whom_to_call_and_what_they_may_request() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let before = my_zone(&c.resident_a).await;
    assert_eq!(before.zone, Zone::Precaution);
    assert!(
        !before.open_kinds.contains(&RequestKind::Grocery),
        "no grocery delivery while the shops are open"
    );
    seal(&c.staff_a, c.building_a).await;
    let mine = my_zone(&c.resident_a).await;
    assert_eq!(mine.zone, Zone::Sealed);
    assert_eq!(mine.building_name, "1号楼");
    assert_eq!(mine.reason.as_deref(), Some("出现阳性病例"));
    assert!(mine.grid_worker_name.is_some());
    // The grid worker's account has no phone: residents call the 楼栋长.
    assert_eq!(mine.contact_name.as_deref(), Some("李伯"));
    assert_eq!(mine.contact_phone.as_deref(), Some("13900000001"));
    assert!(mine.open_kinds.contains(&RequestKind::Grocery));
    // Building B is not affected.
    assert_eq!(my_zone(&c.resident_b).await.zone, Zone::Precaution);
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    assert_error(
        volunteer.get("/api/zones/mine").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn staff_list_the_buildings_of_their_grids_with_zones() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let mine = buildings(&c.staff_a, "/api/zones/buildings").await;
    assert_eq!(mine.total, 1);
    assert_eq!(mine.items[0].zone, Zone::Sealed);
    assert!(mine.items[0].planned_end.is_some());
    let all = buildings(&c.admin, "/api/zones/buildings").await;
    assert_eq!(all.total, 2);
    assert_eq!(all.items[0].building_name, "1号楼", "sealed first");
    let sealed = buildings(&c.admin, "/api/zones/buildings?zone=sealed").await;
    assert_eq!(sealed.total, 1);
    assert_error(
        c.resident_a.get("/api/zones/buildings").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let _ = (c.household_a, &c.rooms_a);
}
