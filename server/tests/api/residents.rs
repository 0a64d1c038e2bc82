//! Residents: households register themselves (or are registered at the door), staff keep
//! the ledger of their own grids, and every look at personal data is on record.

use crate::fixtures::{self, register, reply, reply_with_wire, two_grids};
use crate::helpers::{TestClient, TestServer, assert_error};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::Page;
use shouwang_api::audit::AuditEntry;
use shouwang_api::auth::{Account, Role};
use shouwang_api::community::{ImportResult, Structure};
use shouwang_api::residents::{
    AccessEntry, GridCoverage, Household, HouseholdSummary, MergeRequest, ObservationStatus,
    RetentionStatus, RiskCategory, RoomStatus, SpecialGroup,
};

/// Two grids, one building each, one unit each, three rooms each; a staff member per grid.
struct Community {
    admin: TestClient,
    staff_a: TestClient,
    staff_b: TestClient,
    /// Rooms 101–103 of grid A (grid B's 201–203 are not needed by name).
    rooms_a: Vec<i64>,
    grid_a: i64,
    building_a: i64,
}

async fn community(server: &TestServer) -> Community {
    let grids = two_grids(server).await;
    Community {
        admin: grids.admin,
        staff_a: grids.staff_a,
        staff_b: grids.staff_b,
        rooms_a: grids.rooms[..3].to_vec(),
        grid_a: grids.grids[0],
        building_a: grids.buildings[0],
    }
}

/// The staff member's ledger at `?query`.
async fn ledger(staff: &TestClient, query: &str) -> Page<HouseholdSummary> {
    reply(
        staff
            .get(&format!("/api/residents/households?{query}"))
            .await,
        StatusCode::OK,
    )
    .await
}

async fn total(staff: &TestClient, query: &str) -> u64 {
    ledger(staff, query).await.total
}

/// A household as the path shows it to the caller: `GET` a household, or an action on one
/// that answers with it.
async fn household_at(response: reqwest::Response) -> Household {
    reply(response, StatusCode::OK).await
}

async fn merge_requests(staff: &TestClient) -> Vec<MergeRequest> {
    reply(
        staff.get("/api/residents/merge-requests").await,
        StatusCode::OK,
    )
    .await
}

async fn coverage(staff: &TestClient) -> Vec<GridCoverage> {
    reply(staff.get("/api/residents/coverage").await, StatusCode::OK).await
}

/// 王建国, his wife (back from a risk area, under observation) and his mother, who
/// lives alone.
fn household(room_id: i64, phone: &str) -> Value {
    fixtures::household(
        room_id,
        phone,
        json!([
            { "name": "王建国", "phone": phone, "relation": "self", "birth_year": 1975,
              "id_number": "11010519491231002X" },
            { "name": "李秀英", "phone": "13800001111", "relation": "spouse", "birth_year": 1978,
              "risk": { "arrival_date": "2026-11-20", "arrival_from": "risk_area", "arrival_place": "某市",
                        "category": "risk_area_return",
                        "observation_start": "2026-11-20", "observation_end": "2099-12-31" } },
            { "name": "王奶奶", "relation": "parent", "birth_year": 1940, "groups": ["elderly_alone"] }
        ]),
    )
}

