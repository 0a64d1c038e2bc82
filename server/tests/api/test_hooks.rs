//! The test-only hooks (`serve --test-hooks`): tests set the server's clock and run its
//! background jobs instead of sleeping. Without the switch they do not exist.

use crate::fixtures::reply;
use crate::helpers::{
    PASSWORD, TestClient, TestServer, advance_clock, assert_error, json, run_due,
};
use reqwest::StatusCode;
use serde_json::json;
use shouwang_api::auth::Role;
use shouwang_api::community::CommunityCalendar;

/// Today in the community, as the server's clock has it.
async fn today(client: &TestClient) -> String {
    let calendar: CommunityCalendar =
        reply(client.get("/api/community/calendar").await, StatusCode::OK).await;
    calendar.today.to_string()
}

#[tokio::test]
async fn without_the_switch_the_test_hooks_are_not_found() {
    let server = TestServer::spawn_with(&["--test-now", "2026-12-07T10:00:00Z"]).await;
    let client = server.client();
    assert_error(
        client.post("/api/test/run-due", &json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        client
            .post("/api/test/clock", &json!({ "advance_seconds": 86_400 }))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // The clock did not move.
    assert_eq!(today(&client).await, "2026-12-07");
}

#[tokio::test]
async fn a_test_moves_the_clock_and_runs_what_has_come_due() {
    let server = TestServer::spawn_with(&[
        "--test-hooks",
        "--test-now",
        "2026-12-07T10:00:00Z",
        "--session-hours",
        "1",
    ])
    .await;
    let client = server.client();
    assert_eq!(today(&client).await, "2026-12-07");
    advance_clock(&server, 86_400).await;
    assert_eq!(today(&client).await, "2026-12-08");

    // A sign-in lasts an hour: at once nothing is due; two hours on it has expired.
    server.create_account(Role::Staff, "wangli").await;
    let staff = server.client();
    assert_eq!(
        staff.login("wangli", PASSWORD).await.status(),
        StatusCode::OK
    );
    let done = run_due(&server).await;
    assert_eq!(
        done,
        json!({ "expired_sessions": 0, "purged_households": 0,
                "zone_changes_applied": 0, "observations_ended": 0,
                "expired_idempotency_keys": 0, "custody_overdue": 0 })
    );
    advance_clock(&server, 2 * 3600).await;
    let done = run_due(&server).await;
    assert_eq!(done["expired_sessions"], 1, "{done}");
    assert_eq!(server.count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_error(
        staff.get("/api/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    // Bad input: neither or both of `now` and `advance_seconds`.
    for body in [
        json!({}),
        json!({ "now": "2026-12-09T00:00:00Z", "advance_seconds": 1 }),
    ] {
        assert_error(
            client.post("/api/test/clock", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_value",
        )
        .await;
    }
    let set = json(
        client
            .post("/api/test/clock", &json!({ "now": "2026-12-20T01:00:00Z" }))
            .await,
    )
    .await;
    assert_eq!(set["now"], "2026-12-20T01:00:00Z");
    assert_eq!(today(&client).await, "2026-12-20");
}
