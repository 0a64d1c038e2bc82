//! Health monitoring: a household under observation or in a sealed building checks in every
//! day, its grid worker follows up on fevers, and nobody else reads the data.

use crate::fixtures::{household as household_body, imported, register, reply, room_ids, staff_of};
use crate::helpers::{PASSWORD, TestClient, TestServer, assert_error, json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang::db::sql;
use shouwang_api::auth::Role;
use shouwang_api::residents::Household;

struct Community {
    admin: TestClient,
    staff_a: TestClient,
    staff_b: TestClient,
    /// Rooms of grid A's building.
    rooms: Vec<i64>,
    building_a: i64,
}

fn community_day() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// Grid 甲 (1号楼, rooms 101–102) and grid 乙 (2号楼, room 201), a worker for each.
async fn community(server: &TestServer) -> Community {
    let csv = "网格,楼栋,单元,房号\n甲网格,1号楼,1单元,101\n甲网格,1号楼,1单元,102\n乙网格,2号楼,1单元,201";
    let imported = imported(server, csv).await;
    let (a, b) = (imported.grid("甲网格"), imported.grid("乙网格"));
    let staff_a = staff_of(server, &imported.admin, a.id, "worker.a").await;
    let staff_b = staff_of(server, &imported.admin, b.id, "worker.b").await;
    Community {
        rooms: room_ids(&a.buildings[0]),
        building_a: a.buildings[0].id,
        admin: imported.admin.clone(),
        staff_a,
        staff_b,
    }
}

/// A household of two: 王建国 under home observation, and his mother, who is not.
async fn household(server: &TestServer, room_id: i64, phone: &str) -> (TestClient, Vec<i64>) {
    let today = community_day();
    let body = household_body(
        room_id,
        phone,
        json!([
            { "name": "王建国", "phone": phone, "relation": "self", "birth_year": 1975,
              "risk": { "arrival_date": today - chrono::Duration::days(3), "arrival_from": "risk_area",
                        "arrival_place": "某市", "category": "risk_area_return",
                        "observation_start": today - chrono::Duration::days(3),
                        "observation_end": today + chrono::Duration::days(4) } },
            { "name": "王奶奶", "phone": "13800001111", "relation": "parent", "birth_year": 1940,
              "groups": ["elderly_alone"] }
        ]),
    );
    let (client, _) = register(server, &body).await;
    let mine: Household = reply(client.get("/api/residents/me").await, StatusCode::OK).await;
    (client, mine.members.iter().map(|m| m.id).collect())
}

async fn seal(server: &TestServer, building_id: i64) {
    let db = server.connect().await;
    sql::query("UPDATE buildings SET zone = 'sealed' WHERE id = ?")
        .bind(building_id)
        .execute(&db)
        .await
        .expect("seal the building");
}

fn due_ids(today: &Value) -> Vec<i64> {
    today["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["member_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_sealed_household_checks_in_and_the_grid_worker_follows_up_a_fever() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (resident, members) = household(&server, c.rooms[0], "13912345678").await;
    let (me, mother) = (members[0], members[1]);

    // Given home observation only, he checks in and his mother does not.
    let today = json(resident.get("/api/health/me").await).await;
    assert_eq!(due_ids(&today), vec![me]);
    assert_eq!(today["members"][0]["reason"], "observation");

    // When the building is sealed, everybody checks in.
    seal(&server, c.building_a).await;
    let today = json(resident.get("/api/health/me").await).await;
    assert_eq!(today["zone"], "sealed");
    assert_eq!(due_ids(&today), vec![me, mother]);
    let missing = json(c.staff_a.get("/api/health/worklist?flag=missing").await).await;
    assert_eq!(missing["total"], 2);

    // He reports a fever for himself; all is well for his mother.
    let after = resident
        .post(
            "/api/health/me/check-ins",
            &json!({ "member_id": me, "temperature": 38.2, "symptoms": ["cough"], "note": "头痛" }),
        )
        .await;
    assert_eq!(after.status(), StatusCode::OK);
    let after = json(after).await;
    assert_eq!(after["members"][0]["today"]["fever"], true);
    assert_eq!(after["members"][0]["today"]["temperature"], 38.2);
    let after = json(resident.action("/api/health/me/all-well").await).await;
    assert!(after["members"][1]["today"].is_object());
    assert_eq!(after["members"][1]["today"]["fever"], false);
    assert_eq!(
        server
            .count(
                "SELECT COUNT(*) FROM health_check_ins WHERE temperature = 382 AND flagged = TRUE"
            )
            .await,
        1
    );

    // The grid worker sees the fever, masked, and is told.
    let fever = json(c.staff_a.get("/api/health/worklist?flag=fever").await).await;
    assert_eq!(fever["total"], 1);
    let entry = &fever["items"][0];
    assert_eq!(entry["member_id"], me);
    assert_eq!(entry["phone"], "139****5678");
    assert_eq!(entry["acknowledged"], false);
    assert!(
        entry["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "fever")
    );
    let all = json(c.staff_a.get("/api/health/worklist").await).await;
    assert_eq!(all["total"], 1, "the mother is well: not on the list");
    assert_eq!(
        json(c.staff_a.get("/api/health/worklist?flag=missing").await).await["total"],
        0
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM notifications WHERE kind = 'health.flagged'")
            .await,
        1
    );

    // The worker acknowledges it with a note; the history and the reading are on record.
    let follow_up = c
        .staff_a
        .post(
            &format!("/api/health/members/{me}/follow-ups"),
            &json!({ "note": "已电话联系，安排上门采样" }),
        )
        .await;
    assert_eq!(follow_up.status(), StatusCode::CREATED);
    let fever = json(c.staff_a.get("/api/health/worklist?flag=fever").await).await;
    assert_eq!(fever["items"][0]["acknowledged"], true);
    let record = json(c.staff_a.get(&format!("/api/health/members/{me}")).await).await;
    assert_eq!(record["check_ins"][0]["temperature"], 38.2);
    assert_eq!(record["follow_ups"][0]["note"], "已电话联系，安排上门采样");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'health.view'")
            .await,
        1
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'health.follow_up'")
            .await,
        1
    );

    // Admins see every grid.
    let admin = json(c.admin.get("/api/health/worklist?flag=fever").await).await;
    assert_eq!(admin["total"], 1);
}

#[tokio::test]
async fn volunteers_other_grids_and_other_households_cannot_touch_the_data() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (resident, members) = household(&server, c.rooms[0], "13912345678").await;
    let me = members[0];
    let ok = resident
        .post(
            "/api/health/me/check-ins",
            &json!({ "member_id": me, "temperature": 37.8 }),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let (neighbour, _) = household(&server, c.rooms[1], "13912345679").await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let snapshot = "SELECT (SELECT COUNT(*) FROM health_check_ins) * 1000
        + (SELECT COUNT(*) FROM health_follow_ups) * 100
        + (SELECT COUNT(*) FROM audit_log WHERE action LIKE 'health.%')";
    let before = server.count(snapshot).await;

    for path in [
        "/api/health/worklist".to_owned(),
        format!("/api/health/members/{me}"),
    ] {
        assert_error(
            volunteer.get(&path).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_error(
            resident.get(&path).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let note = json!({ "note": "看一下" });
    let path = format!("/api/health/members/{me}/follow-ups");
    assert_error(
        volunteer.post(&path, &note).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Another grid's worker: nothing on the list, the person does not exist for them.
    assert_eq!(
        json(c.staff_b.get("/api/health/worklist").await).await["total"],
        0
    );
    assert_error(
        c.staff_b.get(&format!("/api/health/members/{me}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.staff_b.post(&path, &note).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // A neighbour cannot check in for someone of another household.
    assert_error(
        neighbour
            .post(
                "/api/health/me/check-ins",
                &json!({ "member_id": me, "all_well": true }),
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Signed out: nothing.
    assert_eq!(
        server.client().get("/api/health/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(server.count(snapshot).await, before, "nothing changed");
}

#[tokio::test]
async fn bad_input_is_refused_with_the_field_and_nothing_is_stored() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (resident, members) = household(&server, c.rooms[0], "13912345678").await;
    let me = members[0];
    for (body, field) in [
        (
            json!({ "member_id": me, "temperature": 45.0 }),
            "temperature",
        ),
        (
            json!({ "member_id": me, "temperature": 33.0 }),
            "temperature",
        ),
        (
            json!({ "member_id": me, "temperature": 36.55 }),
            "temperature",
        ),
        (json!({ "member_id": me }), "temperature"),
        (
            json!({ "member_id": me, "all_well": true, "symptoms": ["cough"] }),
            "symptoms",
        ),
        (
            json!({ "member_id": me, "temperature": 36.5, "note": "x".repeat(201) }),
            "note",
        ),
    ] {
        let response = resident.post("/api/health/me/check-ins", &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let error = json(response).await;
        assert_eq!(error["error"]["field"], field, "{body}");
    }
    let unknown = resident
        .post(
            "/api/health/me/check-ins",
            &json!({ "member_id": me, "temperature": 36.5, "symptoms": ["sneezing"] }),
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let blank = c
        .staff_a
        .post(
            &format!("/api/health/members/{me}/follow-ups"),
            &json!({ "note": "  " }),
        )
        .await;
    let error = assert_error(blank, StatusCode::UNPROCESSABLE_ENTITY, "required").await;
    assert_eq!(error.field.as_deref(), Some("note"));
    assert_eq!(
        server
            .count("SELECT (SELECT COUNT(*) FROM health_check_ins) + (SELECT COUNT(*) FROM health_follow_ups)")
            .await,
        0
    );
}

#[tokio::test]
async fn an_observation_ends_on_its_end_date_and_its_record_stays() {
    let server = TestServer::spawn_with(&["--test-hooks"]).await;
    let c = community(&server).await;
    let (_, members) = household(&server, c.rooms[0], "13912345678").await;
    let me = members[0];
    let today = community_day();
    {
        let db = server.connect().await;
        sql::query("UPDATE members SET observation_start = ?, observation_end = ? WHERE id = ?")
            .bind(today - chrono::Duration::days(14))
            .bind(today - chrono::Duration::days(1))
            .bind(me)
            .execute(&db)
            .await
            .expect("the observation ended yesterday");
    }
    // The server's housekeeping runs the due jobs; here the test runs them.
    let done = crate::helpers::run_due(&server).await;
    assert_eq!(done["observations_ended"], 1, "{done}");
    let ended = server
        .count("SELECT COUNT(*) FROM observation_periods")
        .await;
    assert_eq!(ended, 1, "the period was closed");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM notifications WHERE kind = 'health.observation_ended'")
            .await,
        1,
        "the household was told"
    );
    let resident = server.client();
    assert_eq!(
        resident
            .login("13912345678", "my-own-password")
            .await
            .status(),
        StatusCode::OK
    );
    let today_json = json(resident.get("/api/health/me").await).await;
    assert!(due_ids(&today_json).is_empty(), "no more daily check-in");
    let staff = server.client();
    assert_eq!(
        staff.login("worker.a", PASSWORD).await.status(),
        StatusCode::OK
    );
    let record = json(staff.get(&format!("/api/health/members/{me}")).await).await;
    assert_eq!(record["ended_observations"].as_array().unwrap().len(), 1);
    assert_eq!(
        record["observation_end"],
        json!(today - chrono::Duration::days(1)),
        "the dates stay for the record"
    );

    // Closing is done once.
    let done = crate::helpers::run_due(&server).await;
    assert_eq!(done["observations_ended"], 0, "{done}");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM observation_periods")
            .await,
        1
    );
}

async fn household_id(resident: &TestClient) -> i64 {
    json(resident.get("/api/residents/me").await).await["id"]
        .as_i64()
        .expect("household id")
}

#[tokio::test]
async fn a_missed_care_contact_escalates_until_the_contact_person_calls() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let (resident, _) = household(&server, c.rooms[0], "13912345678").await;
    let home = household_id(&resident).await;
    let volunteer_id = server.create_account(Role::Volunteer, "13700000001").await;
    let volunteer = server.client();
    assert_eq!(
        volunteer.login("13700000001", PASSWORD).await.status(),
        StatusCode::OK
    );
    let care = format!("/api/health/care/{home}");
    let assignment = json!({ "contact_user_id": volunteer_id, "contact_phone": "13700000001", "interval_hours": 1 });

    // Denied: a volunteer, another grid's worker; refused: a bad interval, an unknown account.
    let count =
        "SELECT (SELECT COUNT(*) FROM care_assignments) + (SELECT COUNT(*) FROM care_contacts)";
    assert_error(
        volunteer.put(&care, &assignment).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        c.staff_b.put(&care, &assignment).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let bad = c
        .staff_a
        .put(
            &care,
            &json!({ "contact_user_id": volunteer_id, "interval_hours": 0 }),
        )
        .await;
    assert_eq!(
        assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value")
            .await
            .field
            .as_deref(),
        Some("interval_hours")
    );
    let nobody = c
        .staff_a
        .put(
            &care,
            &json!({ "contact_user_id": 999_999, "interval_hours": 12 }),
        )
        .await;
    assert_eq!(
        assert_error(nobody, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value")
            .await
            .field
            .as_deref(),
        Some("contact_user_id")
    );
    assert_eq!(server.count(count).await, 0);

    // A household without a special-group member has no 包保.
    let (other, _) = household(&server, c.rooms[1], "13912345679").await;
    let other = household_id(&other).await;
    {
        let db = server.connect().await;
        sql::query("DELETE FROM member_groups WHERE household_id = ?")
            .bind(other)
            .execute(&db)
            .await
            .expect("no special groups");
    }
    assert_error(
        c.staff_a
            .put(&format!("/api/health/care/{other}"), &assignment)
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // The grid worker names the volunteer; nothing is overdue yet.
    assert_eq!(
        c.staff_a.put(&care, &assignment).await.status(),
        StatusCode::NO_CONTENT
    );
    let overdue = json(c.staff_a.get("/api/health/care/overdue").await).await;
    assert_eq!(overdue["total"], 0);

    // Two and a half hours past due at a one-hour interval: three contacts missed.
    {
        let db = server.connect().await;
        sql::query("UPDATE care_assignments SET due_at = ? WHERE household_id = ?")
            .bind(chrono::Utc::now() - chrono::Duration::minutes(150))
            .bind(home)
            .execute(&db)
            .await
            .expect("make it overdue");
    }
    let overdue = json(c.staff_a.get("/api/health/care/overdue").await).await;
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["household_id"], home);
    assert_eq!(overdue["items"][0]["missed"], 3);
    assert_eq!(overdue["items"][0]["contact_phone"], "137****0001");
    assert_eq!(
        json(c.staff_b.get("/api/health/care/overdue").await).await["total"],
        0,
        "another grid sees nothing"
    );
    assert_error(
        volunteer.get("/api/health/care/overdue").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Another volunteer cannot log a contact; the named one can, and it leaves the list.
    let stranger = server.sign_in_as(Role::Volunteer).await;
    let contacts = format!("{care}/contacts");
    let before = server.count(count).await;
    assert_error(
        stranger.post(&contacts, &json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(server.count(count).await, before);
    let logged = volunteer
        .post(&contacts, &json!({ "note": "电话联系，老人身体正常" }))
        .await;
    assert_eq!(logged.status(), StatusCode::CREATED);
    assert_eq!(
        json(c.staff_a.get("/api/health/care/overdue").await).await["total"],
        0
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action IN ('care.assign', 'care.contact')")
            .await,
        2
    );
}
