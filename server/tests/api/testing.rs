//! Testing rounds: a grid worker schedules a round with a slot per unit, residents see
//! their slot, the worker marks who was sampled at the site or at the door, and nobody
//! outside the grid sees or changes anything.

use crate::fixtures::{self, created_id, imported, reply, room_ids, staff_of};
use crate::helpers::{TestClient, TestServer, assert_error};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::residents::Household;
use shouwang_api::testing::{
    DoorReason, MyRound, MyTesting, Phase, RoundDetail, RoundPerson, RoundSummary, TestPlace,
    TestResult,
};

struct Community {
    admin: TestClient,
    staff_a: TestClient,
    staff_b: TestClient,
    building_a: i64,
    building_b: i64,
    /// 1号楼 1单元 and 2单元.
    units_a: Vec<i64>,
    unit_b: i64,
    /// 101 and 102 (1单元), 111 (2单元).
    rooms_a: Vec<i64>,
}

fn community_day() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

async fn community(server: &TestServer) -> Community {
    let csv = "网格,楼栋,单元,房号\n甲网格,1号楼,1单元,101\n甲网格,1号楼,1单元,102\n甲网格,1号楼,2单元,111\n乙网格,2号楼,1单元,201";
    let imported = imported(server, csv).await;
    let (a, b) = (
        imported.grid("甲网格").clone(),
        imported.grid("乙网格").clone(),
    );
    Community {
        staff_a: staff_of(server, &imported.admin, a.id, "worker.a").await,
        staff_b: staff_of(server, &imported.admin, b.id, "worker.b").await,
        admin: imported.admin,
        building_a: a.buildings[0].id,
        building_b: b.buildings[0].id,
        units_a: a.buildings[0].units.iter().map(|u| u.id).collect(),
        unit_b: b.buildings[0].units[0].id,
        rooms_a: room_ids(&a.buildings[0]),
    }
}

/// 王建国 and his mother, who lives alone most of the year (独居老人).
async fn family(server: &TestServer, room_id: i64, phone: &str) -> (TestClient, Vec<i64>) {
    let body = json!({
        "room_id": room_id, "phone": phone, "password": "my-own-password",
        "consent_notice": true, "consent_sensitive": true,
        "members": [
            { "name": "王建国", "phone": phone, "relation": "self", "birth_year": 1975 },
            { "name": "王奶奶", "phone": "13800001111", "relation": "parent", "birth_year": 1940,
              "groups": ["elderly_alone"] }
        ]
    });
    register(server, body).await
}

async fn single(server: &TestServer, room_id: i64, phone: &str) -> (TestClient, Vec<i64>) {
    let body = json!({
        "room_id": room_id, "phone": phone, "password": "my-own-password",
        "consent_notice": true,
        "members": [{ "name": "李明", "phone": phone, "relation": "self", "birth_year": 1990 }]
    });
    register(server, body).await
}

async fn register(server: &TestServer, body: Value) -> (TestClient, Vec<i64>) {
    let (client, _) = fixtures::register(server, &body).await;
    let mine: Household = reply(client.get("/api/residents/me").await, StatusCode::OK).await;
    (client, mine.members.iter().map(|m| m.id).collect())
}

fn round(c: &Community, date: chrono::NaiveDate) -> Value {
    json!({
        "name": "第3轮全员核酸检测",
        "date": date.to_string(),
        "place": "小区东门广场",
        "notes": "请携带身份证，全程佩戴口罩，保持1米间距",
        "building_ids": [c.building_a],
        "slots": [
            { "unit_id": c.units_a[0], "start": "08:00", "end": "08:30" },
            { "unit_id": c.units_a[1], "start": "08:30", "end": "09:00" }
        ]
    })
}

async fn create(client: &TestClient, body: &Value) -> i64 {
    created_id(client.post("/api/testing/rounds", body).await).await
}

/// The household's round, if it has one to go to.
async fn my_round(resident: &TestClient) -> Option<MyRound> {
    let mine: MyTesting = reply(resident.get("/api/testing/me").await, StatusCode::OK).await;
    mine.round
}

