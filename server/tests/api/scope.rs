//! One rule for every screen of personal data: a grid's worker reads only the people of the
//! grids they work. Each route that returns residents' (or their volunteers') data is called
//! as the worker of another grid, who must see nothing of grid A; and as grid A's own worker,
//! who must see it, so that the check can fail.

use crate::helpers::{TestClient, TestServer, json};
use crate::volunteers::signed_up;
use crate::zones::{Community, community, register, seal};
use reqwest::{Method, StatusCode};
use serde_json::json;
use shouwang::db::sql;

/// A route of personal data, what grid A's worker finds in it, and what the worker of
/// another grid gets instead (a list without grid A, or no such thing).
struct Route {
    method: Method,
    path: String,
    of_grid_a: &'static str,
    other_grid: StatusCode,
}

fn get(path: String, of_grid_a: &'static str, other_grid: StatusCode) -> Route {
    Route {
        method: Method::GET,
        path,
        of_grid_a,
        other_grid,
    }
}

fn post(path: String, of_grid_a: &'static str, other_grid: StatusCode) -> Route {
    Route {
        method: Method::POST,
        path,
        of_grid_a,
        other_grid,
    }
}

async fn call(client: &TestClient, route: &Route) -> (StatusCode, String) {
    let response = if route.method == Method::GET {
        client.get(&route.path).await
    } else {
        client.action(&route.path).await
    };
    let status = response.status();
    (status, response.text().await.expect("a body"))
}

async fn one(server: &TestServer, sql: &str, id: i64) -> i64 {
    let db = server.connect().await;
    sql::query_scalar(sql)
        .bind(id)
        .fetch_one(&db)
        .await
        .expect("a row")
}

