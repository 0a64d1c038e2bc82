//! Street staff see no personal data unless the community grants it (授权街道查看): the
//! community's admin grants a list for a purpose and some days, the street's staff read it
//! (phones masked in the list, the whole record on opening one person), every read lands in
//! the community's audit log under the reader's name, and a revoked or expired grant closes
//! the list again. Everyone else is refused, and a refusal changes nothing.

use crate::fixtures::{household as household_body, imported, register, reply, room_ids};
use crate::helpers::{TestClient, TestServer, advance_clock, assert_error, run_due};
use crate::tenancy::operator;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang::db::sql;
use shouwang_api::Page;
use shouwang_api::audit::AuditEntry;
use shouwang_api::auth::Role;
use shouwang_api::deployment::StreetSummary;
use shouwang_api::health::Flag;
use shouwang_api::residents::Household;
use shouwang_api::street::StreetDashboard;
use shouwang_api::street_access::{
    GrantScope, StreetFollowUpList, StreetGrant, StreetPersonRecord,
};

const FOLLOW_UP: &str = "health_follow_up";

/// The deployment as a new server makes it: one street with the one community.
struct Place {
    street_id: i64,
    community_id: i64,
}

async fn place(server: &TestServer) -> Place {
    let streets: Vec<StreetSummary> = reply(
        server.client().get("/api/deployment/communities").await,
        StatusCode::OK,
    )
    .await;
    Place {
        street_id: streets[0].id,
        community_id: streets[0].communities[0].id,
    }
}

/// Another street, for its staff.
async fn other_street(server: &TestServer) -> i64 {
    let db = server.connect().await;
    sql::query_scalar("INSERT INTO streets (name, created_at) VALUES ('和平街道', ?) RETURNING id")
        .bind(chrono::Utc::now())
        .fetch_one(&db)
        .await
        .expect("insert a street")
}

fn community_day() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

struct Community {
    admin: TestClient,
    /// 王建国, under home observation, not checked in today.
    observed: i64,
    /// His mother, not under observation: on no list.
    mother: i64,
}

/// One building, one household: 王建国 under observation and his mother.
async fn community(server: &TestServer) -> Community {
    let imported = imported(
        server,
        "网格,楼栋,单元,房号\n甲网格,1号楼,1单元,101\n甲网格,1号楼,1单元,102",
    )
    .await;
    let rooms = room_ids(&imported.grid("甲网格").buildings[0]);
    let today = community_day();
    let body = household_body(
        rooms[0],
        "13912345678",
        json!([
            { "name": "王建国", "phone": "13912345678", "relation": "self", "birth_year": 1975,
              "risk": { "arrival_date": today - chrono::Duration::days(3), "arrival_from": "risk_area",
                        "arrival_place": "某市", "category": "risk_area_return",
                        "observation_start": today - chrono::Duration::days(3),
                        "observation_end": today + chrono::Duration::days(4) } },
            { "name": "王奶奶", "phone": "13800001111", "relation": "parent", "birth_year": 1940 }
        ]),
    );
    let (resident, _) = register(server, &body).await;
    let mine: Household = reply(resident.get("/api/residents/me").await, StatusCode::OK).await;
    let ids: Vec<i64> = mine.members.iter().map(|m| m.id).collect();
    Community {
        admin: imported.admin,
        observed: ids[0],
        mother: ids[1],
    }
}

fn follow_up_path(community_id: i64) -> String {
    format!("/api/deployment/communities/{community_id}/health-follow-up")
}

fn grant_body(days: u32) -> Value {
    json!({ "scope": FOLLOW_UP, "purpose": "街道协助随访未打卡人员", "days": days })
}

async fn grant(admin: &TestClient, days: u32) -> StreetGrant {
    let response = admin.post("/api/street-grants", &grant_body(days)).await;
    reply(response, StatusCode::CREATED).await
}

/// The community's grants, as its admin lists them.
async fn grants(admin: &TestClient) -> Vec<StreetGrant> {
    reply(admin.get("/api/street-grants").await, StatusCode::OK).await
}

/// The street's dashboard at `path`, as its staff read it.
async fn dashboard(street: &TestClient, path: &str) -> StreetDashboard {
    reply(street.get(path).await, StatusCode::OK).await
}

