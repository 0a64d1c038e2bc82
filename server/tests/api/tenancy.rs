//! Many communities in one deployment: the street above them, each community at its own
//! address with its own data, and nothing of one reaching another.

use crate::helpers::{PASSWORD, TestClient, TestServer, assert_error, json, table_counts};
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use serde_json::{Value, json};
use shouwang::db::sql;
use shouwang::domain::passwords::hash_blocking;
use shouwang_api::auth::Role;
use std::io::Read;

/// An operator straight in the catalog ("given a deployment admin ..."), signed in.
pub(crate) async fn operator(
    server: &TestServer,
    username: &str,
    street: Option<i64>,
) -> TestClient {
    let role = if street.is_some() {
        "street_staff"
    } else {
        "deployment_admin"
    };
    let db = server.connect().await;
    sql::query(
        "INSERT INTO operators (username, display_name, password_hash, role, street_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(username)
    .bind(format!("测试 {username}"))
    .bind(hash_blocking(PASSWORD).expect("hash"))
    .bind(role)
    .bind(street)
    .bind(chrono::Utc::now())
    .execute(&db)
    .await
    .expect("insert operator");
    let client = server.client();
    let response = client
        .post(
            "/api/deployment/login",
            &json!({ "username": username, "password": PASSWORD }),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "signing in as {username}"
    );
    client
}

pub(crate) fn new_community(street_id: i64, slug: &str, name: &str) -> Value {
    json!({
        "street_id": street_id,
        "slug": slug,
        "name": name,
        "kind": "community",
        "admin_username": format!("{slug}-admin"),
        "admin_display_name": format!("{name}管理员"),
        "admin_password": PASSWORD,
    })
}

/// A street with a second community (`jianshe`), its admin signed in at its address.
pub(crate) async fn second_community(server: &TestServer) -> (TestClient, TestClient) {
    let admin = operator(server, "platform", None).await;
    let response = admin
        .post("/api/deployment/streets", &json!({ "name": "和平街道" }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let street = json(response).await["id"].as_i64().expect("street id");
    let response = admin
        .post(
            "/api/deployment/communities",
            &new_community(street, "jianshe", "建设社区"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = json(response).await;
    assert_eq!(created["path"], "/c/jianshe/");
    let community_admin = server.client_at("jianshe");
    let response = community_admin.login("jianshe-admin", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    (admin, community_admin)
}

pub(crate) async fn publish_notice(staff: &TestClient, title: &str, doc_number: &str) -> i64 {
    let response = staff
        .post(
            "/api/notices",
            &json!({
                "title": title,
                "body": format!("{title}。请居民提前储水。"),
                "category": "policy",
                "pinned": false,
                "issuing_body": "建设社区居委会",
                "doc_number": doc_number,
                "issued_on": "2026-12-01",
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = json(response).await["id"].as_i64().expect("notice id");
    let response = staff.action(&format!("/api/notices/{id}/publish")).await;
    assert_eq!(response.status(), StatusCode::OK);
    id
}

async fn text(client: &TestClient, path: &str) -> String {
    let response = client.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.expect("body")
}

#[tokio::test]
async fn a_new_deployment_is_one_community_served_at_the_root_and_at_its_address() {
    let server = TestServer::spawn().await;
    let streets = json(server.client().get("/api/deployment/communities").await).await;
    assert_eq!(streets.as_array().map(Vec::len), Some(1));
    assert_eq!(streets[0]["communities"][0]["slug"], "main");
    assert_eq!(streets[0]["communities"][0]["path"], "/c/main/");

    let staff = server.sign_in_as(Role::Staff).await;
    let id = publish_notice(&staff, "第一社区停水通知", "一社〔2026〕1号").await;
    let at_address = json(
        server
            .client_at("main")
            .get(&format!("/api/notices/{id}"))
            .await,
    )
    .await;
    assert_eq!(at_address["title"], "第一社区停水通知");
    // With one community, `/` is its board (the app), not a list of one.
    let page = text(&server.client(), "/").await;
    assert!(!page.contains("选择您的社区"), "{page}");
}

#[tokio::test]
async fn a_deployment_admin_adds_a_street_and_a_community_ready_at_its_address() {
    let server = TestServer::spawn().await;
    let (platform, jianshe) = second_community(&server).await;
    assert!(server.has_community_data(2).await);
    let me = json(jianshe.get("/api/auth/me").await).await;
    assert_eq!(me["role"], "admin");

    let streets = json(server.client().get("/api/deployment/communities").await).await;
    let names: Vec<&str> = streets
        .as_array()
        .expect("streets")
        .iter()
        .flat_map(|s| s["communities"].as_array().expect("communities"))
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["本社区", "建设社区"]);
    // With several communities, `/` lists them, as plain HTML.
    let page = text(&server.client(), "/").await;
    assert!(
        page.contains("/c/jianshe/") && page.contains("建设社区"),
        "{page}"
    );

    // Bad input, each refused on its field, and nothing added.
    let before = server.count("SELECT COUNT(*) FROM communities").await;
    let mut bad = new_community(2, "Jian She", "建设二社区");
    assert_error(
        platform.post("/api/deployment/communities", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    bad["slug"] = json!("jianshe");
    bad["admin_username"] = json!("jianshe-two");
    let body = assert_error(
        platform.post("/api/deployment/communities", &bad).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("slug"));
    let body = assert_error(
        platform
            .post(
                "/api/deployment/communities",
                &new_community(99, "xinjian", "新建社区"),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("street_id"));
    assert_eq!(
        server.count("SELECT COUNT(*) FROM communities").await,
        before
    );
}

#[tokio::test]
async fn only_a_deployment_admin_adds_streets_and_communities() {
    let server = TestServer::spawn().await;
    let street_staff = operator(&server, "jiedao", Some(1)).await;
    let community_admin = server.sign_in_as(Role::Admin).await;
    let anonymous = server.client();
    let before = server.count("SELECT COUNT(*) FROM communities").await;
    for (who, client, status) in [
        ("street staff", &street_staff, StatusCode::FORBIDDEN),
        (
            "a community's admin",
            &community_admin,
            StatusCode::UNAUTHORIZED,
        ),
        ("anonymous", &anonymous, StatusCode::UNAUTHORIZED),
    ] {
        let response = client
            .post(
                "/api/deployment/communities",
                &new_community(1, "xinjian", "新建社区"),
            )
            .await;
        assert_eq!(response.status(), status, "{who} adding a community");
        let response = client
            .post("/api/deployment/streets", &json!({ "name": "新街道" }))
            .await;
        assert_eq!(response.status(), status, "{who} adding a street");
    }
    assert_eq!(
        server.count("SELECT COUNT(*) FROM communities").await,
        before
    );
    assert_eq!(server.count("SELECT COUNT(*) FROM streets").await, 1);
    assert!(!server.has_community_data(2).await);
}

#[tokio::test]
async fn one_community_s_board_never_shows_another_s_items() {
    let server = TestServer::spawn().await;
    let (_, jianshe) = second_community(&server).await;
    let first_staff = server.sign_in_as(Role::Staff).await;
    publish_notice(&first_staff, "第一社区核酸安排", "一社〔2026〕2号").await;
    let id = publish_notice(&jianshe, "建设社区停水通知", "建社〔2026〕9号").await;

    let root = server.client();
    let at_jianshe = server.client_at("jianshe");
    let doc = "/api/board/doc-number?q=%E5%BB%BA%E7%A4%BE%E3%80%942026%E3%80%959%E5%8F%B7";
    for path in [
        "/api/notices",
        "/api/board/search?q=%E5%81%9C%E6%B0%B4",
        "/feed.xml",
        doc,
    ] {
        // The document numbers mark each community's notice (search marks up titles);
        // the 文号 check repeats the number asked for, so it is judged by its matches.
        let first = root.get(path).await.text().await.expect("body");
        let first = first.replace("\"doc_number\":\"建社〔2026〕9号\",\"matches\"", "");
        assert!(
            !first.contains("建社〔2026〕9号"),
            "{path} at the root: {first}"
        );
        let second = text(&at_jianshe, path).await;
        assert!(
            second.contains("建社〔2026〕9号"),
            "{path} at /c/jianshe: {second}"
        );
        assert!(
            !second.contains("一社〔2026〕2号"),
            "{path} at /c/jianshe: {second}"
        );
    }
    // The first community's numbering is its own: the id of jianshe's notice there is
    // another notice, or none.
    let response = root.get(&format!("/api/notices/{id}")).await;
    if response.status() == StatusCode::OK {
        assert_ne!(json(response).await["title"], "建设社区停水通知");
    }
    // Feeds and posters point into the community's own address.
    let feed = text(&at_jianshe, "/feed.xml").await;
    assert!(feed.contains("/c/jianshe/notices/"), "{feed}");
    let here = text(&at_jianshe, "/api/board/qr.svg?path=/").await;
    let there = text(&root, "/api/board/qr.svg?path=/").await;
    assert_ne!(
        here, there,
        "the poster's code leads to the community's own board"
    );
}

#[tokio::test]
async fn a_session_of_one_community_opens_nothing_in_another() {
    let server = TestServer::spawn().await;
    second_community(&server).await;
    let mut signed_in = Vec::new();
    for role in [Role::Admin, Role::Staff, Role::Resident, Role::Volunteer] {
        signed_in.push((role, server.sign_in_as(role).await));
    }
    let second = server.connect_community(2).await;
    let before = table_counts(&second).await;

    let doc = json(server.client().get("/api/openapi.json").await).await;
    let mut tried = 0;
    for (template, item) in doc["paths"].as_object().expect("paths") {
        if !template.starts_with("/api/") || template.starts_with("/api/deployment") {
            continue;
        }
        for (method, operation) in item.as_object().expect("operations") {
            if operation.get("security").is_none() {
                continue; // public: the same for everyone in every community
            }
            let path = fill(template);
            for (role, client) in &signed_in {
                // The first community's cookie is sent to every path of the site; the
                // second community must not know it.
                let url = format!("{}/c/jianshe{path}", server.base);
                let request = match method.as_str() {
                    "get" => client.http.get(&url),
                    "post" => client.http.post(&url).json(&json!({})),
                    "put" => client.http.put(&url).json(&json!({})),
                    "patch" => client.http.patch(&url).json(&json!({})),
                    "delete" => client.http.delete(&url),
                    _ => continue,
                };
                let response = client.send(request).await;
                let status = response.status();
                assert!(
                    [
                        StatusCode::UNAUTHORIZED,
                        StatusCode::FORBIDDEN,
                        StatusCode::NOT_FOUND
                    ]
                    .contains(&status),
                    "{method} {path} as the first community's {role:?}: {status}"
                );
                tried += 1;
            }
        }
    }
    assert!(tried > 200, "only {tried} requests tried");
    assert_eq!(
        table_counts(&second).await,
        before,
        "the second community changed"
    );

    // And the other way: the second community's session, sent to the first.
    let token = jianshe_token(&server).await;
    let response = server
        .bare_client()
        .get(server.url("/api/auth/me"))
        .header(COOKIE, format!("shouwang_session={token}"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

/// A concrete path for a documented template: every parameter 1.
fn fill(template: &str) -> String {
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "1"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Signs in the second community's admin by hand and returns the session token, checking
/// the cookie is confined to the community's address.
async fn jianshe_token(server: &TestServer) -> String {
    let response = server
        .bare_client()
        .post(server.url("/c/jianshe/api/auth/login"))
        .header(reqwest::header::ORIGIN, &server.base)
        .json(&json!({ "username": "jianshe-admin", "password": PASSWORD }))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("shouwang_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(cookie.contains("Path=/c/jianshe"), "{cookie}");
    cookie["shouwang_session=".len()..]
        .split(';')
        .next()
        .expect("token")
        .to_owned()
}

#[tokio::test]
async fn a_database_from_the_release_before_becomes_the_first_community() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("before.db");
    let mut gz = flate2::read::GzDecoder::new(
        &include_bytes!("../fixtures/single-community-9cc769d.db.gz")[..],
    );
    let mut bytes = Vec::new();
    gz.read_to_end(&mut bytes).expect("unpack the fixture");
    std::fs::write(&file, bytes).expect("write the fixture");

    let server = TestServer::spawn_on_copy_of(&file).await;
    assert_eq!(server.count("SELECT COUNT(*) FROM households").await, 48);
    let streets = json(server.client().get("/api/deployment/communities").await).await;
    assert_eq!(streets[0]["communities"][0]["slug"], "main");
    assert_eq!(streets[0]["communities"].as_array().map(Vec::len), Some(1));
    let admin = server.sign_in_as(Role::Admin).await;
    let ledger = json(admin.get("/api/residents/households?per_page=10").await).await;
    assert_eq!(ledger["total"], 48, "{ledger}");
    let board = json(server.client_at("main").get("/api/notices").await).await;
    assert!(board["total"].as_i64() >= Some(5), "{board}");
    // The demo's own accounts are still there and still sign in with their passwords
    // (unknown here); a wrong one is refused as before.
    assert_error(
        server.client().login("admin", "not the password").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn street_staff_see_their_street_s_figures_and_no_other_street_s() {
    // Without the figures' keeper running in the background (test hooks): the first read
    // of each community takes its figures then, after the imports below.
    let server = TestServer::spawn_with(&["--test-hooks"]).await;
    let (platform, jianshe) = second_community(&server).await;
    // The first community (street 1) gets a room and a household; jianshe (street 2) none.
    let first_admin = server.sign_in_as(Role::Admin).await;
    let response = first_admin
        .post(
            "/api/community/import",
            &json!({ "csv": "第一网格,1号楼,1单元,101\n第一网格,1号楼,1单元,102" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = jianshe
        .post(
            "/api/community/import",
            &json!({ "csv": "一组,1号楼,1单元,101" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let street_two = operator(&server, "heping", Some(2)).await;
    let dashboard = json(street_two.get("/api/deployment/streets/2/dashboard").await).await;
    assert_eq!(dashboard["street_name"], "和平街道");
    let rows = dashboard["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{dashboard}");
    assert_eq!(rows[0]["slug"], "jianshe");
    assert_eq!(rows[0]["figures"]["rooms"], 1);
    assert_eq!(dashboard["totals"]["rooms"], 1);

    // Another street's staff, a community's admin, nobody: not this street.
    let street_one = operator(&server, "benjiedao", Some(1)).await;
    assert_error(
        street_one.get("/api/deployment/streets/2/dashboard").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let own = json(street_one.get("/api/deployment/streets/1/dashboard").await).await;
    assert_eq!(own["totals"]["rooms"], 2, "{own}");
    // The deployment's API is at the site's root only; a community's session cookie is
    // confined to its own address, and not an operator's anyway.
    let response = jianshe.get("/api/deployment/streets/2/dashboard").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    for client in [&first_admin, &server.client()] {
        let response = client.get("/api/deployment/streets/2/dashboard").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // Deployment admins see every street.
    let response = platform.get("/api/deployment/streets/1/dashboard").await;
    assert_eq!(response.status(), StatusCode::OK);

    // The report upward, as a workbook and as CSV.
    let response = street_two
        .get("/api/deployment/streets/2/report.xlsx")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("workbook");
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    let csv = text(&street_two, "/api/deployment/streets/2/report.csv").await;
    assert!(csv.contains("建设社区"), "{csv}");
    assert_error(
        street_one.get("/api/deployment/streets/2/report.csv").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        street_two.get("/api/deployment/streets/2/report.pdf").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