#[tokio::test]
async fn a_household_registers_signs_in_again_and_corrects_a_phone() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (resident, outcome) = register(&server, &household(c.rooms_a[0], "13912345678")).await;
    assert!(!outcome.merge_pending);

    let mine = household_at(resident.get("/api/residents/me").await).await;
    assert_eq!(mine.members.len(), 3);
    assert_eq!(
        mine.members[0].phone.as_deref(),
        Some("13912345678"),
        "residents see their own data in full"
    );
    assert_eq!(
        mine.members[0].id_number.as_deref(),
        Some("11010519491231002X")
    );
    assert_eq!(mine.members[1].observation, ObservationStatus::Active);
    assert_eq!(mine.members[2].groups, [SpecialGroup::ElderlyAlone]);
    assert_eq!(mine.address.building, "1号楼");

    // Signs in again later with the phone number.
    let again = server.client();
    assert_eq!(
        again.login("13912345678", "my-own-password").await.status(),
        StatusCode::OK
    );
    let me: Account = reply(again.get("/api/auth/me").await, StatusCode::OK).await;
    assert_eq!(me.role, Role::Resident);
    let spouse = mine.members[1].clone();
    let mut corrected = spouse.clone();
    corrected.phone = Some("13700002222".to_owned());
    let updated = household_at(
        again
            .put(
                &format!("/api/residents/me/members/{}", spouse.id),
                &corrected,
            )
            .await,
    )
    .await;
    assert_eq!(updated.members[1].phone.as_deref(), Some("13700002222"));
    assert_eq!(
        updated.members[1].risk.category,
        Some(RiskCategory::RiskAreaReturn)
    );

    // Adds and removes a member.
    let added = household_at(
        again
            .post(
                "/api/residents/me/members",
                &json!({ "name": "王小明", "relation": "child", "birth_year": 2015 }),
            )
            .await,
    )
    .await;
    assert_eq!(added.members.len(), 4);
    let child = added.members[3].id;
    let removed = again
        .http
        .delete(again.url(&format!("/api/residents/me/members/{child}")))
        .send()
        .await
        .unwrap();
    assert_eq!(household_at(removed).await.members.len(), 3);

    // Withdraws consent: the ID number is erased at once.
    let withdrawn = household_at(again.action("/api/residents/me/consent/withdraw").await).await;
    assert!(!withdrawn.consent_sensitive);
    assert!(withdrawn.members[0].id_number.is_none());
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM members WHERE id_number IS NOT NULL")
            .await,
        0
    );
    // And can no longer add an ID without giving consent again.
    let mut with_id = withdrawn.members[0].clone();
    with_id.id_number = Some("11010519491231002X".to_owned());
    let refused = again
        .put(
            &format!("/api/residents/me/members/{}", with_id.id),
            &with_id,
        )
        .await;
    let error = assert_error(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "consent_required",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("id_number"));
    assert!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'household.register'")
            .await
            == 1
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_the_field_and_nothing_is_stored() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let users_before = server.count("SELECT COUNT(*) FROM users").await;
    let cases: Vec<(Value, StatusCode, &str, &str)> = vec![
        (
            {
                let mut h = household(c.rooms_a[0], "13912345678");
                h["phone"] = json!("1234");
                h
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_phone",
            "phone",
        ),
        (
            {
                let mut h = household(c.rooms_a[0], "13912345678");
                h["members"][0]["id_number"] = json!("110105194912310021");
                h
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_id_number",
            "id_number",
        ),
        (
            {
                let mut h = household(c.rooms_a[0], "13912345678");
                h["consent_sensitive"] = json!(false);
                h
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "consent_required",
            "id_number",
        ),
        (
            {
                let mut h = household(c.rooms_a[0], "13912345678");
                h["consent_notice"] = json!(false);
                h
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "consent_required",
            "consent_notice",
        ),
        (
            {
                let mut h = household(c.rooms_a[0], "13912345678");
                h["members"][1]["birth_year"] = json!(1800);
                h
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_date",
            "birth_year",
        ),
        (
            {
                let mut h = household(c.rooms_a[0], "13912345678");
                h["members"][2]["groups"] = json!(["vip"]);
                h
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_value",
            "members[2].groups[0]",
        ),
        (
            {
                let mut h = household(c.rooms_a[0], "13912345678");
                h["password"] = json!("short");
                h
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "weak_password",
            "password",
        ),
        (
            household(999_999, "13912345678"),
            StatusCode::NOT_FOUND,
            "not_found",
            "room_id",
        ),
    ];
    for (body, status, code, field) in cases {
        let response = server.client().post("/api/residents/register", &body).await;
        let error = assert_error(response, status, code).await;
        assert_eq!(error.field.as_deref(), Some(field), "{code}");
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM households").await, 0);
    assert_eq!(
        server.count("SELECT COUNT(*) FROM users").await,
        users_before
    );

    register(&server, &household(c.rooms_a[0], "13912345678")).await;
    let taken = server
        .client()
        .post(
            "/api/residents/register",
            &household(c.rooms_a[1], "13912345678"),
        )
        .await;
    let error = assert_error(taken, StatusCode::CONFLICT, "username_taken").await;
    assert_eq!(error.field.as_deref(), Some("phone"));
    assert_eq!(server.count("SELECT COUNT(*) FROM households").await, 1);
}

#[tokio::test]
async fn a_second_registration_for_a_room_goes_to_staff_as_a_merge_request() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (_first, _) = register(&server, &household(c.rooms_a[0], "13912345678")).await;
    let mut second_body = household(c.rooms_a[0], "13611112222");
    second_body["members"] = json!([{ "name": "赵租客", "phone": "13611112222", "relation": "self", "birth_year": 1990 }]);
    second_body["consent_sensitive"] = json!(false);
    let (second, outcome) = register(&server, &second_body).await;
    assert!(outcome.merge_pending);
    let pending = household_at(second.get("/api/residents/me").await).await;
    assert!(!pending.active);

    let ledger = ledger(&c.staff_a, "").await;
    assert_eq!(ledger.total, 1, "the room is not doubled in the ledger");
    assert_eq!(ledger.items[0].member_count, 3);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM notifications WHERE kind = 'residents.merge_request'")
            .await,
        1,
        "the grid's worker is told"
    );
    assert!(merge_requests(&c.staff_b).await.is_empty());
    let requests = merge_requests(&c.staff_a).await;
    let request_id = requests[0].id;
    assert_eq!(requests[0].member_count, 1);

    // Another grid's worker cannot decide it.
    let denied = c
        .staff_b
        .action(&format!("/api/residents/merge-requests/{request_id}/merge"))
        .await;
    assert_error(denied, StatusCode::NOT_FOUND, "not_found").await;

    let merged = c
        .staff_a
        .action(&format!("/api/residents/merge-requests/{request_id}/merge"))
        .await;
    assert_eq!(merged.status(), StatusCode::NO_CONTENT);
    let now = household_at(second.get("/api/residents/me").await).await;
    assert!(now.active);
    assert_eq!(now.members.len(), 4);
    assert_eq!(server.count("SELECT COUNT(*) FROM households").await, 1);
}

#[tokio::test]
async fn staff_of_one_grid_cannot_read_search_export_or_change_another() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (_, outcome) = register(&server, &household(c.rooms_a[0], "13912345678")).await;
    let id = outcome.household_id;
    let member_id: i64 = server
        .count(&format!(
            "SELECT MIN(id) FROM members WHERE household_id = {id}"
        ))
        .await;
    let audit_before = server.count("SELECT COUNT(*) FROM audit_log").await;
    let members_before = server.count("SELECT COUNT(*) FROM members").await;

    let b = &c.staff_b;
    assert_eq!(total(b, "").await, 0);
    assert_eq!(total(b, "q=王").await, 0);
    assert_eq!(total(b, &format!("grid_id={}", c.grid_a)).await, 0);
    let coverage = coverage(b).await;
    assert_eq!(coverage.len(), 1, "only grid B");
    assert_eq!(coverage[0].name, "第二网格");
    let export = b
        .get("/api/residents/export?format=csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(!export.contains("王建国"));

    for response in [
        b.get(&format!("/api/residents/households/{id}")).await,
        b.action(&format!("/api/residents/households/{id}/reveal")).await,
        b.put(
            &format!("/api/residents/households/{id}/members/{member_id}"),
            &json!({ "name": "改名", "relation": "self", "birth_year": 1975 }),
        )
        .await,
        b.post(
            "/api/residents/visits",
            &json!({ "room_id": c.rooms_a[1], "visited_on": "2026-01-01", "outcome": "refused" }),
        )
        .await,
        b.post(
            "/api/residents/households",
            &json!({ "room_id": c.rooms_a[2], "members": [{ "name": "某", "relation": "self", "birth_year": 1960 }] }),
        )
        .await,
    ] {
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    // One audit row for the empty export, nothing else.
    assert_eq!(
        server.count("SELECT COUNT(*) FROM audit_log").await,
        audit_before + 1
    );
    assert_eq!(
        server.count("SELECT COUNT(*) FROM members").await,
        members_before
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM members WHERE name = '改名'")
            .await,
        0
    );
    assert_eq!(server.count("SELECT COUNT(*) FROM visits").await, 0);
    assert_eq!(server.count("SELECT COUNT(*) FROM households").await, 1);

    // Residents and volunteers never reach the ledger; anonymous callers must sign in.
    for role in [Role::Resident, Role::Volunteer] {
        let client = server.sign_in_as(role).await;
        for path in [
            "/api/residents/households",
            "/api/residents/coverage",
            "/api/residents/export",
        ] {
            assert_error(client.get(path).await, StatusCode::FORBIDDEN, "forbidden").await;
        }
        assert_error(
            client
                .action(&format!("/api/residents/households/{id}/reveal"))
                .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_error(
        server.client().get("/api/residents/households").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    // An admin sees every grid.
    assert_eq!(total(&c.admin, "").await, 1);
}

#[tokio::test]
async fn the_ledger_masks_phones_and_each_reveal_and_export_is_on_record() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (resident, outcome) = register(&server, &household(c.rooms_a[0], "13912345678")).await;
    let id = outcome.household_id;

    let ledger = ledger(&c.staff_a, "").await;
    let line = &ledger.items[0];
    assert_eq!(line.head_name, "王建国");
    assert_eq!(line.head_phone.as_deref(), Some("139****5678"));
    assert_eq!(line.groups, [SpecialGroup::ElderlyAlone]);
    assert_eq!(line.risk_categories, [RiskCategory::RiskAreaReturn]);
    assert!(line.under_observation);

    let masked = household_at(
        c.staff_a
            .get(&format!("/api/residents/households/{id}"))
            .await,
    )
    .await;
    assert_eq!(masked.members[0].phone.as_deref(), Some("139****5678"));
    assert_eq!(
        masked.members[0].id_number.as_deref(),
        Some("110105**********2X")
    );
    assert!(!masked.revealed);
    let revealed = household_at(
        c.staff_a
            .action(&format!("/api/residents/households/{id}/reveal"))
            .await,
    )
    .await;
    assert_eq!(revealed.members[0].phone.as_deref(), Some("13912345678"));
    assert_eq!(
        revealed.members[0].id_number.as_deref(),
        Some("11010519491231002X")
    );

    let csv = c.staff_a.get("/api/residents/export?format=csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let bytes = csv.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a BOM so Excel reads UTF-8");
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(text.contains("王奶奶") && text.contains("独居/空巢老人"));
    assert!(text.contains("139****5678") && !text.contains("13912345678"));
    assert!(text.contains("110105**********2X") && !text.contains("11010519491231002X"));
    let xlsx = c
        .staff_a
        .get("/api/residents/export?format=xlsx")
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&xlsx[..2], b"PK");

    for action in ["household.view", "household.reveal"] {
        assert_eq!(
            server
                .count(&format!(
                    "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND target_id = {id}"
                ))
                .await,
            1,
            "{action}"
        );
    }
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'household.export'")
            .await,
        2
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'residents.export'")
            .await,
        2
    );
    let audit: Page<AuditEntry> =
        reply(c.admin.get("/api/audit?per_page=100").await, StatusCode::OK).await;
    assert!(audit.items.iter().any(|e| e.action == "household.reveal"));

    // The resident sees which role looked, and when; never who by name (not on the wire).
    let (access, wire): (Vec<AccessEntry>, _) = reply_with_wire(
        resident.get("/api/residents/me/access").await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = access.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.len(), 4);
    assert!(actions.contains(&"household.reveal") && actions.contains(&"household.export"));
    assert!(access.iter().all(|e| e.role == Some(Role::Staff)));
    assert!(
        wire.as_array()
            .expect("a list")
            .iter()
            .all(|e| e.get("actor_name").is_none())
    );
}

#[tokio::test]
async fn every_ledger_filter_narrows_the_list_and_coverage_follows_the_doors() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let s = &c.staff_a;
    let before = coverage(s).await;
    assert_eq!((before[0].known, before[0].covered), (3, 0));

    register(&server, &household(c.rooms_a[0], "13912345678")).await;
    let door = s
        .post(
            "/api/residents/households",
            &json!({ "room_id": c.rooms_a[1], "members": [{ "name": "孙大爷", "relation": "self", "birth_year": 1938,
                     "groups": ["elderly_alone", "destitute"] }] }),
        )
        .await;
    assert_eq!(door.status(), StatusCode::CREATED);
    let taken = s
        .post(
            "/api/residents/households",
            &json!({ "room_id": c.rooms_a[1], "members": [{ "name": "某", "relation": "self", "birth_year": 1960 }] }),
        )
        .await;
    assert_error(taken, StatusCode::CONFLICT, "conflict").await;
    let visit = s
        .post(
            "/api/residents/visits",
            &json!({ "room_id": c.rooms_a[2], "visited_on": "2026-01-05", "outcome": "nobody_home" }),
        )
        .await;
    assert_eq!(visit.status(), StatusCode::CREATED);
    let future = s
        .post(
            "/api/residents/visits",
            &json!({ "room_id": c.rooms_a[2], "visited_on": "2999-01-05", "outcome": "refused" }),
        )
        .await;
    assert_eq!(
        assert_error(future, StatusCode::UNPROCESSABLE_ENTITY, "invalid_date")
            .await
            .field
            .as_deref(),
        Some("visited_on")
    );

    let after = coverage(s).await;
    let g = &after[0];
    assert_eq!((g.known, g.registered, g.visited, g.covered), (3, 2, 2, 3));
    let statuses: Vec<RoomStatus> = g.buildings[0].rooms.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            RoomStatus::SelfRegistered,
            RoomStatus::StaffRegistered,
            RoomStatus::NobodyHome
        ]
    );

    assert_eq!(total(s, "").await, 2);
    assert_eq!(total(s, &format!("grid_id={}", c.grid_a)).await, 2);
    assert_eq!(total(s, &format!("building_id={}", c.building_a)).await, 2);
    assert_eq!(total(s, "group=elderly_alone").await, 2);
    assert_eq!(total(s, "group=destitute").await, 1);
    assert_eq!(total(s, "group=pregnant").await, 0);
    assert_eq!(total(s, "risk=risk_area_return").await, 1);
    assert_eq!(total(s, "risk=close_contact").await, 0);
    assert_eq!(total(s, "observation=active").await, 1);
    assert_eq!(total(s, "observation=none").await, 1);
    assert_eq!(total(s, "observation=ended").await, 0);
    assert_eq!(total(s, "source=self").await, 1);
    assert_eq!(total(s, "source=staff").await, 1);
    assert_eq!(total(s, "last_visit=never").await, 1);
    assert_eq!(total(s, "last_visit=within_7_days").await, 1);
    assert_eq!(total(s, "last_visit=over_7_days").await, 0);
    assert_eq!(total(s, "q=%E5%AD%99").await, 1, "孙");
    assert_eq!(total(s, "q=101").await, 1);
    assert_eq!(total(s, "group=elderly_alone&source=staff").await, 1);
    let paged = ledger(s, "per_page=1&page=2").await;
    assert_eq!(paged.items.len(), 1);
    assert_eq!(paged.total, 2);
    let bad = s.get("/api/residents/households?group=vip").await;
    assert_error(bad, StatusCode::BAD_REQUEST, "invalid_query").await;
}

#[tokio::test]
async fn only_admins_shape_the_community_and_imports_are_idempotent() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let grids_before = server.count("SELECT COUNT(*) FROM grids").await;
    for client in [&c.staff_a, &server.sign_in_as(Role::Resident).await] {
        assert_error(
            client
                .post("/api/community/grids", &json!({ "name": "越权网格" }))
                .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_error(
            client
                .action(&format!(
                    "/api/community/structure/grids/{}/retire",
                    c.grid_a
                ))
                .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_eq!(
        server.count("SELECT COUNT(*) FROM grids").await,
        grids_before
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM grids WHERE retired_at IS NOT NULL")
            .await,
        0
    );

    let blank = c
        .admin
        .post("/api/community/grids", &json!({ "name": " " }))
        .await;
    assert_eq!(
        assert_error(blank, StatusCode::UNPROCESSABLE_ENTITY, "required")
            .await
            .field
            .as_deref(),
        Some("name")
    );
    let dup = c
        .admin
        .post("/api/community/grids", &json!({ "name": "第一网格" }))
        .await;
    assert_error(dup, StatusCode::CONFLICT, "conflict").await;

    let renamed = c
        .admin
        .put(
            &format!("/api/community/structure/buildings/{}", c.building_a),
            &json!({ "name": "1栋", "head_name": "周阿姨" }),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::NO_CONTENT);
    let structure: Structure = reply(
        c.staff_a.get("/api/community/structure").await,
        StatusCode::OK,
    )
    .await;
    let building = &structure.grids[0].buildings[0];
    assert_eq!(building.name, "1栋");
    assert_eq!(building.head_name.as_deref(), Some("周阿姨"));

    let retired = c
        .admin
        .action(&format!(
            "/api/community/structure/rooms/{}/retire",
            c.rooms_a[2]
        ))
        .await;
    assert_eq!(retired.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        coverage(&c.staff_a).await[0].known,
        2,
        "a retired room is no longer a door to knock"
    );
    let gone = c
        .admin
        .action("/api/community/structure/spaceships/1/retire")
        .await;
    assert_error(gone, StatusCode::NOT_FOUND, "not_found").await;

    let csv = "网格,楼栋,单元,房号\n第三网格,5号楼,1单元,101\n第三网格,5号楼,1单元,102\n第一网格,1栋,1单元,104\n";
    let first: ImportResult = reply(
        c.admin
            .post("/api/community/import", &json!({ "csv": csv }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        first,
        ImportResult {
            grids: 1,
            buildings: 1,
            units: 1,
            rooms: 3
        }
    );
    let again: ImportResult = reply(
        c.admin
            .post("/api/community/import", &json!({ "csv": csv }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again, ImportResult::default());
    let bad = c
        .admin
        .post(
            "/api/community/import",
            &json!({ "csv": "第三网格,5号楼\n" }),
        )
        .await;
    assert_eq!(
        assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value")
            .await
            .field
            .as_deref(),
        Some("csv")
    );

    let not_staff = c
        .admin
        .put(
            &format!("/api/community/grids/{}/staff", c.grid_a),
            &json!({ "user_ids": [999_999] }),
        )
        .await;
    assert_eq!(
        assert_error(not_staff, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value")
            .await
            .field
            .as_deref(),
        Some("user_ids")
    );
}

#[tokio::test]
async fn ending_the_emergency_deletes_residents_personal_data() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    register(&server, &household(c.rooms_a[0], "13912345678")).await;
    assert_error(
        c.staff_a
            .post("/api/residents/retention", &json!({ "days": 0 }))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let later: RetentionStatus = reply(
        c.admin
            .post("/api/residents/retention", &json!({ "days": 30 }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(later.purge_on.is_some());
    assert!(later.purged_households.is_none());
    assert_eq!(
        server.count("SELECT COUNT(*) FROM members").await,
        3,
        "kept until the stated day"
    );

    let now: RetentionStatus = reply(
        c.admin
            .post("/api/residents/retention", &json!({ "days": 0 }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(now.purged_households, Some(1));
    assert_eq!(server.count("SELECT COUNT(*) FROM members").await, 0);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM users WHERE username = '13912345678'")
            .await,
        0
    );
    assert_eq!(
        server
            .client()
            .login("13912345678", "my-own-password")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let bad = c
        .admin
        .post("/api/residents/retention", &json!({ "days": 999 }))
        .await;
    assert_eq!(
        assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value")
            .await
            .field
            .as_deref(),
        Some("days")
    );
}
