//! `TestServer::spawn()` starts the real binary on a random port with a fresh database;
//! `TestServer::sign_in_as(role)` returns a client signed in as a new account of that role.
//!
//! The database is a SQLite file in the test's temporary folder, or, when
//! `SHOUWANG_TEST_POSTGRES` names a PostgreSQL cluster (`.ci/postgres.sh start` prints
//! it), a fresh database of its own on that cluster: the same suite runs on both.

use crate::contract;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, ORIGIN};
use reqwest::{Client, RequestBuilder, Response, ResponseBuilderExt, StatusCode};
use serde::Serialize;
use serde_json::Value;
use shouwang::db::{Pool, sql};
use shouwang::domain::passwords::hash_blocking;
use shouwang_api::auth::Role;
use shouwang_api::error::ErrorDetail;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Connection, PgConnection};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

pub const PASSWORD: &str = "correct horse battery";

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_shouwang")
}

pub struct TestServer {
    pub base: String,
    child: Child,
    dir: TempDir,
    extra_args: Vec<String>,
    /// The PostgreSQL database of this server, when the suite runs on PostgreSQL.
    postgres: Option<String>,
}

/// The cluster the suite runs on, if it runs on PostgreSQL.
pub fn postgres_cluster() -> Option<String> {
    std::env::var("SHOUWANG_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Creates an empty database on the cluster; returns its URL.
pub async fn fresh_postgres_database(cluster: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let name = format!(
        "shouwang_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = PgConnection::connect(cluster)
        .await
        .expect("connect to the test cluster");
    sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create a test database");
    let mut url = url::Url::parse(cluster).expect("the cluster's URL");
    url.set_path(&name);
    url.to_string()
}

impl TestServer {
    pub async fn spawn() -> TestServer {
        Self::spawn_with(&[]).await
    }

    /// Starts with extra `serve` arguments, e.g. `--trust-proxy`.
    pub async fn spawn_with(extra_args: &[&str]) -> TestServer {
        let dir = tempfile::tempdir().expect("temporary directory");
        let extra_args: Vec<String> = extra_args.iter().map(|s| (*s).to_owned()).collect();
        let postgres = match postgres_cluster() {
            Some(cluster) => Some(fresh_postgres_database(&cluster).await),
            None => None,
        };
        let database = match &postgres {
            Some(url) => url.clone(),
            None => dir.path().join("shouwang.db").display().to_string(),
        };
        let (child, base) = start(&database, &extra_args).await;
        TestServer {
            base,
            child,
            dir,
            extra_args,
            postgres,
        }
    }

    /// Another instance of the server on this one's PostgreSQL database, as a load
    /// balancer's second upstream. Only for a server on PostgreSQL.
    pub async fn another_instance(&self) -> TestServer {
        let url = self
            .postgres
            .clone()
            .expect("several instances share a PostgreSQL database");
        let dir = tempfile::tempdir().expect("temporary directory");
        let (child, base) = start(&url, &self.extra_args).await;
        TestServer {
            base,
            child,
            dir,
            extra_args: self.extra_args.clone(),
            postgres: Some(url),
        }
    }

    /// What `--database` is given: the SQLite file, or the PostgreSQL database's URL.
    pub fn database(&self) -> String {
        match &self.postgres {
            Some(url) => url.clone(),
            None => self.db_path().display().to_string(),
        }
    }

    /// Whether this server runs on SQLite; a test of PostgreSQL's deployments (several
    /// instances) returns early there, saying so.
    pub fn on_sqlite(&self, skipped: &str) -> bool {
        if self.postgres.is_none() {
            eprintln!("on SQLite, not applicable: {skipped}");
        }
        self.postgres.is_none()
    }

    /// Whether this server runs on PostgreSQL. A test of SQLite's own files (backups,
    /// WAL, the file of a community) returns early there, saying so.
    pub fn on_postgres(&self, skipped: &str) -> bool {
        if self.postgres.is_some() {
            eprintln!("on PostgreSQL, not applicable: {skipped}");
        }
        self.postgres.is_some()
    }

    /// Starts on a SQLite file whatever the suite runs on (the source of a migration).
    pub async fn spawn_sqlite() -> TestServer {
        let dir = tempfile::tempdir().expect("temporary directory");
        let database = dir.path().join("shouwang.db").display().to_string();
        let (child, base) = start(&database, &[]).await;
        TestServer {
            base,
            child,
            dir,
            extra_args: Vec::new(),
            postgres: None,
        }
    }

    /// Starts on an existing PostgreSQL database (the target of a migration).
    pub async fn spawn_on_postgres(url: &str) -> TestServer {
        let dir = tempfile::tempdir().expect("temporary directory");
        let (child, base) = start(url, &[]).await;
        TestServer {
            base,
            child,
            dir,
            extra_args: Vec::new(),
            postgres: Some(url.to_owned()),
        }
    }

    /// Starts a server on a copy of an existing database file (a restored backup).
    pub async fn spawn_on_copy_of(file: &Path) -> TestServer {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::copy(file, dir.path().join("shouwang.db")).expect("copy the database");
        let database = dir.path().join("shouwang.db").display().to_string();
        let (child, base) = start(&database, &[]).await;
        TestServer {
            base,
            child,
            dir,
            extra_args: Vec::new(),
            postgres: None,
        }
    }

    /// Kills the server without warning (SIGKILL), as a crash or the OOM killer would,
    /// and starts it again on the same file.
    pub async fn crash_and_restart(&mut self) {
        self.child.start_kill().expect("SIGKILL the server");
        let _ = self.child.wait().await;
        let (child, base) = start(&self.database(), &self.extra_args).await;
        self.child = child;
        self.base = base;
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("shouwang.db")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server as an operator would (SIGTERM) and starts it again on the same file.
    pub async fn restart(&mut self) {
        self.stop().await;
        let (child, base) = start(&self.database(), &self.extra_args).await;
        self.child = child;
        self.base = base;
    }

    pub async fn stop(&mut self) {
        if let Some(pid) = self.child.id() {
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()
                .await;
        }
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), self.child.wait()).await;
    }

    /// A browser on one of our pages: keeps cookies, sends our Origin.
    pub fn client(&self) -> TestClient {
        let mut headers = HeaderMap::new();
        headers.insert(
            ORIGIN,
            HeaderValue::from_str(&self.base).expect("origin header"),
        );
        TestClient {
            base: self.base.clone(),
            http: Client::builder()
                .cookie_store(true)
                .default_headers(headers)
                .build()
                .expect("http client"),
        }
    }

    /// A browser on the pages of the community at `/c/<slug>/`.
    pub fn client_at(&self, slug: &str) -> TestClient {
        let mut client = self.client();
        client.base = format!("{}/c/{slug}", self.base);
        client
    }

    /// The database file of the community at `/c/<slug>/`, other than the first.
    pub fn community_db_path(&self, file: &str) -> PathBuf {
        self.dir.path().join("shouwang.db.communities").join(file)
    }

    /// A client with no cookies and no Origin: curl, or another site's script.
    pub fn bare_client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .build()
            .expect("http client")
    }

    /// Creates an account straight in the database ("given a resident account ...").
    /// Volunteers and residents sign up through their own flows in later features.
    pub async fn create_account(&self, role: Role, username: &str) -> i64 {
        let hash = hash_blocking(PASSWORD).expect("hash");
        let db = self.connect().await;
        sql::query_scalar(
            "INSERT INTO users (username, display_name, role, password_hash, created_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(username)
        .bind(format!("测试{}", role.as_str()))
        .bind(role.as_str())
        .bind(hash)
        .bind(chrono::Utc::now())
        .fetch_one(&db)
        .await
        .expect("insert account")
    }

    /// A client signed in as a new account of this role.
    pub async fn sign_in_as(&self, role: Role) -> TestClient {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let username = format!("{}{}", role.as_str(), NEXT.fetch_add(1, Ordering::Relaxed));
        self.create_account(role, &username).await;
        let client = self.client();
        let response = client.login(&username, PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "signing in as {username}"
        );
        client
    }

    /// A direct connection, for asserting what is (or is not) stored: the first
    /// community's data and the deployment's catalog.
    pub async fn connect(&self) -> Pool {
        match &self.postgres {
            Some(url) => Pool::Postgres(
                PgPoolOptions::new()
                    .max_connections(1)
                    .connect(url)
                    .await
                    .expect("open the test database"),
            ),
            None => Pool::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(SqliteConnectOptions::new().filename(self.db_path()))
                    .await
                    .expect("open the test database"),
            ),
        }
    }

    /// A direct connection to the data of the community with this id, other than the
    /// first: its own file on SQLite, its own schema on PostgreSQL.
    pub async fn connect_community(&self, id: i64) -> Pool {
        match &self.postgres {
            Some(url) => {
                let options = url
                    .parse::<PgConnectOptions>()
                    .expect("the test database's URL")
                    .options([("search_path", format!("community_{id}"))]);
                Pool::Postgres(
                    PgPoolOptions::new()
                        .max_connections(1)
                        .connect_with(options)
                        .await
                        .expect("open the community's schema"),
                )
            }
            None => Pool::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(
                        SqliteConnectOptions::new()
                            .filename(self.community_db_path(&format!("{id}.db"))),
                    )
                    .await
                    .expect("open the community's file"),
            ),
        }
    }

    /// Whether the community with this id has its own data yet (a file, or a schema).
    pub async fn has_community_data(&self, id: i64) -> bool {
        match &self.postgres {
            Some(_) => {
                count_in(
                    &self.connect().await,
                    &format!(
                        "SELECT COUNT(*) FROM information_schema.schemata
                         WHERE schema_name = 'community_{id}'"
                    ),
                )
                .await
                    == 1
            }
            None => self.community_db_path(&format!("{id}.db")).exists(),
        }
    }

    pub async fn count(&self, query: &str) -> i64 {
        let db = self.connect().await;
        sql::query_scalar(query)
            .fetch_one(&db)
            .await
            .expect("count query")
    }
}

