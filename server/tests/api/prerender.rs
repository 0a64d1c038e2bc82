//! The board and a notice written into the page the server sends, readable before (and
//! without) the WebAssembly: escaped, public only, and never shared between people.

use crate::helpers::{TestClient, TestServer, json};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH, VARY};
use serde_json::json;
use shouwang_api::auth::Role;

const HOSTILE_TITLE: &str = r#"<img src=x onerror="alert(1)">停水通知</script>"#;

async fn published_notice(staff: &TestClient, title: &str, pinned: bool) -> i64 {
    let created = staff
        .post(
            "/api/notices",
            &json!({
                "title": title,
                "body": "明日 8:00 起停水。<script>alert(2)</script>",
                "category": "announcement",
                "issuing_body": "某某街道<办事处>",
                "doc_number": "街发〔2026〕7号",
                "issued_on": "2026-12-07",
                "pinned": pinned,
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = json(created).await["id"].as_i64().expect("an id");
    let published = staff.action(&format!("/api/notices/{id}/publish")).await;
    assert_eq!(published.status(), StatusCode::OK);
    id
}

async fn page(client: &TestClient, path: &str) -> (reqwest::header::HeaderMap, String) {
    let response = client.http.get(client.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let headers = response.headers().clone();
    (headers, response.text().await.unwrap())
}

#[tokio::test]
async fn the_board_and_the_notice_are_in_the_page_with_their_provenance_and_escaped() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let id = published_notice(&staff, HOSTILE_TITLE, true).await;
    let escaped_title = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;停水通知&lt;/script&gt;";

    let visitor = server.client();
    let (_, board) = page(&visitor, "/").await;
    assert!(
        board.contains(r#"id="prerendered""#),
        "the board is written in"
    );
    assert!(!board.contains(r#"id="boot""#), "no loading placeholder");
    assert!(board.contains(&format!(r#"<h2 class="card-title">{escaped_title}</h2>"#)));
    assert!(board.contains("置顶"), "the pinned mark");
    assert!(board.contains("某某街道&lt;办事处&gt; · 街发〔2026〕7号 · 2026-12-07"));
    assert!(!board.contains("<img src=x"), "user text is never markup");
    assert!(!board.contains("<script>alert"));
    assert!(board.contains("<title>公告栏 · 守望</title>"));

    let (_, notice) = page(&visitor, &format!("/notices/{id}")).await;
    assert!(notice.contains(&format!("<h1>{escaped_title}</h1>")));
    assert!(notice.contains(&format!("<title>{escaped_title}</title>")));
    assert!(notice.contains("<dd>街发〔2026〕7号</dd>"));
    assert!(notice.contains("明日 8:00 起停水。"), "the body, sanitised");
    assert!(!notice.contains("<script>alert(2)"));
    assert!(!notice.contains("<img src=x"));
    // The boot script is untouched, so the app still starts (and the CSP hash holds).
    assert!(notice.contains(r#"<script type="module">import init from"#));
}

#[tokio::test]
async fn only_public_notices_are_written_into_the_page() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let created = staff
        .post(
            "/api/notices",
            &json!({ "title": "尚未发布的草稿", "body": "草稿内容" }),
        )
        .await;
    let draft = json(created).await["id"].as_i64().expect("an id");

    for client in [server.client(), staff] {
        let (_, html) = page(&client, &format!("/notices/{draft}")).await;
        assert!(
            !html.contains("尚未发布的草稿"),
            "a draft stays out of the page"
        );
        assert!(html.contains(r#"id="boot""#), "the app answers instead");
        let (_, board) = page(&client, "/").await;
        assert!(!board.contains("尚未发布的草稿"));
    }
}

#[tokio::test]
async fn a_page_served_to_a_session_is_private_and_every_page_revalidates() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    published_notice(&staff, "居家隔离须知", false).await;

    let (headers, _) = page(&staff, "/").await;
    assert_eq!(headers[CACHE_CONTROL], "private, no-cache");
    assert!(headers[VARY].to_str().unwrap().contains("cookie"));

    let visitor = server.client();
    let (headers, _) = page(&visitor, "/").await;
    assert_eq!(headers[CACHE_CONTROL], "no-cache");
    assert!(headers[VARY].to_str().unwrap().contains("cookie"));
    let etag = headers[ETAG].clone();
    let again = visitor
        .http
        .get(visitor.url("/"))
        .header(IF_NONE_MATCH, etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // A new notice changes the page, so the stored copy is not reused.
    published_notice(&staff, "新的通知", false).await;
    let changed = visitor
        .http
        .get(visitor.url("/"))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert!(changed.text().await.unwrap().contains("新的通知"));
}