/// The community's audit entries of one action.
async fn audited(server: &TestServer, action: &str) -> Vec<(Option<String>, Option<i64>)> {
    let db = server.connect().await;
    sql::query_as("SELECT operator_name, target_id FROM audit_log WHERE action = ? ORDER BY id")
        .bind(action)
        .fetch_all(&db)
        .await
        .expect("audit rows")
}

/// What most tests start from: the first community with 王建国's household, signed-in
/// staff `username` of its street, and the address of the community's follow-up list.
struct Setting {
    here: Place,
    c: Community,
    street: TestClient,
    list: String,
}

async fn setting(server: &TestServer, username: &str) -> Setting {
    let here = place(server).await;
    let c = community(server).await;
    let street = operator(server, username, Some(here.street_id)).await;
    let list = follow_up_path(here.community_id);
    Setting {
        here,
        c,
        street,
        list,
    }
}

#[tokio::test]
async fn the_admin_grants_the_street_the_follow_up_list_its_staff_read_it_audited_until_revoked() {
    let server = TestServer::spawn().await;
    let Setting {
        here,
        c,
        street,
        list,
    } = setting(&server, "wang").await;

    // Given no grant, the street's staff are refused, clearly, and nothing is recorded.
    assert_error(
        street.get(&list).await,
        StatusCode::FORBIDDEN,
        "not_granted",
    )
    .await;
    assert_error(
        street.get(&format!("{list}/{}", c.observed)).await,
        StatusCode::FORBIDDEN,
        "not_granted",
    )
    .await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE operator_id IS NOT NULL")
            .await,
        0
    );
    let street_page = format!("/api/deployment/streets/{}/dashboard", here.street_id);
    let figures = dashboard(&street, &street_page).await;
    assert!(figures.rows[0].granted.is_empty());

    // When the admin grants the list for three days,
    let granted = grant(&c.admin, 3).await;
    assert_eq!(granted.scope, GrantScope::HealthFollowUp);
    assert!(granted.live);
    assert!(!granted.granted_by.is_empty());
    let grant_id = granted.id;
    assert_eq!(
        granted.expires_at - granted.granted_at,
        chrono::Duration::days(3)
    );
    assert_eq!(audited(&server, "street_grant.create").await.len(), 1);

    // then the street's dashboard shows it, and its staff read the list, phones masked,
    let figures = dashboard(&street, &street_page).await;
    assert_eq!(figures.rows[0].granted, [GrantScope::HealthFollowUp]);
    let page: StreetFollowUpList = reply(street.get(&list).await, StatusCode::OK).await;
    assert_eq!(page.grant.purpose, "街道协助随访未打卡人员");
    assert_eq!(page.total, 1, "{page:?}");
    let entry = &page.items[0];
    assert_eq!(entry.name, "王建国");
    assert_eq!(entry.phone.as_deref(), Some("139****5678"));
    assert!(entry.flags.contains(&Flag::Missing));
    assert_eq!(
        audited(&server, "street.health_follow_up.list").await,
        vec![(Some("测试 wang".to_owned()), None)]
    );

    // and open one person: the whole record, the phone in full, audited with the person.
    let record: StreetPersonRecord = reply(
        street.get(&format!("{list}/{}", c.observed)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(record.phone.as_deref(), Some("13912345678"));
    assert_eq!(record.health.name, "王建国");
    assert_eq!(record.address.room, "101");
    assert_eq!(
        audited(&server, "street.health_follow_up.view").await,
        vec![(Some("测试 wang".to_owned()), Some(c.observed))]
    );

    // The admin reads who read, by name, in the community's audit page.
    let trail: Page<AuditEntry> = reply(c.admin.get("/api/audit").await, StatusCode::OK).await;
    let reads: Vec<&AuditEntry> = trail
        .items
        .iter()
        .filter(|e| e.action.starts_with("street."))
        .collect();
    assert_eq!(reads.len(), 2);
    for read in reads {
        assert_eq!(read.actor_name.as_deref(), Some("测试 wang"));
        assert!(read.by_street_staff);
    }

    // When the admin revokes the grant, the list closes at once.
    let revoked: StreetGrant = reply(
        c.admin
            .action(&format!("/api/street-grants/{grant_id}/revoke"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(!revoked.live);
    assert!(revoked.revoked_by.is_some());
    assert_eq!(audited(&server, "street_grant.revoke").await.len(), 1);
    let reads_before = server
        .count("SELECT COUNT(*) FROM audit_log WHERE operator_id IS NOT NULL")
        .await;
    assert_error(
        street.get(&list).await,
        StatusCode::FORBIDDEN,
        "not_granted",
    )
    .await;
    assert_error(
        street.get(&format!("{list}/{}", c.observed)).await,
        StatusCode::FORBIDDEN,
        "not_granted",
    )
    .await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE operator_id IS NOT NULL")
            .await,
        reads_before
    );
    // A second revocation finds nothing live.
    assert_error(
        c.admin
            .action(&format!("/api/street-grants/{grant_id}/revoke"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let all = grants(&c.admin).await;
    assert_eq!(all.len(), 1);
    assert!(!all[0].live);
}

#[tokio::test]
async fn a_grant_ends_by_itself_when_its_days_are_over() {
    let server = TestServer::spawn_with(&["--test-hooks"]).await;
    let Setting {
        c, street, list, ..
    } = setting(&server, "li").await;
    grant(&c.admin, 1).await;
    assert_eq!(street.get(&list).await.status(), StatusCode::OK);

    advance_clock(&server, 24 * 3600 + 1).await;

    assert_error(
        street.get(&list).await,
        StatusCode::FORBIDDEN,
        "not_granted",
    )
    .await;
    let all = grants(&c.admin).await;
    assert!(!all[0].live);
    assert!(all[0].revoked_at.is_none());
}

#[tokio::test]
async fn only_the_community_s_admin_grants_and_revokes() {
    let server = TestServer::spawn().await;
    let Setting { c, street, .. } = setting(&server, "zhao").await;
    let staff = server.sign_in_as(Role::Staff).await;
    let volunteer = server.sign_in_as(Role::Volunteer).await;
    let resident = server.sign_in_as(Role::Resident).await;

    for (who, client, status, code) in [
        (
            "anonymous",
            &server.client(),
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
        // An operator's cookie is not a session of the community.
        (
            "street staff",
            &street,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
        ("grid staff", &staff, StatusCode::FORBIDDEN, "forbidden"),
        ("volunteer", &volunteer, StatusCode::FORBIDDEN, "forbidden"),
        ("resident", &resident, StatusCode::FORBIDDEN, "forbidden"),
    ] {
        let response = client.post("/api/street-grants", &grant_body(3)).await;
        assert_eq!(response.status(), status, "{who} grants");
        assert_error(response, status, code).await;
        assert_eq!(
            client.get("/api/street-grants").await.status(),
            status,
            "{who} lists"
        );
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM street_grants").await, 0);

    let id = grant(&c.admin, 3).await.id;
    for (who, client, status) in [
        ("grid staff", &staff, StatusCode::FORBIDDEN),
        ("resident", &resident, StatusCode::FORBIDDEN),
        ("anonymous", &server.client(), StatusCode::UNAUTHORIZED),
    ] {
        let response = client
            .action(&format!("/api/street-grants/{id}/revoke"))
            .await;
        assert_eq!(response.status(), status, "{who} revokes");
    }
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM street_grants WHERE revoked_at IS NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn under_a_grant_only_the_street_s_own_staff_read_and_only_people_on_the_list() {
    let server = TestServer::spawn().await;
    let Setting {
        c, street, list, ..
    } = setting(&server, "zhou").await;
    let elsewhere = other_street(&server).await;
    let other_staff = operator(&server, "sun", Some(elsewhere)).await;
    let platform = operator(&server, "platform", None).await;
    grant(&c.admin, 3).await;
    let person = format!("{list}/{}", c.observed);

    // Another street's staff: the community is not theirs to know.
    assert_error(
        other_staff.get(&list).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        other_staff.get(&person).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // The platform's admins run the deployment and read nobody's data.
    assert_error(
        platform.get(&list).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        platform.get(&person).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // Signed out, and the community's own admin (not an operator).
    assert_error(
        server.client().get(&list).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_error(
        c.admin.get(&list).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    // No such community; a person the list does not cover (not under observation).
    assert_error(
        street.get(&follow_up_path(9999)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        street.get(&format!("{list}/{}", c.mother)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        street.get(&format!("{list}/not-a-number")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        street.get(&format!("{list}?flag=nonsense")).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    // None of these refusals read anything, so none is in the trail.
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE operator_id IS NOT NULL")
            .await,
        0
    );
    // The street's own staff may: the fever filter finds nobody yet.
    let fevers: StreetFollowUpList = reply(
        street.get(&format!("{list}?flag=fever")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(fevers.total, 0);
}

#[tokio::test]
async fn a_grant_needs_a_purpose_and_one_to_fourteen_days() {
    let server = TestServer::spawn().await;
    let admin = server.sign_in_as(Role::Admin).await;
    for (body, field) in [
        (
            json!({ "scope": FOLLOW_UP, "purpose": "  ", "days": 3 }),
            "purpose",
        ),
        (
            json!({ "scope": FOLLOW_UP, "purpose": "随访", "days": 0 }),
            "days",
        ),
        (
            json!({ "scope": FOLLOW_UP, "purpose": "随访", "days": 15 }),
            "days",
        ),
        (
            json!({ "scope": FOLLOW_UP, "purpose": "随".repeat(101), "days": 3 }),
            "purpose",
        ),
    ] {
        let response = admin.post("/api/street-grants", &body).await;
        let error = assert_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            if field == "days" {
                "invalid_value"
            } else if body["purpose"]
                .as_str()
                .is_some_and(|p| p.trim().is_empty())
            {
                "required"
            } else {
                "too_long"
            },
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
    }
    let unknown = admin
        .post(
            "/api/street-grants",
            &json!({ "scope": "everything", "purpose": "随访", "days": 3 }),
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(
        admin.action("/api/street-grants/9999/revoke").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(server.count("SELECT COUNT(*) FROM street_grants").await, 0);
}

#[tokio::test]
async fn the_street_dashboard_shows_the_figures_the_keeper_took_and_when_but_grants_as_they_are_now()
 {
    let server = TestServer::spawn_with(&["--test-hooks"]).await;
    let here = place(&server).await;
    let street = operator(&server, "wu", Some(here.street_id)).await;
    let path = format!("/api/deployment/streets/{}/dashboard", here.street_id);
    // No figures taken yet (the keeper does not run under test hooks): read at once.
    let before = dashboard(&street, &path).await;
    assert_eq!(before.totals.households, 0);

    // A household registers, and the community grants the street its list.
    let c = community(&server).await;
    grant(&c.admin, 1).await;
    advance_clock(&server, 61).await;
    let kept = dashboard(&street, &path).await;
    assert_eq!(
        kept.totals.households, 0,
        "the dashboard does not read the community: it shows what the keeper took"
    );
    assert_eq!(kept.as_of, before.as_of, "stamped when they were taken");
    assert_eq!(
        kept.rows[0].granted,
        [GrantScope::HealthFollowUp],
        "grants read every time"
    );

    // The keeper's round (here, the community's jobs run by the test) takes them again.
    run_due(&server).await;
    let fresh = dashboard(&street, &path).await;
    assert_eq!(fresh.totals.households, 1);
    assert_eq!((fresh.as_of - before.as_of).num_seconds(), 61);

    // Figures the keeper left older than two minutes are read on the dashboard's request.
    advance_clock(&server, 121).await;
    let stale = dashboard(&street, &path).await;
    assert_eq!((stale.as_of - fresh.as_of).num_seconds(), 121);
}

#[tokio::test]
async fn figures_kept_before_a_restart_serve_the_street_s_first_read_after_it() {
    let mut server = TestServer::spawn_with(&["--test-hooks"]).await;
    let here = place(&server).await;
    community(&server).await;
    run_due(&server).await;
    let path = format!("/api/deployment/streets/{}/dashboard", here.street_id);
    let street = operator(&server, "wu", Some(here.street_id)).await;
    let before = dashboard(&street, &path).await;
    assert_eq!(before.totals.households, 1);

    // An upgrade in the middle of the day: the figures outlive the process.
    server.restart().await;
    let db = server.connect().await;
    let kept: i64 = sql::query_scalar("SELECT COUNT(*) FROM kept_figures")
        .fetch_one(&db)
        .await
        .expect("kept figures");
    assert_eq!(kept, 1, "kept in the deployment's database");
    let street = operator(&server, "zhao", Some(here.street_id)).await;
    let after = dashboard(&street, &path).await;
    assert_eq!(
        after.as_of, before.as_of,
        "the first read after the restart shows the kept figures, stamped when taken"
    );
    assert_eq!(after.rows, before.rows);
}
