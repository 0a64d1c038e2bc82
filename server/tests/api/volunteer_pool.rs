//! The street's volunteer pool (跨社区支援): a volunteer of one community takes seats on the
//! shifts another community of the same street opens to the pool, under the host's
//! capacity and waitlist, and nobody else gets in.

use crate::fixtures::reply;
use crate::helpers::{
    PASSWORD, TestClient, TestServer, advance_clock, assert_error, count_in, table_counts,
};
use crate::shifts::{create as create_shift, local_now, tomorrow_at};
use crate::tenancy::{new_community, operator};
use chrono::{Duration, NaiveDateTime};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang::db::Pool;
use shouwang_api::Page;
use shouwang_api::community::Created;
use shouwang_api::pool::{LeftPool, PoolHours, PoolShift, PoolSignup, PoolStatus};
use shouwang_api::shifts::{Roster, Shift, SignupStatus};
use shouwang_api::volunteers::{HoursRow, Volunteer};

/// The first street (本街道) holds the first community (`main`, 本社区).
const FIRST_STREET: i64 = 1;

fn shift_body(start: NaiveDateTime, capacity: u32, open_to_street: bool) -> Value {
    let end = start + Duration::hours(2);
    json!({
        "post": "entrance",
        "place": "建设社区北门",
        "date": start.date(),
        "start": start.time().format("%H:%M").to_string(),
        "end": end.time().format("%H:%M").to_string(),
        "capacity": capacity,
        "open_to_street": open_to_street,
    })
}

/// The pool as a volunteer sees it.
async fn pool(volunteer: &TestClient) -> PoolStatus {
    reply(volunteer.get("/api/pool").await, StatusCode::OK).await
}

/// The shifts the pool offers a volunteer.
async fn pool_shifts(volunteer: &TestClient) -> Vec<PoolShift> {
    reply(volunteer.get("/api/pool/shifts").await, StatusCode::OK).await
}

/// A volunteer's sign-ups in other communities.
async fn pool_signups(volunteer: &TestClient) -> Vec<PoolSignup> {
    reply(volunteer.get("/api/pool/signups").await, StatusCode::OK).await
}

/// A shift as a community's client sees it.
async fn shift_seen(client: &TestClient, id: i64) -> Shift {
    reply(
        client.get(&format!("/api/shifts/{id}")).await,
        StatusCode::OK,
    )
    .await
}

