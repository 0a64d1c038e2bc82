//! Read receipts: staff ask households to acknowledge an important notice, households
//! tap 已阅知, and staff follow up door to door on the ones that have not, building by
//! building, in their own grids only.

use crate::fixtures::{self, created_id, imported, inbox, kinds, reply, staff_of};
use crate::helpers::{TestClient, TestServer, assert_error};
use reqwest::StatusCode;
use serde_json::json;
use shouwang::db::sql;
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::receipts::{
    BuildingReceipts, FollowUpHousehold, MyReceipt, ReceiptMethod, ReceiptNotice,
};
use shouwang_api::residents::SpecialGroup;
use shouwang_api::submissions::QueueItem;

/// Grid A: building A1 (rooms 101–103), building A2 (room 111). Grid B: building B1
/// (room 201). A grid worker for each grid.
struct Community {
    admin: TestClient,
    staff_a: TestClient,
    staff_b: TestClient,
    rooms: Vec<(String, i64)>,
    buildings: Vec<(String, i64)>,
}

impl Community {
    fn room(&self, name: &str) -> i64 {
        self.rooms.iter().find(|(n, _)| n == name).expect("room").1
    }

    fn building(&self, name: &str) -> i64 {
        self.buildings
            .iter()
            .find(|(n, _)| n == name)
            .expect("building")
            .1
    }
}

async fn community(server: &TestServer) -> Community {
    let csv = "网格,楼栋,单元,房号\n甲网格,A1,1单元,101\n甲网格,A1,1单元,102\n甲网格,A1,1单元,103\n\
               甲网格,A2,1单元,111\n乙网格,B1,1单元,201";
    let imported = imported(server, csv).await;
    let grids: Vec<i64> = imported.structure.grids.iter().map(|g| g.id).collect();
    let buildings = imported
        .structure
        .grids
        .iter()
        .flat_map(|g| &g.buildings)
        .map(|b| (b.name.clone(), b.id))
        .collect();
    let mut staff = Vec::new();
    for (i, grid) in grids.iter().enumerate() {
        staff.push(staff_of(server, &imported.admin, *grid, &format!("worker{i}")).await);
    }
    let staff_b = staff.pop().unwrap();
    let staff_a = staff.pop().unwrap();
    Community {
        rooms: imported.rooms(),
        buildings,
        admin: imported.admin,
        staff_a,
        staff_b,
    }
}

/// A household registers itself from a phone; the client is signed in as it.
async fn register(server: &TestServer, room_id: i64, phone: &str, elderly: bool) -> TestClient {
    let mut members =
        vec![json!({ "name": "王建国", "phone": phone, "relation": "self", "birth_year": 1975 })];
    if elderly {
        members.push(json!({ "name": "王奶奶", "relation": "parent", "birth_year": 1940, "groups": ["elderly_alone"] }));
    }
    fixtures::register(server, &fixtures::household(room_id, phone, json!(members)))
        .await
        .0
}

/// An elderly person without a phone, registered at the door.
async fn register_at_door(staff: &TestClient, room_id: i64) -> i64 {
    let response = staff
        .post(
            "/api/residents/households",
            &json!({ "room_id": room_id, "members": [
                { "name": "张大爷", "relation": "self", "birth_year": 1938, "groups": ["elderly_alone"] }
            ] }),
        )
        .await;
    created_id(response).await
}

async fn published_notice(staff: &TestClient, title: &str) -> i64 {
    let created = staff
        .post(
            "/api/notices",
            &json!({ "title": title, "body": "请各户于今晚 8 点前完成核酸检测。" }),
        )
        .await;
    let id = created_id(created).await;
    let published = staff.action(&format!("/api/notices/{id}/publish")).await;
    assert_eq!(published.status(), StatusCode::OK);
    id
}

async fn household_of(server: &TestServer, room_id: i64) -> i64 {
    let db = server.connect().await;
    sql::query_scalar("SELECT id FROM households WHERE room_id = ? AND state = 'active'")
        .bind(room_id)
        .fetch_one(&db)
        .await
        .expect("household")
}

fn building_row(rows: &[BuildingReceipts], building_id: i64) -> &BuildingReceipts {
    rows.iter()
        .find(|r| r.building_id == building_id)
        .expect("the building's row")
}

/// The receipt of a notice as the caller sees it.
async fn my_receipt(client: &TestClient, notice: i64) -> MyReceipt {
    reply(
        client.get(&format!("/api/notices/{notice}/receipt")).await,
        StatusCode::OK,
    )
    .await
}

