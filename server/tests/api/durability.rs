//! What the server acknowledged is on disk: through a crash, and in a backup.

use crate::helpers::{TestClient, TestServer, run_cli};
use reqwest::StatusCode;
use shouwang::db::sql;
use shouwang_api::auth::Role;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Writes notices in a loop until the server stops answering; records what it acknowledged.
fn writer(
    client: TestClient,
    name: String,
    acked: Arc<Mutex<Vec<String>>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        for i in 0.. {
            let title = format!("{name}-{i}");
            let body = serde_json::json!({ "title": title, "body": "崩溃测试" });
            // A connection error means the server is gone: that is the point of the test.
            let Ok(response) = client
                .http
                .post(client.url("/api/notices"))
                .json(&body)
                .send()
                .await
            else {
                return;
            };
            match response.status() {
                StatusCode::CREATED => acked.lock().unwrap().push(title),
                status => panic!("unexpected {status} while the server was up"),
            }
        }
    })
}

async fn stored_titles(server: &TestServer) -> HashSet<String> {
    let db = server.connect().await;
    sql::query_scalar::<String>("SELECT title FROM notices")
        .fetch_all(&db)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// SQLite's own check of its file; PostgreSQL checks its pages itself as it reads them.
async fn integrity(server: &TestServer) -> String {
    if server.on_postgres("PRAGMA integrity_check") {
        return "ok".to_owned();
    }
    let db = server.connect().await;
    sql::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db)
        .await
        .unwrap()
}

/// A cheap pseudo-random delay, different each round and each run.
fn random_millis(round: u64, low: u64, high: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()));
    let mixed = (nanos ^ (round.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
        .wrapping_mul(6_364_136_223_846_793_005);
    low + (mixed >> 33) % (high - low)
}

#[tokio::test]
async fn every_acknowledged_write_survives_sigkill() {
    crash_rounds(&[]).await;
}

/// `normal` skips the fsync per commit; a killed process still loses nothing (only a
/// power cut could), which is what the README promises.
#[tokio::test]
async fn with_normal_durability_a_killed_process_loses_nothing_either() {
    crash_rounds(&["--durability", "normal"]).await;
}

async fn crash_rounds(args: &[&str]) {
    let mut server = TestServer::spawn_with(args).await;
    let mut total_acked = 0;
    for round in 0..4u64 {
        let acked = Arc::new(Mutex::new(Vec::new()));
        let mut writers = Vec::new();
        for w in 0..4 {
            let client = server.sign_in_as(Role::Staff).await;
            writers.push(writer(client, format!("r{round}w{w}"), acked.clone()));
        }
        tokio::time::sleep(Duration::from_millis(random_millis(round, 150, 700))).await;
        server.crash_and_restart().await;
        for w in writers {
            w.await.expect("a writer failed while the server was up");
        }
        let acked = acked.lock().unwrap().clone();
        assert!(
            !acked.is_empty(),
            "round {round}: the writers got nothing acknowledged"
        );
        let stored = stored_titles(&server).await;
        let lost: Vec<&String> = acked.iter().filter(|t| !stored.contains(*t)).collect();
        assert!(
            lost.is_empty(),
            "round {round}: acknowledged but lost: {lost:?}"
        );
        assert_eq!(integrity(&server).await, "ok", "round {round}");
        total_acked += acked.len();
    }
    eprintln!(
        "crash durability {args:?}: {total_acked} acknowledged writes over 4 SIGKILLs, none lost"
    );
}

#[tokio::test]
async fn a_backup_taken_while_the_server_writes_restores_with_the_data() {
    let server = TestServer::spawn().await;
    if server
        .on_postgres("`shouwang backup` copies a SQLite file; PostgreSQL is backed up with pg_dump")
    {
        return;
    }
    let staff = server.sign_in_as(Role::Staff).await;
    for i in 0..20 {
        let body = serde_json::json!({ "title": format!("备份前-{i}"), "body": "正文" });
        assert_eq!(
            staff.post("/api/notices", &body).await.status(),
            StatusCode::CREATED
        );
    }
    // Keep writing while the backup runs.
    let busy = staff.clone();
    let background = tokio::spawn(async move {
        for i in 0..200 {
            let body = serde_json::json!({ "title": format!("备份中-{i}"), "body": "正文" });
            busy.post("/api/notices", &body).await;
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.db");
    let (ok, out, err) = run_cli(
        &[
            "backup",
            "--database",
            server.db_path().to_str().unwrap(),
            copy.to_str().unwrap(),
        ],
        "",
    )
    .await;
    assert!(ok, "backup failed: {err}");
    assert!(out.contains("integrity ok"), "{out}");
    background.await.unwrap();

    let (ok, _, err) = run_cli(
        &[
            "backup",
            "--database",
            server.db_path().to_str().unwrap(),
            copy.to_str().unwrap(),
        ],
        "",
    )
    .await;
    assert!(
        !ok && err.contains("already exists"),
        "never overwrites: {err}"
    );

    let restored = TestServer::spawn_on_copy_of(&copy).await;
    let titles = stored_titles(&restored).await;
    for i in 0..20 {
        assert!(
            titles.contains(&format!("备份前-{i}")),
            "备份前-{i} is in the backup"
        );
    }
    assert_eq!(integrity(&restored).await, "ok");
    // The restored server works: its accounts sign in.
    assert_eq!(
        restored.client().get("/api/health").await.status(),
        StatusCode::OK
    );
}
