//! Moving up: `shouwang migrate --to postgres://…` copies a SQLite deployment, every
//! community included, into an empty PostgreSQL database, and the server then runs on it
//! with nothing lost. Needs a cluster (`SHOUWANG_TEST_POSTGRES`); says so otherwise.

use crate::helpers::{
    PASSWORD, TestServer, fresh_postgres_database, json, postgres_cluster, run_cli,
};
use crate::tenancy::{publish_notice, second_community};
use reqwest::StatusCode;
use shouwang_api::auth::Role;

#[tokio::test]
async fn a_sqlite_deployment_moves_to_postgres_whole_and_keeps_working() {
    let Some(cluster) = postgres_cluster() else {
        eprintln!("not applicable without a PostgreSQL cluster: moving up to PostgreSQL");
        return;
    };
    let mut sqlite = TestServer::spawn_sqlite().await;
    sqlite.create_account(Role::Staff, "wangli").await;
    let staff = sqlite.client();
    assert_eq!(
        staff.login("wangli", PASSWORD).await.status(),
        StatusCode::OK
    );
    let first = publish_notice(&staff, "本社区停水通知", "本居〔2026〕1号").await;
    let (_, jianshe) = second_community(&sqlite).await;
    let second = publish_notice(&jianshe, "建设社区停电通知", "建居〔2026〕2号").await;
    sqlite.stop().await;

    let url = fresh_postgres_database(&cluster).await;
    let file = sqlite.db_path().display().to_string();
    let (ok, out, err) = run_cli(&["migrate", "--database", &file, "--to", &url], "").await;
    assert!(ok, "migrate failed: {err}");
    assert!(out.contains("public.notices: 1 rows"), "{out}");
    assert!(out.contains("community_2.notices: 1 rows"), "{out}");
    assert!(out.contains("every count and checksum matches"), "{out}");

    // A second run refuses: the target is no longer empty.
    let (ok, _, err) = run_cli(&["migrate", "--database", &file, "--to", &url], "").await;
    assert!(!ok);
    assert!(err.contains("not empty"), "{err}");

    let postgres = TestServer::spawn_on_postgres(&url).await;
    let board = json(postgres.client().get("/api/notices").await).await;
    assert_eq!(board["items"][0]["id"], first);
    assert_eq!(board["items"][0]["title"], "本社区停水通知");
    let board = json(postgres.client_at("jianshe").get("/api/notices").await).await;
    assert_eq!(board["items"][0]["id"], second);
    // Search found the copied notices (rebuilt from what is public).
    let hits = json(
        postgres
            .client()
            .get("/api/board/search?q=%E5%81%9C%E6%B0%B4")
            .await,
    )
    .await;
    assert_eq!(hits["total"], 1, "{hits}");
    // The copied password and session-less sign-in work; new rows continue after the ids.
    let staff = postgres.client();
    assert_eq!(
        staff.login("wangli", PASSWORD).await.status(),
        StatusCode::OK
    );
    let next = publish_notice(&staff, "迁移后的第一条通知", "本居〔2026〕3号").await;
    assert!(next > first, "{next} after {first}");
}
