//! The `shouwang` command line: creating accounts and the demo community.

use crate::helpers::{TestServer, run_cli};
use reqwest::StatusCode;

#[tokio::test]
async fn create_user_reads_the_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ops.db");
    let db = db.to_str().unwrap();
    let (ok, out, err) = run_cli(
        &[
            "create-user",
            "--database",
            db,
            "--role",
            "admin",
            "--username",
            "ops",
            "--display-name",
            "值班管理员",
        ],
        "a long admin password\n",
    )
    .await;
    assert!(ok, "{err}");
    assert!(out.contains("created admin account ops"), "{out}");
    assert!(!out.contains("a long admin password") && !err.contains("a long admin password"));

    let (ok, _, err) = run_cli(
        &[
            "create-user",
            "--database",
            db,
            "--role",
            "staff",
            "--username",
            "ops",
        ],
        "another password\n",
    )
    .await;
    assert!(!ok, "a second account named ops");
    assert!(err.contains("already taken"), "{err}");

    let (ok, _, err) = run_cli(
        &[
            "create-user",
            "--database",
            db,
            "--role",
            "staff",
            "--username",
            "lina",
        ],
        "short\n",
    )
    .await;
    assert!(!ok);
    assert!(err.contains("at least 8"), "{err}");

    let (ok, _, _) = run_cli(
        &[
            "create-user",
            "--database",
            db,
            "--role",
            "resident",
            "--username",
            "lina",
        ],
        "long enough\n",
    )
    .await;
    assert!(!ok, "residents sign themselves up");
}

#[tokio::test]
async fn the_database_setting_comes_from_the_environment_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    let mut child = tokio::process::Command::new(crate::helpers::binary())
        .args(["create-user", "--role", "staff", "--username", "envuser"])
        .env("SHOUWANG_DATABASE", &db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    tokio::io::AsyncWriteExt::write_all(child.stdin.as_mut().unwrap(), b"long enough password\n")
        .await
        .unwrap();
    drop(child.stdin.take());
    assert!(child.wait().await.unwrap().success());
    assert!(db.exists());
}

/// Reads "  role username password XXXX" lines from the demo's output.
fn demo_sign_ins(out: &str) -> Vec<(String, String)> {
    out.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [_, username, "password", password, ..] => {
                    Some(((*username).to_owned(), (*password).to_owned()))
                }
                _ => None,
            }
        })
        .collect()
}

async fn run_demo(db: &std::path::Path) -> (TestServerProcess, Vec<(String, String)>) {
    let mut child = tokio::process::Command::new(crate::helpers::binary())
        .args(["--demo", "--addr", "127.0.0.1:0", "--database"])
        .arg(db)
        .env("SHOUWANG_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let mut out = String::new();
    let mut base = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(url) = line.strip_prefix("Shouwang listening on ") {
            base = url.to_owned();
        }
        let done = line.starts_with("These passwords are new");
        out.push_str(&line);
        out.push('\n');
        if done {
            break;
        }
    }
    (
        TestServerProcess {
            _child: child,
            base,
        },
        demo_sign_ins(&out),
    )
}

struct TestServerProcess {
    _child: tokio::process::Child,
    base: String,
}

#[tokio::test]
async fn the_demo_prints_sign_ins_that_work_and_fresh_ones_on_each_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let (server, sign_ins) = run_demo(&db).await;
    assert_eq!(sign_ins.len(), 3, "admin and two staff accounts");
    for (username, password) in &sign_ins {
        // A fresh client each time: a second sign-in carrying the first session's cookie
        // would need an Origin header, as any unsafe request with a session does.
        let response = reqwest::Client::new()
            .post(format!("{}/api/auth/login", server.base))
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{username}");
    }
    let http = reqwest::Client::new();
    let first_total = board_total(&server).await;
    let board: serde_json::Value = http
        .get(format!("{}/api/notices?per_page=50", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let on_board: Vec<&str> = board["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["title"].as_str())
        .collect();
    let seeds: serde_json::Value =
        serde_json::from_str(include_str!("../../src/demo/notices.json")).unwrap();
    let seeds = seeds.as_array().unwrap();
    assert_eq!(seeds.len(), 5);
    for seed in seeds {
        let title = seed["title"].as_str().unwrap();
        assert!(on_board.contains(&title), "{title} is on the board");
    }
    // The demo's sealed building is announced there too, as staff would.
    assert!(on_board.contains(&"1号楼调整为封控区"), "{on_board:?}");
    drop(server);

    let (server, again) = run_demo(&db).await;
    assert_ne!(again, sign_ins, "new passwords");
    let (username, password) = &again[0];
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/login", server.base))
        .json(&serde_json::json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        board_total(&server).await,
        first_total,
        "the demo is not filled twice"
    );
}

async fn board_total(server: &TestServerProcess) -> u64 {
    let board: serde_json::Value = reqwest::get(format!("{}/api/notices", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    board["total"].as_u64().unwrap()
}

#[tokio::test]
async fn the_demo_never_touches_a_real_database() {
    let server = TestServer::spawn().await;
    server
        .create_account(shouwang_api::auth::Role::Admin, "admin")
        .await;
    let db = server.database();
    let (ok, _, err) = run_cli(
        &["--demo", "--addr", "127.0.0.1:0", "--database", db.as_str()],
        "",
    )
    .await;
    assert!(!ok);
    assert!(err.contains("only fills an empty database"), "{err}");
}