async fn detail(staff: &TestClient, id: i64) -> RoundDetail {
    reply(
        staff.get(&format!("/api/testing/rounds/{id}")).await,
        StatusCode::OK,
    )
    .await
}

async fn rounds(staff: &TestClient) -> Page<RoundSummary> {
    reply(staff.get("/api/testing/rounds").await, StatusCode::OK).await
}

/// The people of a round at `list` (`untested` or `door`).
async fn people(staff: &TestClient, id: i64, list: &str) -> Page<RoundPerson> {
    reply(
        staff.get(&format!("/api/testing/rounds/{id}/{list}")).await,
        StatusCode::OK,
    )
    .await
}

fn place_of(result: &Option<TestResult>) -> Option<TestPlace> {
    result.as_ref().map(|r| r.place)
}

#[tokio::test]
async fn a_round_is_scheduled_residents_see_their_slot_and_staff_mark_who_was_sampled() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (resident, members) = family(&server, c.rooms_a[0], "13912345678").await;
    let (me, mother) = (members[0], members[1]);
    let (neighbour, _) = single(&server, c.rooms_a[2], "13912345679").await;

    // Given no round, the resident has none to go to.
    assert!(my_round(&resident).await.is_none());

    // The worker schedules today's round; both households are told their unit's slot.
    let id = create(&c.staff_a, &round(&c, community_day())).await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM notifications WHERE kind = 'testing.scheduled'")
            .await,
        2
    );
    let r = my_round(&resident).await.expect("today's round");
    assert_eq!(r.id, id);
    assert_eq!(r.phase, Phase::Today);
    assert_eq!((r.start.as_str(), r.end.as_str()), ("08:00", "08:30"));
    assert_eq!(r.place, "小区东门广场");
    assert!(!r.members[0].at_door);
    assert!(
        r.members[1].at_door,
        "the elderly mother is sampled at home"
    );
    assert!(r.members[0].result.is_none());
    let theirs = my_round(&neighbour).await.expect("the neighbour's round");
    assert_eq!(theirs.start, "08:30");

    // Progress: 应检 3, 已检 0; the untested list masks phones; the door list has the mother.
    let progress = detail(&c.staff_a, id).await;
    assert_eq!((progress.expected, progress.tested), (3, 0));
    assert_eq!(progress.slots.len(), 2);
    assert_eq!(progress.progress[0].expected, 2);
    assert_eq!(progress.progress[1].expected, 1);
    let untested = people(&c.staff_a, id, "untested").await;
    assert_eq!(untested.total, 3);
    assert_eq!(untested.items[0].phone.as_deref(), Some("139****5678"));
    let door = people(&c.staff_a, id, "door").await;
    assert_eq!(door.total, 1);
    assert_eq!(door.items[0].member_id, mother);
    assert_eq!(door.items[0].door_reasons, [DoorReason::ElderlyAlone]);
    assert_eq!(door.items[0].phone.as_deref(), Some("138****1111"));

    // He is sampled at the site (twice tapped: one mark), his mother at the door.
    let path = format!("/api/testing/rounds/{id}/results");
    for _ in 0..2 {
        let marked = c
            .staff_a
            .post(&path, &json!({ "member_id": me, "place": "site" }))
            .await;
        let marked: TestResult = reply(marked, StatusCode::OK).await;
        assert_eq!(marked.place, TestPlace::Site);
    }
    let again = c
        .staff_a
        .post(&path, &json!({ "member_id": me, "place": "door" }))
        .await;
    let again: TestResult = reply(again, StatusCode::OK).await;
    assert_eq!(again.place, TestPlace::Site, "the first mark stays");
    let door_mark = c
        .staff_a
        .post(&path, &json!({ "member_id": mother, "place": "door" }))
        .await;
    assert_eq!(door_mark.status(), StatusCode::OK);
    assert_eq!(
        server.count("SELECT COUNT(*) FROM testing_results").await,
        2
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'testing.mark'")
            .await,
        2
    );

    let progress = detail(&c.staff_a, id).await;
    assert_eq!(progress.tested, 2);
    assert_eq!(progress.progress[0].tested, 2);
    assert_eq!(progress.progress[0].at_door, 1);
    assert_eq!(people(&c.staff_a, id, "untested").await.total, 1);
    let mine = my_round(&resident).await.expect("the round");
    assert_eq!(place_of(&mine.members[0].result), Some(TestPlace::Site));
    assert_eq!(place_of(&mine.members[1].result), Some(TestPlace::Door));
    let list = rounds(&c.staff_a).await;
    assert_eq!(list.total, 1);
    assert_eq!((list.items[0].expected, list.items[0].tested), (3, 2));
    assert_eq!(rounds(&c.admin).await.items[0].tested, 2);

    // A mistaken mark is undone once; a second undo finds nothing.
    let undo = format!("/api/testing/rounds/{id}/results/{me}/undo");
    assert_eq!(
        c.staff_a.action(&undo).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        c.staff_a.action(&undo).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let mine = my_round(&resident).await.expect("the round");
    assert!(mine.members[0].result.is_none());

    for (action, n) in [
        ("testing.create", 1),
        ("testing.undo", 1),
        ("testing.view_untested", 2),
        ("testing.view_door", 1),
    ] {
        assert_eq!(
            server
                .count(&format!(
                    "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
                ))
                .await,
            n,
            "{action}"
        );
    }
}

