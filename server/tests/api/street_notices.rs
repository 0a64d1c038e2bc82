//! Street staff publish a notice once to some or all of their street's boards (街道发布),
//! withdraw it from all of them, and read every board of the street on one page; nobody
//! else can, and no street reaches another street's communities.

use crate::fixtures::reply;
use crate::helpers::{PASSWORD, TestClient, TestServer, assert_error, count_in};
use crate::tenancy::{new_community, operator};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang::db::sql;
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::notices::{Notice, NoticeStatus, NoticeSummary};
use shouwang_api::street_notices::{StreetBoards, StreetNoticeSummary};
use shouwang_api::users::UserSummary;

const TITLE: &str = "关于全街道暂停农贸集市的通知";

/// 本街道 (street 1) with main (1, at the root), jianshe (2) and qianjin (3); 西城街道
/// (street 2) with xicheng (4). Returns the deployment admin.
async fn two_streets(server: &TestServer) -> TestClient {
    let platform = operator(server, "platform", None).await;
    for (street, slug, name) in [(1, "jianshe", "建设社区"), (1, "qianjin", "前进社区")] {
        let response = platform
            .post(
                "/api/deployment/communities",
                &new_community(street, slug, name),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{slug}");
    }
    let response = platform
        .post("/api/deployment/streets", &json!({ "name": "西城街道" }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = platform
        .post(
            "/api/deployment/communities",
            &new_community(2, "xicheng", "西城社区"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    platform
}

fn street_notice(communities: Option<&[i64]>) -> Value {
    json!({
        "notice": {
            "title": TITLE,
            "body": "即日起全街道农贸集市暂停开放，**恢复时间另行通知**。",
            "category": "announcement",
            "issuing_body": "随便写的单位",
            "doc_number": "和街发[2026]7号",
            "issued_on": "2026-12-07",
        },
        "communities": communities,
    })
}

/// The notices a community's board lists at `/api/notices?query`.
async fn notices(client: &TestClient, query: &str) -> Page<NoticeSummary> {
    reply(
        client.get(&format!("/api/notices?{query}")).await,
        StatusCode::OK,
    )
    .await
}

/// The titles on a community's public board.
async fn board_titles(client: &TestClient) -> Vec<String> {
    notices(client, "")
        .await
        .items
        .into_iter()
        .map(|n| n.title)
        .collect()
}

/// The street's notice among a board's notices.
fn the_street_s(page: Page<NoticeSummary>) -> Option<NoticeSummary> {
    page.items.into_iter().find(|n| n.title == TITLE)
}

/// Every board of the operator's street, and the newest notices on them.
async fn boards(operator: &TestClient, query: &str) -> StreetBoards {
    reply(
        operator
            .get(&format!("/api/deployment/boards{query}"))
            .await,
        StatusCode::OK,
    )
    .await
}

/// The accounts an admin's list at `path` shows.
async fn users(admin: &TestClient, path: &str) -> Page<UserSummary> {
    reply(admin.get(path).await, StatusCode::OK).await
}

/// What the operator's street sent.
async fn sent_notices(operator: &TestClient) -> Page<StreetNoticeSummary> {
    reply(
        operator.get("/api/deployment/notices").await,
        StatusCode::OK,
    )
    .await
}

#[tokio::test]
async fn street_staff_publish_to_two_boards_withdraw_from_both_and_read_every_board() {
    let server = TestServer::spawn().await;
    two_streets(&server).await;
    let jiedao = operator(&server, "jiedao", Some(1)).await;
    let main_board = server.client();
    let jianshe_board = server.client_at("jianshe");
    let qianjin_board = server.client_at("qianjin");
    // The boards are read (and cached) before: publishing must refresh them.
    assert!(!board_titles(&main_board).await.contains(&TITLE.to_owned()));
    assert!(
        !board_titles(&jianshe_board)
            .await
            .contains(&TITLE.to_owned())
    );

    // Given street staff, when they publish to main and jianshe (of three) …
    let response = jiedao
        .post("/api/deployment/notices", &street_notice(Some(&[2, 1])))
        .await;
    let sent: StreetNoticeSummary = reply(response, StatusCode::CREATED).await;
    let id = sent.id;
    let copies = &sent.copies;
    let paths: Vec<&str> = copies.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(copies.len(), 2);
    assert!(paths[0].starts_with("/c/main/notices/"), "{paths:?}");
    assert!(paths[1].starts_with("/c/jianshe/notices/"), "{paths:?}");

    // … then it is on those two boards at once, signed by the street, and not on the third.
    for board in [&main_board, &jianshe_board] {
        let notice =
            the_street_s(notices(board, "").await).expect("the street's notice on the board");
        assert_eq!(notice.status, NoticeStatus::Published);
        assert_eq!(notice.issuing_body.as_deref(), Some("本街道"));
        assert_eq!(notice.doc_number.as_deref(), Some("和街发〔2026〕7号"));
        assert!(notice.from_street);
    }
    assert!(
        !board_titles(&qianjin_board)
            .await
            .contains(&TITLE.to_owned())
    );
    // On the live stream (its events) and the feed of each, too.
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM board_events WHERE kind = 'notice_published' AND title = '{TITLE}'"
            ))
            .await,
        1
    );
    let feed = main_board
        .get("/feed.xml")
        .await
        .text()
        .await
        .expect("feed");
    assert!(feed.contains(TITLE), "the feed lists it");
    let jianshe_db = server.connect_community(2).await;
    assert_eq!(
        count_in(
            &jianshe_db,
            "SELECT COUNT(*) FROM board_events WHERE kind = 'notice_published'"
        )
        .await,
        1
    );

    // Audited: in the catalog, who and which communities; in each community's log, the
    // street's account and which street notice.
    let audited: Vec<(i64, Option<i64>)> = sql::query_as(
        "SELECT operator_id, community_id FROM operator_audit
         WHERE action = 'street_notice.publish' ORDER BY community_id",
    )
    .fetch_all(&server.connect().await)
    .await
    .expect("operator audit");
    let jiedao_id: i64 = server
        .count("SELECT id FROM operators WHERE username = 'jiedao'")
        .await;
    assert_eq!(audited, vec![(jiedao_id, Some(1)), (jiedao_id, Some(2))]);
    let (actor, detail): (String, String) = sql::query_as(
        "SELECT u.display_name, a.detail FROM audit_log a JOIN users u ON u.id = a.actor_id
         WHERE a.action = 'notice.create'",
    )
    .fetch_one(&jianshe_db)
    .await
    .expect("the community's audit entry");
    assert_eq!(actor, "本街道");
    assert!(
        detail.contains(&format!("\"street_notice_id\":{id}")),
        "{detail}"
    );

    // The community's own staff see it in their list, marked, and cannot change it.
    let jianshe_admin = server.client_at("jianshe");
    assert_eq!(
        jianshe_admin
            .login("jianshe-admin", PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
    let copy = the_street_s(notices(&jianshe_admin, "status=all").await)
        .expect("in the community's staff list");
    assert!(copy.from_street);
    let copy_id = copy.id;
    let body = assert_error(
        jianshe_admin
            .put(
                &format!("/api/notices/{copy_id}"),
                &json!({ "title": "改过的标题", "body": "改过" }),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("from_street"));
    assert_error(
        jianshe_admin
            .action(&format!("/api/notices/{copy_id}/withdraw"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let full: Notice = reply(
        jianshe_admin.get(&format!("/api/notices/{copy_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!((full.title.as_str(), full.from_street), (TITLE, true));

    // Every board of the street on one page: newest first, each with its community.
    let street = boards(&jiedao, "?per_page=50").await;
    let links: Vec<&str> = street.boards.iter().map(|b| b.path.as_str()).collect();
    assert_eq!(links, vec!["/c/main/", "/c/jianshe/", "/c/qianjin/"]);
    let latest = &street.latest.items;
    let ours: Vec<&str> = latest
        .iter()
        .filter(|i| i.notice.title == TITLE)
        .map(|i| i.community_name.as_str())
        .collect();
    assert_eq!(ours.len(), 2, "{ours:?}");
    let times: Vec<_> = latest
        .iter()
        .filter_map(|i| i.notice.published_at)
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    assert!(latest.iter().all(|i| i.community_path != "/c/xicheng/"));
    let first_page = boards(&jiedao, "?per_page=1").await;
    assert_eq!(first_page.latest.items.len(), 1);
    assert_eq!(first_page.latest.total, street.latest.total);

    // What the street sent, and withdrawing it from both boards.
    let list = sent_notices(&jiedao).await;
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].sent_by, "测试 jiedao");
    let response = jiedao
        .action(&format!("/api/deployment/notices/{id}/withdraw"))
        .await;
    let withdrawn: StreetNoticeSummary = reply(response, StatusCode::OK).await;
    assert!(withdrawn.withdrawn_at.is_some());
    assert!(!board_titles(&main_board).await.contains(&TITLE.to_owned()));
    assert!(
        !board_titles(&jianshe_board)
            .await
            .contains(&TITLE.to_owned())
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM operator_audit WHERE action = 'street_notice.withdraw'")
            .await,
        2
    );
    assert_error(
        jiedao
            .action(&format!("/api/deployment/notices/{id}/withdraw"))
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
}

/// What a refused call must leave as it was: the catalog's street notices, and the
/// notices of the first community and of jianshe.
async fn notices_everywhere(server: &TestServer) -> (i64, i64, i64, i64) {
    let jianshe = server.connect_community(2).await;
    (
        server.count("SELECT COUNT(*) FROM street_notices").await,
        server
            .count("SELECT COUNT(*) FROM street_notices WHERE withdrawn_at IS NOT NULL")
            .await,
        server.count("SELECT COUNT(*) FROM notices").await,
        count_in(
            &jianshe,
            "SELECT COUNT(*) FROM notices WHERE status = 'published'",
        )
        .await,
    )
}

#[tokio::test]
async fn only_the_street_s_own_staff_publish_withdraw_and_read_its_boards() {
    let server = TestServer::spawn().await;
    let platform = two_streets(&server).await;
    let jiedao = operator(&server, "jiedao", Some(1)).await;
    let xicheng_staff = operator(&server, "xijie", Some(2)).await;
    let response = jiedao
        .post("/api/deployment/notices", &street_notice(None))
        .await;
    let sent: StreetNoticeSummary = reply(response, StatusCode::CREATED).await;
    let id = sent.id;
    // Absent communities: every board of the street, none of another street.
    assert_eq!(sent.copies.len(), 3);
    let before = notices_everywhere(&server).await;

    // Street 2's staff: not street 1's communities, not its notice, not its boards.
    let body = assert_error(
        xicheng_staff
            .post("/api/deployment/notices", &street_notice(Some(&[1, 2])))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("communities"));
    assert_error(
        xicheng_staff
            .action(&format!("/api/deployment/notices/{id}/withdraw"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(sent_notices(&xicheng_staff).await.total, 0);
    let theirs = boards(&xicheng_staff, "").await;
    assert_eq!(theirs.street_name, "西城街道");
    let paths: Vec<&str> = theirs.boards.iter().map(|b| b.path.as_str()).collect();
    assert_eq!(paths, vec!["/c/xicheng/"]);
    assert!(theirs.latest.items.iter().all(|i| i.notice.title != TITLE));

    // A deployment admin runs the platform, not what a street says: 403. A community's
    // admin and nobody are not operators: 401.
    let jianshe_admin = server.client_at("jianshe");
    jianshe_admin.login("jianshe-admin", PASSWORD).await;
    let anonymous = server.client();
    for (who, client, status, code) in [
        (
            "deployment admin",
            &platform,
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            "community admin",
            &jianshe_admin,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
        (
            "anonymous",
            &anonymous,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
    ] {
        // The deployment's API is at the site's root, whatever address the client is on.
        let root = |path: &str| format!("{}{path}", server.url(""));
        let http = &client.http;
        for (method, path) in [
            ("POST", "/api/deployment/notices".to_owned()),
            ("GET", "/api/deployment/notices".to_owned()),
            ("GET", "/api/deployment/boards".to_owned()),
            ("POST", format!("/api/deployment/notices/{id}/withdraw")),
        ] {
            let request = match method {
                "POST" => http.post(root(&path)).json(&street_notice(None)),
                _ => http.get(root(&path)),
            };
            let response = client.send(request).await;
            assert_eq!(response.status(), status, "{who}: {method} {path}");
            assert_error(response, status, code).await;
        }
    }
    assert_eq!(notices_everywhere(&server).await, before);
}

#[tokio::test]
async fn a_street_notice_is_refused_on_its_field() {
    let server = TestServer::spawn().await;
    two_streets(&server).await;
    let jiedao = operator(&server, "jiedao", Some(1)).await;
    let mut no_title = street_notice(None);
    no_title["notice"]["title"] = json!("  ");
    let mut no_community = street_notice(Some(&[]));
    no_community["notice"]["title"] = json!(TITLE);
    let mut bad_number = street_notice(None);
    bad_number["notice"]["doc_number"] = json!("7号");
    for (request, code, field) in [
        (no_title, "required", "title"),
        (no_community, "required", "communities"),
        (street_notice(Some(&[999])), "invalid_value", "communities"),
        (bad_number, "invalid_doc_number", "doc_number"),
    ] {
        let body = assert_error(
            jiedao.post("/api/deployment/notices", &request).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(body.field.as_deref(), Some(field));
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM street_notices").await, 0);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM users WHERE username LIKE 'street:%'")
            .await,
        0
    );
}

/// The page the server writes for a community's board (readable before the app runs):
/// the street's notice carries its mark there too, and every link of the header, the
/// board and the notice stays inside the community's address.
#[tokio::test]
async fn a_community_s_prerendered_pages_mark_the_street_s_notice_and_link_inside_it() {
    let server = TestServer::spawn().await;
    two_streets(&server).await;
    let jiedao = operator(&server, "jiedao", Some(1)).await;
    let sent: StreetNoticeSummary = reply(
        jiedao
            .post("/api/deployment/notices", &street_notice(Some(&[2])))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let copy = sent.copies[0].notice_id;
    let visitor = server.bare_client();
    for path in [
        "/c/jianshe/".to_owned(),
        format!("/c/jianshe/notices/{copy}"),
    ] {
        let html = visitor
            .get(server.url(&path))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        let prerendered = html
            .split(r#"<div id="prerendered""#)
            .nth(1)
            .expect("the page is written in");
        assert!(
            prerendered.contains(r#"<span class="tag tag-street">街道发布</span>"#),
            "{path}"
        );
        let links: Vec<&str> = prerendered
            .split(r#"href=""#)
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|href| !href.starts_with('#'))
            .collect();
        assert!(!links.is_empty());
        assert!(
            links.iter().all(|href| href.starts_with("/c/jianshe/")),
            "{path}: {links:?}"
        );
    }
}

#[tokio::test]
async fn the_street_s_author_account_is_in_no_list_and_signs_in_nowhere() {
    let server = TestServer::spawn().await;
    two_streets(&server).await;
    let jiedao = operator(&server, "jiedao", Some(1)).await;
    let admin = server.sign_in_as(Role::Admin).await;
    let before = users(&admin, "/api/users").await;
    let response = jiedao
        .post("/api/deployment/notices", &street_notice(Some(&[1])))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    // The account the notice is written under exists in the community …
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM users WHERE username = 'street:1'")
            .await,
        1
    );

    // … and its admin's list and the staff picker show none of it.
    for path in ["/api/users", "/api/users?role=staff"] {
        let list = users(&admin, path).await;
        let names: Vec<&str> = list.items.iter().map(|u| u.username.as_str()).collect();
        assert!(
            !names.iter().any(|n| n.starts_with("street:")),
            "{path}: {names:?}"
        );
        if path == "/api/users" {
            assert_eq!(list.total, before.total, "{path}");
        }
    }

    // Nobody signs in with it, whatever the password.
    for password in ["!", "", PASSWORD] {
        let response = server.client().login("street:1", password).await;
        assert!(
            response.status() == StatusCode::UNAUTHORIZED
                || response.status() == StatusCode::UNPROCESSABLE_ENTITY,
            "{password:?}: {}",
            response.status()
        );
    }
}