/// A count (or any one number) read straight from a database.
pub async fn count_in(db: &Pool, query: &str) -> i64 {
    sql::query_scalar(query)
        .fetch_one(db)
        .await
        .expect("count query")
}

/// Every table's row count in one community's data, to prove a refused request changed
/// nothing.
pub async fn table_counts(db: &Pool) -> Vec<(String, i64)> {
    let tables: Vec<String> = sql::query_scalar(match db {
        Pool::Sqlite(_) => {
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE '%_data' AND name NOT LIKE '%_idx' AND name NOT LIKE '%_docsize'
             AND name NOT LIKE '%_config' AND name NOT LIKE '%_content' ORDER BY name"
        }
        Pool::Postgres(_) => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
             ORDER BY table_name"
        }
    })
    .fetch_all(db)
    .await
    .expect("tables");
    let mut counts = Vec::new();
    for table in tables {
        let n = count_in(db, &format!("SELECT COUNT(*) FROM \"{table}\"")).await;
        counts.push((table, n));
    }
    counts
}

async fn start(db: &str, extra_args: &[String]) -> (Child, String) {
    let mut child = Command::new(binary())
        .args(["serve", "--addr", "127.0.0.1:0", "--database"])
        .arg(db)
        .args(extra_args)
        .env("SHOUWANG_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start the shouwang binary");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next_line()
            .await
            .expect("read server output")
            .expect("the server exited before listening");
        if let Some(url) = line.strip_prefix("Shouwang listening on ") {
            break url.trim().to_owned();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, base)
}