#[tokio::test]
async fn only_staff_of_the_grid_schedule_see_and_mark() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (resident, members) = family(&server, c.rooms_a[0], "13912345678").await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let id = create(&c.staff_a, &round(&c, community_day())).await;
    let snapshot = "SELECT (SELECT COUNT(*) FROM testing_rounds) * 10000
        + (SELECT COUNT(*) FROM testing_results) * 100
        + (SELECT COUNT(*) FROM audit_log WHERE action LIKE 'testing.%')";
    let before = server.count(snapshot).await;

    // Volunteers and residents are not staff.
    for client in [&volunteer, &resident] {
        assert_error(
            client
                .post("/api/testing/rounds", &round(&c, community_day()))
                .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        for path in [
            "/api/testing/rounds".to_owned(),
            format!("/api/testing/rounds/{id}"),
            format!("/api/testing/rounds/{id}/untested"),
            format!("/api/testing/rounds/{id}/door"),
        ] {
            assert_error(client.get(&path).await, StatusCode::FORBIDDEN, "forbidden").await;
        }
        assert_error(
            client
                .post(
                    &format!("/api/testing/rounds/{id}/results"),
                    &json!({ "member_id": members[0], "place": "site" }),
                )
                .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_error(
            client
                .action(&format!("/api/testing/rounds/{id}/cancel"))
                .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_error(
        volunteer.get("/api/testing/me").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // The other grid's worker may not schedule grid 甲's building and does not see its round.
    assert_error(
        c.staff_b
            .post("/api/testing/rounds", &round(&c, community_day()))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    for path in [
        format!("/api/testing/rounds/{id}"),
        format!("/api/testing/rounds/{id}/untested"),
        format!("/api/testing/rounds/{id}/door"),
    ] {
        assert_error(
            c.staff_b.get(&path).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert_eq!(rounds(&c.staff_b).await.total, 0);
    assert_error(
        c.staff_b
            .post(
                &format!("/api/testing/rounds/{id}/results"),
                &json!({ "member_id": members[0], "place": "site" }),
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.staff_b
            .action(&format!("/api/testing/rounds/{id}/cancel"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(server.count(snapshot).await, before, "nothing changed");

    // A round over both grids: grid 甲's worker may not schedule it; an admin may, and then
    // each worker sees only their own people, and neither alone may cancel it.
    let mut both = round(&c, community_day());
    both["building_ids"] = json!([c.building_a, c.building_b]);
    both["slots"][1] = json!({ "unit_id": c.unit_b, "start": "09:00", "end": "09:30" });
    assert_error(
        c.staff_a.post("/api/testing/rounds", &both).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(server.count(snapshot).await, before);
    let shared = create(&c.admin, &both).await;
    let seen_by_b = detail(&c.staff_b, shared).await;
    assert_eq!(seen_by_b.expected, 0, "grid 乙 has nobody registered");
    assert_eq!(seen_by_b.slots.len(), 1);
    assert_error(
        c.staff_b
            .action(&format!("/api/testing/rounds/{shared}/cancel"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        c.admin
            .action(&format!("/api/testing/rounds/{shared}/cancel"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn bad_rounds_are_refused_with_the_field_named() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let today = community_day();
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Change, &str, &str)> = vec![
        (Box::new(|v| v["name"] = json!(" ")), "name", "required"),
        (Box::new(|v| v["place"] = json!("")), "place", "required"),
        (
            Box::new(move |v| v["date"] = json!((today - chrono::Duration::days(1)).to_string())),
            "date",
            "invalid_date",
        ),
        (
            Box::new(|v| v["date"] = json!("明天")),
            "date",
            "invalid_date",
        ),
        (
            Box::new(|v| v["building_ids"] = json!([])),
            "building_ids",
            "required",
        ),
        (
            Box::new(|v| v["building_ids"] = json!([999_999])),
            "building_ids",
            "invalid_value",
        ),
        (
            Box::new(|v| v["slots"][0]["end"] = json!("07:30")),
            "slots",
            "date_order",
        ),
        (
            Box::new(|v| v["slots"][0]["start"] = json!("25:00")),
            "slots",
            "invalid_value",
        ),
        (
            Box::new(|v| v["slots"][1]["unit_id"] = v["slots"][0]["unit_id"].clone()),
            "slots",
            "invalid_value",
        ),
        (Box::new(|v| v["slots"] = json!([])), "slots", "required"),
    ];
    for (change, field, code) in cases {
        let mut body = round(&c, today);
        change(&mut body);
        let error = assert_error(
            c.staff_a.post("/api/testing/rounds", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
    }
    // A slot for a unit of a building outside the round.
    let mut body = round(&c, today);
    body["slots"][1]["unit_id"] = json!(c.unit_b);
    let error = assert_error(
        c.staff_a.post("/api/testing/rounds", &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("slots"));
    assert_eq!(server.count("SELECT COUNT(*) FROM testing_rounds").await, 0);
}

#[tokio::test]
async fn results_are_taken_only_on_the_day_of_a_round_that_stands() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (resident, members) = family(&server, c.rooms_a[0], "13912345678").await;
    let tomorrow = create(
        &c.staff_a,
        &round(&c, community_day() + chrono::Duration::days(1)),
    )
    .await;
    let mark = json!({ "member_id": members[0], "place": "site" });
    assert_error(
        c.staff_a
            .post(&format!("/api/testing/rounds/{tomorrow}/results"), &mark)
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    let mine = my_round(&resident).await.expect("tomorrow's round");
    assert_eq!(mine.phase, Phase::Upcoming);

    // Cancelled: residents are told and see no round; no results; no second cancel.
    let cancel = format!("/api/testing/rounds/{tomorrow}/cancel");
    assert_eq!(
        c.staff_a.action(&cancel).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        c.staff_a.action(&cancel).await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM notifications WHERE kind = 'testing.cancelled'")
            .await,
        1
    );
    assert!(my_round(&resident).await.is_none());
    let today = create(&c.staff_a, &round(&c, community_day())).await;
    assert_eq!(
        c.staff_a
            .action(&format!("/api/testing/rounds/{today}/cancel"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        c.staff_a
            .post(&format!("/api/testing/rounds/{today}/results"), &mark)
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        server.count("SELECT COUNT(*) FROM testing_results").await,
        0
    );

    // Unknown rounds and members.
    assert_error(
        c.staff_a.get("/api/testing/rounds/999999").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let live = create(&c.staff_a, &round(&c, community_day())).await;
    assert_error(
        c.staff_a
            .post(
                &format!("/api/testing/rounds/{live}/results"),
                &json!({ "member_id": 999_999, "place": "door" }),
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