/// What asking for (or no longer asking for) receipts answers.
async fn receipt_reply(response: reqwest::Response) -> MyReceipt {
    reply(response, StatusCode::OK).await
}

async fn receipt_notices(staff: &TestClient) -> Page<ReceiptNotice> {
    reply(staff.get("/api/receipts").await, StatusCode::OK).await
}

async fn building_counts(staff: &TestClient, notice: i64) -> Vec<BuildingReceipts> {
    reply(
        staff
            .get(&format!("/api/receipts/{notice}/buildings"))
            .await,
        StatusCode::OK,
    )
    .await
}

async fn follow_up_list(staff: &TestClient, path: &str) -> Page<FollowUpHousehold> {
    reply(staff.get(path).await, StatusCode::OK).await
}

#[tokio::test]
async fn a_household_acknowledges_and_staff_follow_up_the_others_at_the_door() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let first = register(&server, c.room("101"), "13912340001", false).await;
    register(&server, c.room("102"), "13912340002", true).await;
    let door_household = register_at_door(&c.staff_a, c.room("103")).await;
    register(&server, c.room("201"), "13912340003", false).await;
    let notice = published_notice(&c.staff_a, "关于全员核酸检测的紧急通知").await;

    // Not yet important: nobody is asked.
    assert!(!my_receipt(&first, notice).await.required);

    let requirement = c
        .staff_a
        .put(
            &format!("/api/notices/{notice}/receipts"),
            &json!({ "required": true }),
        )
        .await;
    assert!(receipt_reply(requirement).await.all_buildings);

    // The household taps 已阅知 once; a second tap changes nothing.
    let mine = my_receipt(&first, notice).await;
    assert!(mine.required);
    assert!(mine.acknowledged_at.is_none());
    for _ in 0..2 {
        let acked = first
            .action(&format!("/api/notices/{notice}/receipt"))
            .await;
        let acked: MyReceipt = reply(acked, StatusCode::OK).await;
        assert_eq!(acked.method, Some(ReceiptMethod::SelfTap));
        assert!(acked.acknowledged_at.is_some());
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM receipts").await, 1);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'receipt.acknowledge'")
            .await,
        1
    );

    // Each grid worker counts their own grid only.
    let list = receipt_notices(&c.staff_a).await;
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].households, 3);
    assert_eq!(list.items[0].acknowledged, 1);
    let list_b = receipt_notices(&c.staff_b).await;
    assert_eq!(list_b.items[0].households, 1);
    assert_eq!(list_b.items[0].acknowledged, 0);

    let counts = building_counts(&c.staff_a, notice).await;
    assert_eq!(counts.len(), 2, "A1 and A2, not B1");
    let a1 = building_row(&counts, c.building("A1"));
    assert_eq!((a1.households, a1.acknowledged), (3, 1));
    assert_eq!(building_counts(&c.staff_b, notice).await.len(), 1);

    // The follow-up list: the two households of A1 that have not acknowledged, elderly
    // people first, the one without a phone before the one with; phones masked.
    let follow_up = format!(
        "/api/receipts/{notice}/follow-up?building_id={}",
        c.building("A1")
    );
    let list = follow_up_list(&c.staff_a, &follow_up).await;
    assert_eq!(list.total, 2);
    let rooms: Vec<&str> = list.items.iter().map(|h| h.room.as_str()).collect();
    assert_eq!(rooms, ["103", "102"]);
    assert_eq!(list.items[0].groups, [SpecialGroup::ElderlyAlone]);
    assert!(list.items[0].head_phone.is_none());
    assert_eq!(list.items[1].head_phone.as_deref(), Some("139****0002"));
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'receipt.follow_up_view'")
            .await,
        1,
        "looking at the list is on record"
    );
    // Another grid's worker cannot look at A1, nor record anything there.
    assert_error(
        c.staff_b.get(&follow_up).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let door = format!("/api/receipts/{notice}/households/{door_household}");
    assert_error(
        c.staff_b.post(&door, &json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(server.count("SELECT COUNT(*) FROM receipts").await, 1);

    // At the door: recorded on the household's behalf, with who, when and how.
    let recorded = c
        .staff_a
        .post(&door, &json!({ "note": "老人口头确认，已讲解" }))
        .await;
    assert_eq!(recorded.status(), StatusCode::NO_CONTENT);
    assert_error(
        c.staff_a.post(&door, &json!({})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let db = server.connect().await;
    let (method, note, at): (String, Option<String>, chrono::DateTime<chrono::Utc>) =
        sql::query_as(
            "SELECT r.method, r.note, r.at FROM receipts r JOIN users u ON u.id = r.recorded_by
         WHERE r.household_id = ? AND u.username = 'worker0'",
        )
        .bind(door_household)
        .fetch_one(&db)
        .await
        .expect("the door receipt, recorded by the grid worker");
    assert_eq!(method, "door");
    assert_eq!(note.as_deref(), Some("老人口头确认，已讲解"));
    assert!(
        chrono::Utc::now() - at < chrono::Duration::minutes(5),
        "recorded just now: {at}"
    );
    let counts = building_counts(&c.staff_a, notice).await;
    assert_eq!(building_row(&counts, c.building("A1")).acknowledged, 2);
    let list = follow_up_list(&c.staff_a, &follow_up).await;
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].room, "102");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'receipt.door'")
            .await,
        1
    );
    // An admin sees every grid.
    let all = receipt_notices(&c.admin).await;
    assert_eq!(all.items[0].households, 4);
    assert_eq!(all.items[0].acknowledged, 2);
}

#[tokio::test]
async fn only_staff_ask_count_and_record_and_nothing_changes_when_refused() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let resident = register(&server, c.room("101"), "13912340001", false).await;
    let household = household_of(&server, c.room("101")).await;
    let notice = published_notice(&c.staff_a, "重要通知").await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let anonymous = server.client();
    let require = format!("/api/notices/{notice}/receipts");
    let door = format!("/api/receipts/{notice}/households/{household}");
    let follow_up = format!(
        "/api/receipts/{notice}/follow-up?building_id={}",
        c.building("A1")
    );
    let snapshot =
        "SELECT (SELECT COUNT(*) FROM receipt_notices) * 1000 + (SELECT COUNT(*) FROM receipts)";

    for (who, status, code) in [
        (&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated"),
        (&resident, StatusCode::FORBIDDEN, "forbidden"),
        (&volunteer, StatusCode::FORBIDDEN, "forbidden"),
    ] {
        let before = server.count(snapshot).await;
        let asked = who.put(&require, &json!({ "required": true })).await;
        assert_error(asked, status, code).await;
        assert_error(who.get("/api/receipts").await, status, code).await;
        assert_error(who.get(&follow_up).await, status, code).await;
        assert_error(
            who.get(&format!("/api/receipts/{notice}/buildings")).await,
            status,
            code,
        )
        .await;
        assert_error(who.post(&door, &json!({})).await, status, code).await;
        assert_eq!(server.count(snapshot).await, before, "nothing changed");
    }
    // Not asked yet: nothing to acknowledge, and staff have no list for it.
    assert_error(
        resident
            .action(&format!("/api/notices/{notice}/receipt"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.staff_a.get(&follow_up).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // A volunteer has no household to acknowledge for.
    let asked = c.staff_a.put(&require, &json!({ "required": true })).await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert_error(
        volunteer
            .action(&format!("/api/notices/{notice}/receipt"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(server.count("SELECT COUNT(*) FROM receipts").await, 0);
    // A draft is not acknowledged, even when it asks.
    let draft = created_id(
        c.staff_a
            .post(
                "/api/notices",
                &json!({ "title": "草稿", "body": "还没发布" }),
            )
            .await,
    )
    .await;
    let asked = c
        .staff_a
        .put(
            &format!("/api/notices/{draft}/receipts"),
            &json!({ "required": true }),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert_error(
        resident
            .action(&format!("/api/notices/{draft}/receipt"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Only some buildings asked: a household elsewhere is not.
    let some = c
        .staff_a
        .put(
            &require,
            &json!({ "required": true, "building_ids": [c.building("A2")] }),
        )
        .await;
    assert!(!receipt_reply(some).await.all_buildings);
    assert!(!my_receipt(&resident, notice).await.required);
    assert_error(
        resident
            .action(&format!("/api/notices/{notice}/receipt"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(server.count("SELECT COUNT(*) FROM receipts").await, 0);
    // Staff stop asking.
    let stopped = c.staff_a.put(&require, &json!({ "required": false })).await;
    assert!(!receipt_reply(stopped).await.required);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'receipt.%require'")
            .await,
        4
    );
}

#[tokio::test]
async fn bad_input_names_the_field_and_unknown_ids_are_not_found() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    register(&server, c.room("101"), "13912340001", false).await;
    let household = household_of(&server, c.room("101")).await;
    let notice = published_notice(&c.staff_a, "重要通知").await;
    let require = format!("/api/notices/{notice}/receipts");

    for ids in [json!([0]), json!([999_999])] {
        let refused = c
            .staff_a
            .put(&require, &json!({ "required": true, "building_ids": ids }))
            .await;
        let error = assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value").await;
        assert_eq!(error.field.as_deref(), Some("building_ids"));
    }
    assert_eq!(
        server.count("SELECT COUNT(*) FROM receipt_notices").await,
        0
    );
    assert_error(
        c.staff_a
            .put("/api/notices/999999/receipts", &json!({ "required": true }))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let asked = c.staff_a.put(&require, &json!({ "required": true })).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let long = c
        .staff_a
        .post(
            &format!("/api/receipts/{notice}/households/{household}"),
            &json!({ "note": "说".repeat(201) }),
        )
        .await;
    let error = assert_error(long, StatusCode::UNPROCESSABLE_ENTITY, "too_long").await;
    assert_eq!(error.field.as_deref(), Some("note"));
    assert_error(
        c.staff_a
            .post(
                &format!("/api/receipts/{notice}/households/999999"),
                &json!({}),
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.staff_a.get("/api/receipts/999999/buildings").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.staff_a
            .get(&format!("/api/receipts/{notice}/follow-up"))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    assert_eq!(server.count("SELECT COUNT(*) FROM receipts").await, 0);
}

#[tokio::test]
async fn a_debunk_reaches_every_household_of_the_buildings_whose_residents_asked() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let asker = register(&server, c.room("101"), "13912340001", false).await;
    let neighbour = register(&server, c.room("102"), "13912340002", true).await;
    let elsewhere = register(&server, c.room("201"), "13912340003", false).await;
    // A second asker names building A2 for the same claim.
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let mut claims = Vec::new();
    for (who, body) in [
        (
            &asker,
            json!({ "category": "rumour_check", "text": "听说明天全区封控，是真的吗？" }),
        ),
        (
            &volunteer,
            json!({ "category": "rumour_check", "text": "明天全区封控？", "building_id": c.building("A2") }),
        ),
    ] {
        let sent = who.post("/api/submissions", &body).await;
        claims.push(created_id(sent).await);
    }
    let merged = c
        .staff_a
        .post(
            &format!("/api/submissions/{}/merge", claims[1]),
            &json!({ "into": claims[0] }),
        )
        .await;
    assert_eq!(merged.status(), StatusCode::OK);
    let decided = c
        .staff_a
        .post(
            &format!("/api/submissions/{}/rumour", claims[0]),
            &json!({ "title": "【辟谣】明天全区封控系谣言", "body": "经核实，说法不实，请勿转发。",
                     "source_who": "街道办", "source_how": "电话核实" }),
        )
        .await;
    let decided: QueueItem = reply(decided, StatusCode::OK).await;
    let notice = decided.debunk_notice_id.expect("a debunk");

    // Every household of A1 is told and asked; B1 is neither.
    for (who, told) in [(&asker, true), (&neighbour, true), (&elsewhere, false)] {
        let told_of = inbox(who).await;
        let kinds = kinds(&told_of);
        assert_eq!(kinds.contains(&"receipt.debunk"), told, "{kinds:?}");
        assert_eq!(my_receipt(who, notice).await.required, told);
    }
    assert_eq!(
        inbox(&neighbour).await.items[0].link.as_deref(),
        Some(format!("/notices/{notice}").as_str())
    );
    // It enters the follow-up list of the askers' buildings (A1, and A2 named by the
    // second asker), not of the others.
    let counts = building_counts(&c.admin, notice).await;
    let mut asked: Vec<i64> = counts.iter().map(|b| b.building_id).collect();
    asked.sort_unstable();
    let mut want = vec![c.building("A1"), c.building("A2")];
    want.sort_unstable();
    assert_eq!(asked, want);
    let list = follow_up_list(
        &c.staff_a,
        &format!(
            "/api/receipts/{notice}/follow-up?building_id={}",
            c.building("A1")
        ),
    )
    .await;
    assert_eq!(list.total, 2);
    let acked = neighbour
        .action(&format!("/api/notices/{notice}/receipt"))
        .await;
    assert_eq!(acked.status(), StatusCode::OK);
    let counts = building_counts(&c.staff_a, notice).await;
    assert_eq!(building_row(&counts, c.building("A1")).acknowledged, 1);
}