/// Runs `shouwang <args>` to completion with `stdin`; returns (success, stdout, stderr).
pub async fn run_cli(args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(binary())
        .args(args)
        .env("SHOUWANG_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the shouwang binary");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.as_bytes())
        .await
        .expect("write stdin");
    drop(input);
    let output = child
        .wait_with_output()
        .await
        .expect("wait for the command");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[derive(Clone)]
pub struct TestClient {
    pub base: String,
    pub http: Client,
}

impl TestClient {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(self.http.get(self.url(path))).await
    }

    pub async fn post<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> Response {
        self.send(self.http.post(self.url(path)).json(body)).await
    }

    pub async fn put<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> Response {
        self.send(self.http.put(self.url(path)).json(body)).await
    }

    /// A POST without a body (actions such as publish).
    pub async fn action(&self, path: &str) -> Response {
        self.send(self.http.post(self.url(path))).await
    }

    /// Sends any request, and checks the response against the OpenAPI document
    /// (see `contract.rs`): its status must be documented and a JSON body must match.
    pub async fn send(&self, request: RequestBuilder) -> Response {
        let (http, request) = request.build_split();
        let request = request.expect("a well-formed request");
        let method = request.method().clone();
        let response = http.execute(request).await.expect("send the request");
        let contract = contract::contract(&self.http, &self.base).await;
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let url = response.url().clone();
        let status = response.status();
        if !content_type.starts_with("application/json") {
            // Streams (the live board), files and pages: status and media type only.
            contract.check(&method, url.as_str(), status, &content_type, None);
            return response;
        }
        let version = response.version();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("read the response body");
        contract.check(&method, url.as_str(), status, &content_type, Some(&body));
        let mut rebuilt = http::Response::builder()
            .status(status)
            .version(version)
            .url(url);
        if let Some(rebuilt_headers) = rebuilt.headers_mut() {
            *rebuilt_headers = headers;
        }
        Response::from(rebuilt.body(body).expect("rebuild the response"))
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post(
            "/api/auth/login",
            &serde_json::json!({ "username": username, "password": password }),
        )
        .await
    }
}