/// Grid A (1号楼) gets a bit of everything: a sealed building, a second household, a merge
/// request, a 包保 contact overdue, a testing round, a supply request on a run with a
/// volunteer, a notice asking for receipts. Returns every route that shows any of it.
async fn grid_a_in_every_feature(server: &TestServer, c: &Community) -> Vec<Route> {
    let not_found = StatusCode::NOT_FOUND;
    let ok = StatusCode::OK;
    seal(&c.staff_a, c.building_a).await;
    register(server, c.rooms_a[1], "13912340002", &[]).await;
    // A second registration for A's first room: a merge request.
    register(server, c.rooms_a[0], "13611112222", &[]).await;
    let member = one(
        server,
        "SELECT id FROM members WHERE household_id = ? ORDER BY position LIMIT 1",
        c.household_a,
    )
    .await;

    // 包保: a contact for the elderly mother, already overdue.
    let care = c
        .staff_a
        .put(
            &format!("/api/health/care/{}", c.household_a),
            &json!({ "contact_name": "张楼长", "contact_phone": "13700000002", "interval_hours": 24 }),
        )
        .await;
    assert_eq!(care.status(), StatusCode::NO_CONTENT);
    let db = server.connect().await;
    sql::query("UPDATE care_assignments SET due_at = '2000-01-01T00:00:00Z'")
        .execute(&db)
        .await
        .expect("make the contact overdue");

    // A testing round over 1号楼.
    let unit = one(
        server,
        "SELECT id FROM units WHERE building_id = ?",
        c.building_a,
    )
    .await;
    let round = c
        .staff_a
        .post(
            "/api/testing/rounds",
            &json!({
                "name": "甲楼核酸", "date": "2099-01-01", "place": "小区东门广场",
                "building_ids": [c.building_a],
                "slots": [{ "unit_id": unit, "start": "08:00", "end": "08:30" }]
            }),
        )
        .await;
    assert_eq!(round.status(), StatusCode::CREATED, "scheduling a round");
    let round = json(round).await["id"].as_i64().unwrap();

    // A supply request, on a run its volunteer delivers.
    let request = c
        .resident_a
        .post(
            "/api/supplies/requests",
            &json!({ "kind": "grocery", "urgency": "normal", "items": "大米一袋" }),
        )
        .await;
    assert_eq!(request.status(), StatusCode::CREATED);
    let request = json(request).await["id"].as_i64().unwrap();
    let accepted = c
        .staff_a
        .post(
            &format!("/api/supplies/requests/{request}/actions"),
            &json!({ "action": "accept" }),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let run = c
        .staff_a
        .post(
            "/api/supplies/runs",
            &json!({ "building_id": c.building_a, "request_ids": [request] }),
        )
        .await;
    assert_eq!(run.status(), StatusCode::CREATED);
    let (_, volunteer) = signed_up(server, "13987654321").await;
    sql::query("UPDATE supply_runs SET volunteer_id = ?")
        .bind(volunteer)
        .execute(&db)
        .await
        .expect("a volunteer on the run");

    // A medicine run with its 医保卡 in the volunteer's hands (marked by staff at the door).
    let medicine = c
        .resident_a
        .post(
            "/api/medicine/requests",
            &json!({ "lines": [{ "drug": "硝苯地平缓释片", "quantity": "2盒" }],
                     "hospital": "区中心医院", "handed_over": ["insurance_card"] }),
        )
        .await;
    assert_eq!(medicine.status(), StatusCode::CREATED);
    let medicine = json(medicine).await["request_id"].as_i64().unwrap();
    sql::query(
        "UPDATE custody_items SET resident_gave_at = '2026-12-07T08:00:00Z',
             out_since = '2026-12-07T08:00:00Z' WHERE request_id = ?",
    )
    .bind(medicine)
    .execute(&db)
    .await
    .expect("the card out");

    // A notice every household must acknowledge.
    let notice = c
        .staff_a
        .post(
            "/api/notices",
            &json!({ "title": "全员核酸通知", "body": "请各户于今晚 8 点前完成核酸检测。" }),
        )
        .await;
    let notice = json(notice).await["id"].as_i64().unwrap();
    let published = c
        .staff_a
        .action(&format!("/api/notices/{notice}/publish"))
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    let required = c
        .staff_a
        .put(
            &format!("/api/notices/{notice}/receipts"),
            &json!({ "required": true }),
        )
        .await;
    assert_eq!(required.status(), StatusCode::OK);

    let household = c.household_a;
    let building = c.building_a;
    vec![
        get("/api/residents/households".into(), "1号楼", ok),
        get("/api/residents/households?q=王建国".into(), "1号楼", ok),
        get(
            format!("/api/residents/households/{household}"),
            "1号楼",
            not_found,
        ),
        post(
            format!("/api/residents/households/{household}/reveal"),
            "13912345678",
            not_found,
        ),
        get("/api/residents/coverage".into(), "1号楼", ok),
        get("/api/residents/export?format=csv".into(), "1号楼", ok),
        get("/api/residents/merge-requests".into(), "1号楼", ok),
        get("/api/health/worklist".into(), "1号楼", ok),
        get(format!("/api/health/members/{member}"), "王建国", not_found),
        get("/api/health/care".into(), "1号楼", ok),
        get("/api/health/care/overdue".into(), "1号楼", ok),
        get("/api/testing/rounds".into(), "甲楼核酸", ok),
        get(
            format!("/api/testing/rounds/{round}"),
            "甲楼核酸",
            not_found,
        ),
        get(
            format!("/api/testing/rounds/{round}/untested"),
            "1号楼",
            not_found,
        ),
        get(
            format!("/api/testing/rounds/{round}/door"),
            "1号楼",
            not_found,
        ),
        get("/api/supplies/requests".into(), "大米一袋", ok),
        get(
            format!("/api/supplies/requests/{request}"),
            "大米一袋",
            not_found,
        ),
        get("/api/supplies/runs".into(), "1号楼", ok),
        get(
            format!("/api/medicine/requests/{medicine}"),
            "硝苯地平缓释片",
            not_found,
        ),
        get("/api/medicine/custody".into(), "1号楼", ok),
        get("/api/receipts".into(), "\"households\":2", ok),
        get(format!("/api/receipts/{notice}/buildings"), "1号楼", ok),
        get(
            format!("/api/receipts/{notice}/follow-up?building_id={building}"),
            "\"total\":",
            not_found,
        ),
        get("/api/zones/buildings".into(), "1号楼", ok),
        get(
            format!("/api/zones/buildings/{building}/history"),
            "sealed",
            not_found,
        ),
        post(
            format!("/api/volunteers/{volunteer}/reveal"),
            "13987654321",
            StatusCode::FORBIDDEN,
        ),
    ]
}

#[tokio::test]
async fn the_worker_of_another_grid_sees_nothing_of_grid_a_on_any_route() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    let routes = grid_a_in_every_feature(&server, &c).await;

    for route in &routes {
        // Grid A's worker sees it: the check below can fail.
        let (status, body) = call(&c.staff_a, route).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{} {}: {body}",
            route.method,
            route.path
        );
        assert!(
            body.contains(route.of_grid_a),
            "{} {} shows grid A's worker {:?}: {body}",
            route.method,
            route.path,
            route.of_grid_a
        );

        // The worker of grid B does not.
        let (status, body) = call(&c.staff_b, route).await;
        assert_eq!(
            status, route.other_grid,
            "{} {} as another grid's worker: {body}",
            route.method, route.path
        );
        for of_grid_a in [route.of_grid_a, "1号楼", "13912345678", "139****5678"] {
            assert!(
                !body.contains(of_grid_a),
                "{} {} shows another grid's worker {of_grid_a:?}: {body}",
                route.method,
                route.path
            );
        }
    }
}
