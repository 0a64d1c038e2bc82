//! Several instances of the server on one PostgreSQL database, as behind a load balancer:
//! whatever instance a request reaches, the answer is the same. (On SQLite one server owns
//! the file: these tests say so and return.)

use crate::board::{notice, publish_notice, read_events};
use crate::fixtures::reply;
use crate::helpers::{PASSWORD, TestClient, TestServer, assert_error, postgres_cluster, run_due};
use crate::shifts::{approved_at, create, shift_at, take, tomorrow_at};
use crate::tenancy::{publish_notice as publish_in_community, second_community};
use reqwest::StatusCode;
use shouwang::db::sql;
use shouwang::ops::live::LISTENER_NAME;
use shouwang_api::auth::{Account, Role};
use shouwang_api::board::LiveEventKind;
use shouwang_api::notices::Notice;
use sqlx::{Connection, PgConnection};
use std::time::{Duration, Instant};

/// Two instances, A and B, on one fresh database; `None` on SQLite.
async fn two_instances(args: &[&str]) -> Option<(TestServer, TestServer)> {
    let a = TestServer::spawn_with(args).await;
    if a.on_sqlite("several instances need PostgreSQL") {
        return None;
    }
    let b = a.another_instance().await;
    Some((a, b))
}

/// The same browser (its cookies) sending to another instance.
fn through(client: &TestClient, instance: &TestServer) -> TestClient {
    TestClient {
        base: instance.base.clone(),
        http: client.http.clone(),
    }
}

#[tokio::test]
async fn a_notice_published_through_one_instance_reaches_a_live_board_on_the_other() {
    let Some((a, b)) = two_instances(&[]).await else {
        return;
    };
    let staff = a.sign_in_as(Role::Staff).await;
    let mut stream = b.client().get("/api/board/live").await;
    assert_eq!(stream.status(), StatusCode::OK);

    let started = Instant::now();
    let id = publish_notice(&staff, notice("经实例A发布的通知", "内容")).await;
    let events = read_events(&mut stream, 1).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "arrived on B within a second: {:?}",
        started.elapsed()
    );
    assert_eq!(events[0].kind, LiveEventKind::NoticePublished);
    assert_eq!(events[0].item_id, id);
}

/// The pump of every community is woken by its own notifications: the payload names the
/// schema the event went into, here `community_2`, not the deployment's `public`.
#[tokio::test]
async fn a_notice_of_another_community_reaches_its_live_board_on_the_other_instance() {
    let Some((a, b)) = two_instances(&[]).await else {
        return;
    };
    let (_, jianshe_admin) = second_community(&a).await;
    let mut main_stream = b.client().get("/api/board/live").await;
    assert_eq!(main_stream.status(), StatusCode::OK);
    let mut jianshe_stream = b.client_at("jianshe").get("/api/board/live").await;
    assert_eq!(jianshe_stream.status(), StatusCode::OK);

    let started = Instant::now();
    let id =
        publish_in_community(&jianshe_admin, "建设社区经实例A发布的通知", "建社[2026]1号").await;
    let events = read_events(&mut jianshe_stream, 1).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "arrived on B's jianshe board within a second: {:?}",
        started.elapsed()
    );
    assert_eq!(events[0].item_id, id);

    // The main community's board, on the same listener, hears of its own notice only.
    let staff = a.sign_in_as(Role::Staff).await;
    let main_id = publish_notice(&staff, notice("本社区的通知", "内容")).await;
    let events = read_events(&mut main_stream, 1).await;
    assert_eq!(events[0].item_id, main_id);
}

/// What kills the listening connection of every instance of this database (only B has
/// one: nobody watches a live board on A); how many it killed.
async fn cut_listeners(admin: &mut PgConnection) -> usize {
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = $1",
    )
    .bind(LISTENER_NAME)
    .fetch_all(admin)
    .await
    .expect("terminate the listeners");
    cut.into_iter().filter(|&killed| killed).count()
}