/// A new community of `street`; its admin, signed in at its address.
async fn community(
    server: &TestServer,
    platform: &TestClient,
    street: i64,
    slug: &str,
    name: &str,
) -> TestClient {
    let response = platform
        .post(
            "/api/deployment/communities",
            &new_community(street, slug, name),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let admin = server.client_at(slug);
    assert_eq!(
        admin
            .login(&format!("{slug}-admin"), PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
    admin
}

/// A volunteer who signed up at `slug`'s address (their cookie is that community's), approved
/// by `admin` there when asked.
async fn volunteer(
    server: &TestServer,
    slug: &str,
    phone: &str,
    name: &str,
    approve_by: Option<&TestClient>,
) -> (TestClient, i64) {
    let client = server.client_at(slug);
    let response = client
        .post(
            "/api/volunteers/sign-up",
            &json!({
                "phone": phone,
                "password": PASSWORD,
                "name": name,
                "service_area": "第一网格",
                "skills": [],
                "availability": [],
                "trainings": [],
            }),
        )
        .await;
    let id = reply::<Volunteer>(response, StatusCode::CREATED).await.id;
    if let Some(admin) = approve_by {
        let response = admin.action(&format!("/api/volunteers/{id}/approve")).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    (client, id)
}

async fn join(volunteer: &TestClient) {
    let response = volunteer.action("/api/pool/join").await;
    let joined: PoolStatus = reply(response, StatusCode::OK).await;
    assert!(joined.in_pool);
}

async fn pool_sign_up(
    volunteer: &TestClient,
    slug: &str,
    shift: i64,
    waitlist: bool,
) -> reqwest::Response {
    volunteer
        .post(
            &format!("/api/pool/shifts/{slug}/{shift}/signup"),
            &json!({ "join_waitlist": waitlist }),
        )
        .await
}

/// The main community and 建设社区 in the first street; 丰收社区 in another street. Answers
/// the admins of (main, jianshe, fengshou).
async fn street(server: &TestServer) -> (TestClient, TestClient, TestClient) {
    let platform = operator(server, "platform", None).await;
    let jianshe = community(server, &platform, FIRST_STREET, "jianshe", "建设社区").await;
    let response = platform
        .post("/api/deployment/streets", &json!({ "name": "丰收街道" }))
        .await;
    let other_street = reply::<Created>(response, StatusCode::CREATED).await.id;
    let fengshou = community(server, &platform, other_street, "fengshou", "丰收社区").await;
    let main = server.client_at("main");
    server
        .create_account(shouwang_api::auth::Role::Admin, "main-admin")
        .await;
    assert_eq!(
        main.login("main-admin", PASSWORD).await.status(),
        StatusCode::OK
    );
    (main, jianshe, fengshou)
}

/// The data of the first community (with the catalog) and of the two others.
async fn dbs(server: &TestServer) -> [Pool; 3] {
    [
        server.connect().await,
        server.connect_community(2).await,
        server.connect_community(3).await,
    ]
}

async fn snapshot(server: &TestServer) -> Vec<Vec<(String, i64)>> {
    let mut all = Vec::new();
    for db in dbs(server).await {
        all.push(table_counts(&db).await);
    }
    all
}

#[tokio::test]
async fn a_pooled_volunteer_serves_another_community_whose_staff_check_them_in() {
    let server = TestServer::spawn_with(&["--test-hooks"]).await;
    let (main, jianshe, _) = street(&server).await;
    let (li, li_id) = volunteer(&server, "main", "139 1234 5678", "李明", Some(&main)).await;
    let start = tomorrow_at(9);
    let open = create_shift(&jianshe, &shift_body(start, 2, true)).await;
    let closed = create_shift(&jianshe, &shift_body(tomorrow_at(14), 2, false)).await;

    // Given an approved volunteer of 本社区 outside the pool: they see the street, not its shifts.
    let status = pool(&li).await;
    assert!(!status.in_pool);
    assert_eq!(status.street_name, "本街道");
    assert_eq!(status.communities, ["建设社区"]);
    assert_error(
        li.get("/api/pool/shifts").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // When they join, they see 建设社区's open shift (not the one kept for its own people).
    join(&li).await;
    let shifts = pool_shifts(&li).await;
    assert_eq!(shifts.len(), 1, "{shifts:?}");
    assert_eq!(shifts[0].community_slug, "jianshe");
    assert_eq!(shifts[0].community_name, "建设社区");
    assert_eq!(shifts[0].shift.id, open);
    assert_eq!(shifts[0].shift.place, "建设社区北门");
    assert_eq!(shifts[0].shift.capacity, 2);
    assert_eq!(shifts[0].shift.taken, 0);
    assert_ne!(shifts[0].shift.id, closed);

    // They take a seat.
    let response = pool_sign_up(&li, "jianshe", open, false).await;
    let signup: PoolSignup = reply(response, StatusCode::CREATED).await;
    assert_eq!(signup.community_name, "建设社区");
    assert_eq!(signup.signup.status, SignupStatus::SignedUp);
    assert_eq!(signup.signup.shift.taken, 1);
    let mine = pool_signups(&li).await;
    assert_eq!(mine[0].signup.shift.id, open);

    // 建设社区's staff see them in the day's roster, from 本社区, the phone masked.
    let day = start.date();
    let roster: Roster = reply(
        jianshe.get(&format!("/api/shifts/roster?day={day}")).await,
        StatusCode::OK,
    )
    .await;
    let people = &roster.shifts[0].people;
    assert_eq!(people[0].name, "李明");
    assert_eq!(people[0].phone, "139****5678");
    assert_eq!(people[0].from_community.as_deref(), Some("本社区"));
    // The full phone only through the host's audited reveal.
    let visiting = people[0].volunteer_id;
    let revealed: Volunteer = reply(
        jianshe
            .action(&format!("/api/volunteers/{visiting}/reveal"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(revealed.phone, "13912345678");
    // The volunteer's own community's volunteers list and the host's list of volunteers
    // stay apart: the visitor is not one of 本社区's accounts in 建设社区's file.
    let [home_db, host_db, _] = dbs(&server).await;
    assert_eq!(
        count_in(
            &host_db,
            "SELECT COUNT(*) FROM volunteers WHERE home_community_id = 1 AND home_volunteer_id IS NOT NULL"
        )
        .await,
        1
    );
    // The crossing is audited in both communities.
    assert_eq!(
        count_in(
            &home_db,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.pool_signup' AND actor_id = {li_id}"
            )
        )
        .await,
        1
    );
    assert_eq!(
        count_in(
            &host_db,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'pool.signup' AND actor_id = {visiting}"
            )
        )
        .await,
        1
    );

    // At the post, 建设社区's staff check them in and out; the hours count there and in the
    // volunteer's record, by community.
    let until_start = (start - local_now()).num_seconds();
    advance_clock(&server, until_start).await;
    let signup_id = people[0].signup_id;
    let response = jianshe
        .action(&format!("/api/shifts/signups/{signup_id}/check-in"))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    advance_clock(&server, 2 * 3600).await;
    let response = jianshe
        .action(&format!("/api/shifts/signups/{signup_id}/check-out"))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let report: Page<HoursRow> =
        reply(jianshe.get("/api/volunteers/hours").await, StatusCode::OK).await;
    assert_eq!(report.total, 1);
    assert_eq!(report.items[0].name, "李明");
    let hours: PoolHours = reply(li.get("/api/pool/hours").await, StatusCode::OK).await;
    let (home, host) = (&hours.communities[0], &hours.communities[1]);
    assert_eq!(home.community_name, "本社区");
    assert!(home.home);
    assert_eq!(home.minutes, 0);
    assert_eq!(host.community_name, "建设社区");
    assert_eq!(host.shifts, 1);
    assert!((119..=121).contains(&host.minutes), "{hours:?}");
    assert_eq!(hours.total_minutes, host.minutes);
}

#[tokio::test]
async fn capacity_and_waitlist_hold_for_pool_and_local_sign_ups_together() {
    let server = TestServer::spawn().await;
    let (main, jianshe, _) = street(&server).await;
    let (li, _) = volunteer(&server, "main", "139 1234 5678", "李明", Some(&main)).await;
    join(&li).await;
    let (local, _) = volunteer(&server, "jianshe", "139 2222 0001", "王芳", Some(&jianshe)).await;
    let (late, _) = volunteer(&server, "jianshe", "139 2222 0002", "赵强", Some(&jianshe)).await;
    let shift = create_shift(&jianshe, &shift_body(tomorrow_at(9), 1, true)).await;

    // Given a local volunteer holds the only seat, the pooled one is refused a seat, and
    // nothing of them is left in either file...
    let response = local
        .post(
            &format!("/api/shifts/{shift}/signup"),
            &json!({ "join_waitlist": false }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let before = snapshot(&server).await;
    assert_error(
        pool_sign_up(&li, "jianshe", shift, false).await,
        StatusCode::CONFLICT,
        "shift_full",
    )
    .await;
    assert_eq!(snapshot(&server).await, before);

    // ...but may wait in line, first; a local volunteer who asks later is second.
    let response = pool_sign_up(&li, "jianshe", shift, true).await;
    let waiting: PoolSignup = reply(response, StatusCode::CREATED).await;
    assert_eq!(waiting.signup.status, SignupStatus::Waitlisted);
    let response = late
        .post(
            &format!("/api/shifts/{shift}/signup"),
            &json!({ "join_waitlist": true }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // When the local volunteer gives up the seat, the first in line (from the pool) takes it.
    let response = local
        .send(
            local
                .http
                .delete(local.url(&format!("/api/shifts/{shift}/signup"))),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        pool_signups(&li).await[0].signup.status,
        SignupStatus::SignedUp
    );
    let seen = shift_seen(&late, shift).await;
    assert_eq!(seen.taken, 1);
    let theirs = seen.my_signup.expect("their place in line");
    assert_eq!(theirs.status, SignupStatus::Waitlisted);
    assert_eq!(theirs.waitlist_position, Some(1));
}

#[tokio::test]
async fn a_pooled_volunteer_cannot_be_in_two_communities_at_once() {
    let server = TestServer::spawn().await;
    let (main, jianshe, _) = street(&server).await;
    let (li, _) = volunteer(&server, "main", "139 1234 5678", "李明", Some(&main)).await;
    join(&li).await;
    let at_home = create_shift(&main, &shift_body(tomorrow_at(9), 2, false)).await;
    let there = create_shift(&jianshe, &shift_body(tomorrow_at(10), 2, true)).await;
    let response = li
        .post(
            &format!("/api/shifts/{at_home}/signup"),
            &json!({ "join_waitlist": false }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let before = snapshot(&server).await;
    assert_error(
        pool_sign_up(&li, "jianshe", there, false).await,
        StatusCode::CONFLICT,
        "shift_overlap",
    )
    .await;
    assert_eq!(snapshot(&server).await, before);

    // And the other way round: a seat elsewhere counts in their own community's rotation.
    let response = li
        .send(
            li.http
                .delete(li.url(&format!("/api/shifts/{at_home}/signup"))),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        pool_sign_up(&li, "jianshe", there, false).await.status(),
        StatusCode::CREATED
    );
    assert_error(
        li.post(
            &format!("/api/shifts/{at_home}/signup"),
            &json!({ "join_waitlist": false }),
        )
        .await,
        StatusCode::CONFLICT,
        "shift_overlap",
    )
    .await;
}

/// Local day `days` from today at `hour`:00.
fn day_at(days: i64, hour: u32) -> NaiveDateTime {
    (local_now().date() + Duration::days(days))
        .and_hms_opt(hour, 0, 0)
        .expect("a time")
}

#[tokio::test]
async fn two_sign_ups_at_the_same_instant_in_two_communities_seat_the_volunteer_once() {
    let server = TestServer::spawn().await;
    let (main, jianshe, _) = street(&server).await;
    let platform = operator(&server, "platform-2", None).await;
    let qianjin = community(&server, &platform, FIRST_STREET, "qianjin", "前进社区").await;
    let (li, _) = volunteer(&server, "main", "139 1234 5678", "李明", Some(&main)).await;
    join(&li).await;

    // Each round, two overlapping shifts of two other communities (and, every other
    // round, one of their own community) asked for at once: a race the rotation check
    // alone, read before each community's own transaction, would let both win.
    for round in 1..=6 {
        let first = create_shift(&jianshe, &shift_body(day_at(round, 9), 2, true)).await;
        let second = create_shift(&qianjin, &shift_body(day_at(round, 10), 2, true)).await;
        let home = create_shift(&main, &shift_body(day_at(round, 10), 2, false)).await;
        let home_path = format!("/api/shifts/{home}/signup");
        let (a, b, c) = tokio::join!(
            pool_sign_up(&li, "jianshe", first, false),
            pool_sign_up(&li, "qianjin", second, false),
            async {
                if round % 2 == 0 {
                    Some(
                        li.post(&home_path, &json!({ "join_waitlist": false }))
                            .await,
                    )
                } else {
                    None
                }
            },
        );
        let statuses: Vec<StatusCode> = [Some(a), Some(b), c]
            .into_iter()
            .flatten()
            .map(|r| r.status())
            .collect();
        let won = statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count();
        let refused = statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count();
        assert_eq!(won, 1, "round {round}: {statuses:?}");
        assert_eq!(refused, statuses.len() - 1, "round {round}: {statuses:?}");
    }
    let seats = |db: Pool| async move {
        count_in(
            &db,
            "SELECT COUNT(*) FROM shift_signups WHERE status = 'signed_up'",
        )
        .await
    };
    // main is community 1, jianshe 2, fengshou (another street) 3, qianjin 4.
    let total = seats(server.connect().await).await
        + seats(server.connect_community(2).await).await
        + seats(server.connect_community(4).await).await;
    assert_eq!(total, 6, "one seat a round");
}

#[tokio::test]
async fn every_refusal_leaves_every_community_unchanged() {
    let server = TestServer::spawn().await;
    let (main, jianshe, fengshou) = street(&server).await;
    let (li, _) = volunteer(&server, "main", "139 1234 5678", "李明", Some(&main)).await;
    let (pending, _) = volunteer(&server, "main", "139 1234 0000", "张伟", None).await;
    let (outsider, _) = volunteer(
        &server,
        "fengshou",
        "139 3333 0001",
        "孙丽",
        Some(&fengshou),
    )
    .await;
    join(&outsider).await;
    // The same person already volunteers in 建设社区 under the same phone.
    let (twin, _) = volunteer(&server, "main", "139 2222 0001", "王芳", Some(&main)).await;
    join(&twin).await;
    volunteer(&server, "jianshe", "139 2222 0001", "王芳", Some(&jianshe)).await;
    let open = create_shift(&jianshe, &shift_body(tomorrow_at(9), 2, true)).await;
    let closed = create_shift(&jianshe, &shift_body(tomorrow_at(14), 2, false)).await;
    let mut medical = shift_body(tomorrow_at(18), 2, true);
    medical["required_skill"] = json!("medical");
    let medical = create_shift(&jianshe, &medical).await;
    let fengshou_shift = create_shift(&fengshou, &shift_body(tomorrow_at(9), 2, true)).await;
    let before = snapshot(&server).await;

    // Not in the pool yet.
    assert_error(
        pool_sign_up(&li, "jianshe", open, false).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // Not approved: may not join, nor sign up.
    assert_error(
        pending.action("/api/pool/join").await,
        StatusCode::FORBIDDEN,
        "volunteer_not_approved",
    )
    .await;
    assert_error(
        pool_sign_up(&pending, "jianshe", open, false).await,
        StatusCode::FORBIDDEN,
        "volunteer_not_approved",
    )
    .await;
    // Staff and strangers have no place in the pool.
    for path in ["/api/pool", "/api/pool/shifts", "/api/pool/signups"] {
        assert_error(main.get(path).await, StatusCode::FORBIDDEN, "forbidden").await;
        assert_error(
            server.client_at("main").get(path).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
    }
    assert_error(
        pool_sign_up(&jianshe, "jianshe", open, false).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        pool_sign_up(&server.client_at("main"), "jianshe", open, false).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_eq!(snapshot(&server).await, before);

    join(&li).await;
    let before = snapshot(&server).await;
    // Only the other communities of the volunteer's own street, only their open shifts.
    for (slug, shift) in [
        ("fengshou", fengshou_shift),
        ("main", open),
        ("nowhere", open),
        ("jianshe", closed),
        ("jianshe", 9999),
    ] {
        assert_error(
            pool_sign_up(&li, slug, shift, false).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // A volunteer of another street never reaches this one's shifts.
    assert_error(
        pool_sign_up(&outsider, "jianshe", open, false).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let theirs = pool_shifts(&outsider).await;
    assert!(theirs.is_empty(), "丰收街道 has no other community");
    // A shift that asks for a skill they lack: not shown, and refused.
    let shown = pool_shifts(&li).await;
    assert!(shown.iter().all(|s| s.shift.id != medical), "{shown:?}");
    assert_error(
        pool_sign_up(&li, "jianshe", medical, false).await,
        StatusCode::FORBIDDEN,
        "skill_required",
    )
    .await;
    // One person, one profile per community: a volunteer of 建设社区 signs up there.
    assert_error(
        pool_sign_up(&twin, "jianshe", open, false).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // Bad input: a body of the wrong shape, a shift id that is no number, twice the same.
    assert_error(
        li.post(
            &format!("/api/pool/shifts/jianshe/{open}/signup"),
            &json!({ "join_waitlist": "yes" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_type",
    )
    .await;
    assert_error(
        li.post(
            "/api/pool/shifts/jianshe/abc/signup",
            &json!({ "join_waitlist": false }),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        li.action("/api/pool/join").await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_error(
        li.send(
            li.http
                .delete(li.url(&format!("/api/pool/shifts/jianshe/{open}/signup"))),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(snapshot(&server).await, before);

    assert_eq!(
        pool_sign_up(&li, "jianshe", open, false).await.status(),
        StatusCode::CREATED
    );
    let before = snapshot(&server).await;
    assert_error(
        pool_sign_up(&li, "jianshe", open, true).await,
        StatusCode::CONFLICT,
        "already_signed_up",
    )
    .await;
    assert_eq!(snapshot(&server).await, before);
}

#[tokio::test]
async fn leaving_the_pool_keeps_confirmed_seats_and_withdraws_waitlist_places() {
    let server = TestServer::spawn().await;
    let (main, jianshe, _) = street(&server).await;
    let (li, _) = volunteer(&server, "main", "139 1234 5678", "李明", Some(&main)).await;
    let (local, _) = volunteer(&server, "jianshe", "139 2222 0001", "王芳", Some(&jianshe)).await;
    join(&li).await;
    let seat = create_shift(&jianshe, &shift_body(tomorrow_at(7), 2, true)).await;
    let full = create_shift(&jianshe, &shift_body(tomorrow_at(18), 1, true)).await;
    let response = local
        .post(
            &format!("/api/shifts/{full}/signup"),
            &json!({ "join_waitlist": false }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        pool_sign_up(&li, "jianshe", seat, false).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        pool_sign_up(&li, "jianshe", full, true).await.status(),
        StatusCode::CREATED
    );

    let response = li.action("/api/pool/leave").await;
    let left: LeftPool = reply(response, StatusCode::OK).await;
    assert_eq!(left.seats_kept, 1);
    assert_eq!(left.waitlist_withdrawn, 1);
    let mine = pool_signups(&li).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].signup.shift.id, seat);
    assert!(!pool(&li).await.in_pool);
    assert_error(
        li.get("/api/pool/shifts").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        li.action("/api/pool/leave").await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    let [home_db, host_db, _] = dbs(&server).await;
    assert_eq!(
        count_in(
            &home_db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.pool_leave'"
        )
        .await,
        1
    );
    assert_eq!(
        count_in(
            &host_db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'pool.leave'"
        )
        .await,
        1
    );

    // The kept seat stays theirs to give up.
    let response = li
        .send(
            li.http
                .delete(li.url(&format!("/api/pool/shifts/jianshe/{seat}/signup"))),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(pool_signups(&li).await.is_empty());
}

#[tokio::test]
async fn a_volunteer_paused_by_their_own_community_gives_up_their_seats_elsewhere() {
    let server = TestServer::spawn().await;
    let (main, jianshe, _) = street(&server).await;
    let (li, li_id) = volunteer(&server, "main", "139 1234 5678", "李明", Some(&main)).await;
    let (local, _) = volunteer(&server, "jianshe", "139 2222 0001", "王芳", Some(&jianshe)).await;
    join(&li).await;
    let shift = create_shift(&jianshe, &shift_body(tomorrow_at(9), 1, true)).await;
    assert_eq!(
        pool_sign_up(&li, "jianshe", shift, false).await.status(),
        StatusCode::CREATED
    );
    let response = local
        .post(
            &format!("/api/shifts/{shift}/signup"),
            &json!({ "join_waitlist": true }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // When 本社区 pauses them, 建设社区's seat goes to the first in line there.
    let response = main.action(&format!("/api/volunteers/{li_id}/pause")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen = shift_seen(&local, shift).await;
    assert_eq!(
        seen.my_signup.map(|s| s.status),
        Some(SignupStatus::SignedUp)
    );
    assert!(pool_signups(&li).await.is_empty());
    assert_error(
        pool_sign_up(&li, "jianshe", shift, true).await,
        StatusCode::FORBIDDEN,
        "volunteer_not_approved",
    )
    .await;
    let [_, host_db, _] = dbs(&server).await;
    assert_eq!(
        count_in(
            &host_db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'pool.released_by_home'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn two_sign_ups_at_the_same_instant_through_two_instances_seat_the_volunteer_once() {
    let server = TestServer::spawn().await;
    if server.on_sqlite("several instances need PostgreSQL") {
        return;
    }
    let (main, jianshe, _) = street(&server).await;
    let platform = operator(&server, "platform-2", None).await;
    let qianjin = community(&server, &platform, FIRST_STREET, "qianjin", "前进社区").await;
    let (li, _) = volunteer(&server, "main", "139 1234 5678", "李明", Some(&main)).await;
    join(&li).await;
    // The volunteer signed in on a second phone, whose requests reach the other instance.
    let other = server.another_instance().await;
    let li_on_other = other.client_at("main");
    assert_eq!(
        li_on_other.login("13912345678", PASSWORD).await.status(),
        StatusCode::OK
    );

    // Each round, two overlapping shifts of two communities asked for at once, one
    // through each instance: each instance's own lock alone would let both win.
    for round in 1..=6 {
        let first = create_shift(&jianshe, &shift_body(day_at(round, 9), 2, true)).await;
        let second = create_shift(&qianjin, &shift_body(day_at(round, 10), 2, true)).await;
        let (a, b) = tokio::join!(
            pool_sign_up(&li, "jianshe", first, false),
            pool_sign_up(&li_on_other, "qianjin", second, false),
        );
        let statuses = [a.status(), b.status()];
        assert!(
            statuses.contains(&StatusCode::CREATED) && statuses.contains(&StatusCode::CONFLICT),
            "round {round}: {statuses:?}"
        );
    }
    let seats = |db: Pool| async move {
        count_in(
            &db,
            "SELECT COUNT(*) FROM shift_signups WHERE status = 'signed_up'",
        )
        .await
    };
    // jianshe is community 2, qianjin 4.
    let total = seats(server.connect_community(2).await).await
        + seats(server.connect_community(4).await).await;
    assert_eq!(total, 6, "one seat a round");
}