/// Asserts the status and the error shape; returns the error as the api crate reads it.
pub async fn assert_error(response: Response, status: StatusCode, code: &str) -> ErrorDetail {
    let wire = assert_error_on_the_wire(response, status, code).await;
    serde_json::from_value(wire.clone())
        .unwrap_or_else(|e| panic!("an error of the api crate's shape: {e}: {wire}"))
}

/// Asserts the status and the error shape; returns the error object as JSON, for a test of
/// what the wire leaves out.
pub async fn assert_error_on_the_wire(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(
        response.status(),
        status,
        "status for expected error {code}"
    );
    let body: Value = response.json().await.expect("a JSON error body");
    assert_eq!(body["error"]["code"], code, "error code in {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "a message in {body}"
    );
    body["error"].clone()
}

pub async fn json(response: Response) -> Value {
    response.json().await.expect("a JSON body")
}

/// Runs the server's background jobs once (a server started with `--test-hooks`) and
/// returns what they did: `{ "expired_sessions", "purged_households",
/// "zone_changes_applied", "observations_ended", "expired_idempotency_keys",
/// "custody_overdue" }`.
pub async fn run_due(server: &TestServer) -> Value {
    let response = server
        .bare_client()
        .post(server.url("/api/test/run-due"))
        .send()
        .await
        .expect("run-due request");
    assert_eq!(response.status(), StatusCode::OK, "run-due");
    response.json().await.expect("run-due counts")
}

/// Moves the server's clock (a server started with `--test-hooks`) by `seconds`.
pub async fn advance_clock(server: &TestServer, seconds: i64) {
    let response = server
        .bare_client()
        .post(server.url("/api/test/clock"))
        .json(&serde_json::json!({ "advance_seconds": seconds }))
        .send()
        .await
        .expect("clock request");
    assert_eq!(response.status(), StatusCode::OK, "setting the clock");
}