#[tokio::test]
async fn a_live_board_loses_nothing_when_its_instance_s_listener_is_cut() {
    let Some((a, b)) = two_instances(&[]).await else {
        return;
    };
    let staff = a.sign_in_as(Role::Staff).await;
    let mut stream = b.client().get("/api/board/live").await;
    assert_eq!(stream.status(), StatusCode::OK);
    let url = a.database();
    let mut admin = PgConnection::connect(&url)
        .await
        .expect("connect to the test database");

    // Cut: B listens again at once, and a notice published right after reaches it.
    assert_eq!(cut_listeners(&mut admin).await, 1, "B's listener");
    let started = Instant::now();
    let id = publish_notice(&staff, notice("断线后发布的通知", "内容")).await;
    let events = read_events(&mut stream, 1).await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "arrived on B after the cut: {:?}",
        started.elapsed()
    );
    assert_eq!(events[0].item_id, id);

    // Cut while the database takes no new connection: B cannot listen for a while, and a
    // notice published meanwhile (by a session already open) notifies nobody on B …
    let draft = reply::<Notice>(
        staff
            .post("/api/notices", &notice("断线期间发布的通知", "内容"))
            .await,
        StatusCode::CREATED,
    )
    .await
    .id;
    let name = url::Url::parse(&url).expect("the database's URL").path()[1..].to_owned();
    let allow = |allowed: bool| format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS {allowed}");
    // Said from another database: PostgreSQL refuses it for the current one.
    let mut cluster = PgConnection::connect(&postgres_cluster().expect("the test cluster"))
        .await
        .expect("connect to the test cluster");
    sqlx::Executor::execute(&mut cluster, allow(false).as_str())
        .await
        .expect("refuse new connections");
    assert_eq!(cut_listeners(&mut admin).await, 1, "B's listener, again");
    sqlx::query(
        "UPDATE notices SET status = 'published', published_at = now(), updated_at = now()
         WHERE id = $1",
    )
    .bind(draft)
    .execute(&mut admin)
    .await
    .expect("publish during the outage");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    sqlx::Executor::execute(&mut cluster, allow(true).as_str())
        .await
        .expect("accept connections again");

    // … yet it arrives as soon as B listens again, well before the pump's fallback read.
    let back = Instant::now();
    let events = read_events(&mut stream, 1).await;
    assert!(
        back.elapsed() < Duration::from_secs(2),
        "arrived once B listened again: {:?}",
        back.elapsed()
    );
    assert_eq!(events[0].item_id, draft);
    assert_eq!(events[0].kind, LiveEventKind::NoticePublished);

    // And the new connection listens: the next notice takes the usual path.
    let started = Instant::now();
    let id = publish_notice(&staff, notice("恢复后发布的通知", "内容")).await;
    let events = read_events(&mut stream, 1).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "arrived on B within a second: {:?}",
        started.elapsed()
    );
    assert_eq!(events[0].item_id, id);
}

#[tokio::test]
async fn a_session_made_on_one_instance_works_on_the_other() {
    let Some((a, b)) = two_instances(&[]).await else {
        return;
    };
    let staff = a.sign_in_as(Role::Staff).await;
    let me_on_a: Account = reply(staff.get("/api/auth/me").await, StatusCode::OK).await;
    let response = through(&staff, &b).get("/api/auth/me").await;
    let me_on_b: Account = reply(response, StatusCode::OK).await;
    assert_eq!(me_on_b.username, me_on_a.username);
}

#[tokio::test]
async fn two_hundred_sign_ups_through_two_instances_fill_fifty_seats_exactly() {
    let Some((a, b)) = two_instances(&[]).await else {
        return;
    };
    let staff = a.sign_in_as(Role::Staff).await;
    let shift = create(&staff, &shift_at(tomorrow_at(7), 4, 50)).await;
    let mut volunteers = Vec::new();
    for i in 0..200 {
        let instance = if i % 2 == 0 { &a } else { &b };
        volunteers.push(approved_at(&a, instance, &[]).await.0);
    }
    let tasks: Vec<_> = volunteers
        .into_iter()
        .map(|v| tokio::spawn(async move { take(&v, shift, true).await.status() }))
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("a sign-up"), StatusCode::CREATED);
    }
    let count = |status: &'static str| {
        format!(
            "SELECT COUNT(*) FROM shift_signups WHERE shift_id = {shift} AND status = '{status}'"
        )
    };
    assert_eq!(a.count(&count("signed_up")).await, 50);
    assert_eq!(a.count(&count("waitlisted")).await, 150);
}

#[tokio::test]
async fn a_sign_in_limit_reached_through_one_instance_holds_on_the_other() {
    let Some((a, b)) = two_instances(&[]).await else {
        return;
    };
    a.create_account(Role::Staff, "wangli").await;
    let (on_a, on_b) = (a.client(), b.client());
    // One address guessing one account, its attempts spread over both instances: the
    // allowance is five wrong answers in all, not five per instance.
    for attempt in 0..5 {
        let client = if attempt % 2 == 0 { &on_a } else { &on_b };
        assert_eq!(
            client.login("wangli", "guess").await.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    for client in [&on_b, &on_a] {
        let limited = client.login("wangli", "guess").await;
        assert!(limited.headers().contains_key("retry-after"));
        assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    }
    assert_eq!(
        on_b.login("wangli", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the limit is on attempts, on every instance"
    );
    // The shared buckets keep digests, never the name or the address.
    let keys: Vec<String> = sql::query_scalar("SELECT key FROM rate_limits")
        .fetch_all(&a.connect().await)
        .await
        .expect("the shared rate limits");
    assert!(!keys.is_empty());
    assert!(
        keys.iter()
            .all(|k| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit())),
        "{keys:?}"
    );
}

#[tokio::test]
async fn a_job_due_once_runs_once_whichever_instances_run_it() {
    let Some((a, b)) = two_instances(&["--test-hooks"]).await else {
        return;
    };
    let user = a.create_account(Role::Staff, "expiring").await;
    let db = a.connect().await;
    sql::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind("expired-session-hash")
    .bind(user)
    .bind(chrono::Utc::now() - chrono::Duration::days(2))
    .bind(chrono::Utc::now() - chrono::Duration::days(1))
    .execute(&db)
    .await
    .expect("an expired session");
    let (on_a, on_b) = tokio::join!(run_due(&a), run_due(&b));
    let removed = on_a["expired_sessions"].as_u64().unwrap_or(0)
        + on_b["expired_sessions"].as_u64().unwrap_or(0);
    assert_eq!(removed, 1, "A: {on_a}, B: {on_b}");
    assert_eq!(
        a.count("SELECT COUNT(*) FROM sessions WHERE token_hash = 'expired-session-hash'")
            .await,
        0
    );
}
