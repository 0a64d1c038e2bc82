//! A stored value this build does not know (written by hand, by a newer version, or by a
//! bad restore) is never read as some default: a building in an unknown zone is not
//! "precaution" (which would skip daily check-ins), an unknown round state is not
//! "cancelled", an unknown request kind is not "other help". The reply says the record
//! cannot be read, nothing panics, and the row stays as it was for someone to repair.

use crate::helpers::{TestClient, TestServer, assert_error, json};
use crate::zones::{community, seal};
use reqwest::StatusCode;
use serde_json::json;
use shouwang::db::{Pool, sql};

const UNREADABLE: &str = "stored_value_unreadable";

/// Writes past the schema's CHECK constraints, as an older schema, a newer version or a
/// hand edit would have.
async fn write(server: &TestServer, sql: &str, id: i64) {
    let db = server.connect().await;
    match &db {
        Pool::Sqlite(_) => {
            sql::query("PRAGMA ignore_check_constraints = ON")
                .execute(&db)
                .await
                .expect("allow a value the schema forbids");
        }
        // PostgreSQL has no such switch: the table's CHECK constraints are dropped.
        Pool::Postgres(_) => {
            let table = sql
                .split_whitespace()
                .nth(1)
                .expect("UPDATE <table> SET ...");
            let checks: Vec<String> = sql::query_scalar(
                "SELECT CAST(conname AS TEXT) FROM pg_constraint
                 WHERE conrelid = CAST(? AS regclass) AND contype = 'c'",
            )
            .bind(table)
            .fetch_all(&db)
            .await
            .expect("the table's checks");
            for check in checks {
                sql::query(&format!("ALTER TABLE {table} DROP CONSTRAINT \"{check}\""))
                    .execute(&db)
                    .await
                    .expect("drop a check");
            }
        }
    }
    sql::query(sql)
        .bind(id)
        .execute(&db)
        .await
        .expect("write a bad value");
}

/// Writes the bad value (`sql` with row `id`), then each `(client, path)` is answered 409
/// `stored_value_unreadable`.
async fn corrupt_then_unreadable(
    server: &TestServer,
    sql: &str,
    id: i64,
    reads: &[(&TestClient, String)],
) {
    write(server, sql, id).await;
    for (client, path) in reads {
        assert_error(client.get(path).await, StatusCode::CONFLICT, UNREADABLE).await;
    }
}

async fn read(server: &TestServer, sql: &str, id: i64) -> String {
    let db = server.connect().await;
    sql::query_scalar(sql)
        .bind(id)
        .fetch_one(&db)
        .await
        .expect("read the stored value")
}

#[tokio::test]
async fn an_unknown_zone_is_reported_not_read_as_precaution() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    corrupt_then_unreadable(
        &server,
        "UPDATE buildings SET zone = 'lockdown_v2' WHERE id = ?",
        c.building_a,
        &[
            (&c.staff_a, "/api/zones/buildings".to_owned()),
            (&c.resident_a, "/api/zones/mine".to_owned()),
            (&c.resident_a, "/api/health/me".to_owned()),
        ],
    )
    .await;
    assert_eq!(
        read(
            &server,
            "SELECT zone FROM buildings WHERE id = ?",
            c.building_a
        )
        .await,
        "lockdown_v2",
        "the row is left for someone to repair"
    );
    // The other grid's building reads as before.
    let theirs = c.staff_b.get("/api/zones/buildings").await;
    assert_eq!(theirs.status(), StatusCode::OK);
    assert_eq!(json(theirs).await["items"][0]["zone"], "precaution");
}

#[tokio::test]
async fn an_unknown_request_kind_or_round_state_is_reported_not_guessed() {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    seal(&c.staff_a, c.building_a).await;
    let created = c
        .resident_a
        .post(
            "/api/supplies/requests",
            &json!({ "kind": "grocery", "urgency": "normal", "items": "大米一袋" }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let request = json(created).await["id"].as_i64().unwrap();
    corrupt_then_unreadable(
        &server,
        "UPDATE supply_requests SET kind = 'teleport' WHERE id = ?",
        request,
        &[
            (&c.staff_a, format!("/api/supplies/requests/{request}")),
            (&c.staff_a, "/api/supplies/requests".to_owned()),
            (&c.resident_a, "/api/supplies/mine".to_owned()),
        ],
    )
    .await;
    // Acting on it is refused the same way, and changes nothing.
    assert_error(
        c.staff_a
            .post(
                &format!("/api/supplies/requests/{request}/actions"),
                &json!({ "action": "accept" }),
            )
            .await,
        StatusCode::CONFLICT,
        UNREADABLE,
    )
    .await;
    assert_eq!(
        read(
            &server,
            "SELECT kind || '/' || state FROM supply_requests WHERE id = ?",
            request
        )
        .await,
        "teleport/submitted"
    );

    let unit: i64 = {
        let db = server.connect().await;
        sql::query_scalar("SELECT id FROM units WHERE building_id = ?")
            .bind(c.building_a)
            .fetch_one(&db)
            .await
            .unwrap()
    };
    let round = c
        .staff_a
        .post(
            "/api/testing/rounds",
            &json!({
                "name": "第1轮", "date": "2099-01-01", "place": "小区东门广场",
                "building_ids": [c.building_a],
                "slots": [{ "unit_id": unit, "start": "08:00", "end": "08:30" }]
            }),
        )
        .await;
    assert_eq!(round.status(), StatusCode::CREATED);
    let round = json(round).await["id"].as_i64().unwrap();
    corrupt_then_unreadable(
        &server,
        "UPDATE testing_rounds SET state = 'paused' WHERE id = ?",
        round,
        &[(&c.staff_a, format!("/api/testing/rounds/{round}"))],
    )
    .await;
    assert_eq!(
        read(
            &server,
            "SELECT state FROM testing_rounds WHERE id = ?",
            round
        )
        .await,
        "paused"
    );
}

/// A member's column, hand-edited to `set` for both members of household A: the household
/// is unreadable to its staff, and `column` still reads `stored` for someone to repair.
async fn a_member_value_is_reported(set: &str, column: &str, stored: &str) {
    let server = TestServer::spawn().await;
    let c = community(&server).await;
    corrupt_then_unreadable(
        &server,
        &format!("UPDATE members SET {set} WHERE household_id = ?"),
        c.household_a,
        &[(
            &c.staff_a,
            format!("/api/residents/households/{}", c.household_a),
        )],
    )
    .await;
    assert_eq!(
        read(
            &server,
            &format!("SELECT group_concat({column}, ';') FROM members WHERE household_id = ?"),
            c.household_a
        )
        .await,
        stored
    );
}

#[tokio::test]
async fn an_unknown_special_group_is_reported_not_dropped() {
    a_member_value_is_reported(
        "groups = 'elderly_alone,night_owl'",
        "groups",
        "elderly_alone,night_owl;elderly_alone,night_owl",
    )
    .await;
}

#[tokio::test]
async fn a_hand_edited_phone_is_reported_not_shown() {
    a_member_value_is_reported("phone = '12345'", "phone", "12345;12345").await;
}
