//! The board everywhere: search, document-number lookup, the live stream, feeds.

use crate::helpers::{TestClient, TestServer, assert_error, json};
use crate::submissions::urlencode;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::auth::Role;
use std::time::{Duration, Instant};

async fn publish_notice(staff: &TestClient, body: Value) -> i64 {
    let created = json(staff.post("/api/notices", &body).await).await;
    let id = created["id"].as_i64().expect("an id");
    assert_eq!(
        staff
            .action(&format!("/api/notices/{id}/publish"))
            .await
            .status(),
        StatusCode::OK
    );
    id
}

fn notice(title: &str, body: &str) -> Value {
    json!({ "title": title, "body": body, "category": "services" })
}

async fn search(server: &TestServer, q: &str) -> Value {
    let response = server
        .client()
        .get(&format!("/api/board/search?q={}", urlencode(q)))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "searching {q}");
    json(response).await
}

#[tokio::test]
async fn search_finds_chinese_phrases_highlighted_and_only_what_is_public() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let water = publish_notice(
        &staff,
        notice(
            "关于幸福里小区临时停水的通知",
            "因管网维修，明日上午九点至十二点停水。",
        ),
    )
    .await;
    let mut expired = notice("过期的停水通知", "早已结束的停水安排");
    expired["expires_at"] = json!("2021-01-01T00:00:00Z");
    publish_notice(&staff, expired).await;
    json(
        staff
            .post("/api/notices", &notice("草稿停水通知", "未发布"))
            .await,
    )
    .await;

    let hits = search(&server, "临时停水").await;
    assert_eq!(hits["total"], 1);
    let hit = &hits["items"][0];
    assert_eq!(hit["kind"], "notice");
    assert_eq!(hit["id"], water);
    assert_eq!(
        hit["title_marked"],
        "关于幸福里小区\u{2}临时停水\u{3}的通知"
    );
    // Two characters: shorter than a trigram, answered by the LIKE fallback.
    let short = search(&server, "停水").await;
    assert_eq!(short["total"], 1, "{short}");
    assert!(
        short["items"][0]["snippet_marked"]
            .as_str()
            .unwrap()
            .contains("\u{2}停水\u{3}")
    );
    // FTS5 syntax in a query is searched literally, not interpreted.
    assert_eq!(search(&server, "停水\" OR \"").await["total"], 0);
    assert_eq!(search(&server, "NEAR(a b)").await["total"], 0);
    assert_eq!(search(&server, "%").await["total"], 0);
    let error = assert_error(
        server.client().get("/api/board/search?q=%20").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "required",
    )
    .await;
    assert_eq!(error["field"], "q");
    // Withdrawn notices leave the index.
    staff
        .action(&format!("/api/notices/{water}/withdraw"))
        .await;
    assert_eq!(search(&server, "临时停水").await["total"], 0);
}

#[tokio::test]
async fn a_forwarded_document_number_can_be_checked() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let mut old = notice("关于做好社区防控工作的通知", "旧的安排。");
    old["doc_number"] = json!("津民发〔2020〕13号");
    old["issuing_body"] = json!("天津市民政局");
    let old = publish_notice(&staff, old).await;
    let mut new = notice("关于调整社区防控措施的通知", "新的安排。");
    new["doc_number"] = json!("津民发〔2020〕20号");
    let new = publish_notice(&staff, new).await;

    let answer = json(
        server
            .client()
            .get(&format!(
                "/api/board/doc-number?q={}",
                urlencode("津民发[2020]13号")
            ))
            .await,
    )
    .await;
    assert_eq!(answer["doc_number"], "津民发〔2020〕13号");
    assert_eq!(answer["matches"][0]["id"], old);
    assert_eq!(answer["matches"][0]["issuing_body"], "天津市民政局");
    assert!(answer["matches"][0]["superseded_by"].is_null());

    let resident = server.sign_in_as(Role::Resident).await;
    assert_error(
        resident
            .post(
                &format!("/api/notices/{old}/superseded-by"),
                &json!({ "notice_id": new }),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let done = staff
        .post(
            &format!("/api/notices/{old}/superseded-by"),
            &json!({ "notice_id": new }),
        )
        .await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    let answer = json(
        server
            .client()
            .get(&format!(
                "/api/board/doc-number?q={}",
                urlencode("津民发〔2020〕13号")
            ))
            .await,
    )
    .await;
    assert_eq!(answer["matches"][0]["superseded_by"]["id"], new);
    assert_eq!(
        answer["matches"][0]["superseded_by"]["doc_number"],
        "津民发〔2020〕20号"
    );

    let fake = json(
        server
            .client()
            .get(&format!(
                "/api/board/doc-number?q={}",
                urlencode("津民发〔2020〕99号")
            ))
            .await,
    )
    .await;
    assert_eq!(fake["matches"], json!([]));
    let error = assert_error(
        server
            .client()
            .get("/api/board/doc-number?q=13%E5%8F%B7")
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_doc_number",
    )
    .await;
    assert_eq!(error["field"], "q");
}

/// Reads server-sent events from a streaming response until `want` events arrived.
async fn read_events(response: &mut reqwest::Response, want: usize) -> Vec<Value> {
    let mut buffer = String::new();
    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while events.len() < want {
        let chunk = tokio::time::timeout_at(deadline.into(), response.chunk())
            .await
            .expect("events in time")
            .expect("a chunk")
            .expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) {
                events.push(serde_json::from_str(data).expect("json data"));
            }
        }
    }
    events
}

#[tokio::test]
async fn the_live_stream_delivers_publications_and_resumes_without_loss() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let resident = server.sign_in_as(Role::Resident).await;
    let viewer = server.client();
    let mut stream = viewer.get("/api/board/live").await;
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(
        stream.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );

    let started = Instant::now();
    let first = publish_notice(&staff, notice("第一条直播通知", "内容")).await;
    let events = read_events(&mut stream, 1).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "arrived within a second"
    );
    assert_eq!(events[0]["kind"], "notice_published");
    assert_eq!(events[0]["item_id"], first);
    let seen = events[0]["seq"].as_i64().unwrap();
    drop(stream);

    // While disconnected: a rejected submission (never streamed), a verified one, a notice.
    let rejected = json(
        resident
            .post("/api/submissions", &json!({ "text": "不会公开的反映" }))
            .await,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    staff
        .post(
            &format!("/api/submissions/{rejected}/reject"),
            &json!({ "reason": "不实" }),
        )
        .await;
    let verified = json(
        resident
            .post("/api/submissions", &json!({ "text": "5号楼今晚停电检修" }))
            .await,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    staff
        .post(
            &format!("/api/submissions/{verified}/verify"),
            &json!({ "source_who": "供电所", "source_how": "电话核实" }),
        )
        .await;
    let second = publish_notice(&staff, notice("第二条直播通知", "内容")).await;

    let mut resumed = viewer
        .http
        .get(viewer.url("/api/board/live"))
        .header("Last-Event-ID", seen.to_string())
        .send()
        .await
        .expect("reconnect");
    let missed = read_events(&mut resumed, 2).await;
    assert_eq!(missed[0]["kind"], "update_published");
    assert_eq!(missed[0]["item_id"], verified);
    assert_eq!(missed[1]["item_id"], second);
    assert!(
        !missed
            .iter()
            .any(|e| e["title"].as_str().unwrap().contains("不会公开"))
    );
}

#[tokio::test]
async fn feeds_carry_only_published_unexpired_items_per_category() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    publish_notice(&staff, notice("生活服务：蔬菜配送时间调整", "内容")).await;
    let mut expired = notice("已过期的服务通知", "内容");
    expired["expires_at"] = json!("2021-01-01T00:00:00Z");
    publish_notice(&staff, expired).await;
    json(
        staff
            .post("/api/notices", &notice("草稿服务通知", "内容"))
            .await,
    )
    .await;

    let response = server.client().get("/feed.xml").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let feed = response.text().await.unwrap();
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert!(feed.contains("蔬菜配送时间调整"));
    assert!(!feed.contains("已过期"));
    assert!(!feed.contains("草稿"));

    let services = server
        .client()
        .get("/feed/services.xml")
        .await
        .text()
        .await
        .unwrap();
    assert!(services.contains("蔬菜配送时间调整"));
    let debunks = server
        .client()
        .get("/feed/debunk.xml")
        .await
        .text()
        .await
        .unwrap();
    assert!(!debunks.contains("蔬菜配送"));
    assert_eq!(
        server.client().get("/feed/gossip.xml").await.status(),
        StatusCode::NOT_FOUND
    );
}

/// Search latency over 10 000 items (notices and updates), for the report:
/// `cargo test --release -p shouwang --test api board::search_latency -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "a measurement, not a check"]
async fn search_latency_over_ten_thousand_items() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    {
        let mut db = server.connect().await;
        let author: i64 = sqlx::query_scalar("SELECT MAX(id) FROM users")
            .fetch_one(&mut db)
            .await
            .unwrap();
        let places = ["东门", "西门", "3号楼", "幸福里", "菜市场", "卫生服务站"];
        let things = [
            "停水",
            "停电",
            "蔬菜包发放",
            "核酸检测",
            "封闭管理",
            "药品配送",
        ];
        for i in 0..10_000 {
            let title = format!(
                "{}{}安排通知第{i}号",
                places[i % places.len()],
                things[(i / 7) % things.len()]
            );
            let body = format!(
                "各位居民：{}附近将于{}日进行{}，请提前做好准备。序号{i}。",
                places[(i / 3) % places.len()],
                i % 28 + 1,
                things[i % things.len()]
            );
            sqlx::query(
                "INSERT INTO notices (title, body, body_html, excerpt, category, status, author_id, created_at, updated_at, published_at)
                 VALUES (?, ?, '', '', 'services', 'published', ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            )
            .bind(&title)
            .bind(&body)
            .bind(author)
            .execute(&mut db)
            .await
            .unwrap();
        }
    }
    let _ = staff;
    for q in [
        "蔬菜包发放",
        "卫生服务站附近",
        "第9999号",
        "停水",
        "核酸 东门",
    ] {
        let mut times = Vec::new();
        let mut total = Value::Null;
        for _ in 0..20 {
            let started = Instant::now();
            let page = search(&server, q).await;
            times.push(started.elapsed());
            total = page["total"].clone();
        }
        times.sort();
        println!(
            "search {q:<12} hits {total:>5}  median {:>6.1} ms  p95 {:>6.1} ms",
            times[10].as_secs_f64() * 1000.0,
            times[18].as_secs_f64() * 1000.0
        );
    }
}

/// How many live subscribers one server holds with a new item still reaching all of
/// them within a second, for the report:
/// `SSE_SUBSCRIBERS=2000 cargo test --release -p shouwang --test api board::live_subscribers -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement, not a check"]
async fn live_subscribers_receive_within_a_second() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let counts: Vec<usize> = std::env::var("SSE_SUBSCRIBERS")
        .unwrap_or_else(|_| "100,1000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut streams = Vec::new();
    for (round, n) in counts.into_iter().enumerate() {
        while streams.len() < n {
            let mut stream = tokio::net::TcpStream::connect(&address)
                .await
                .expect("connect");
            stream
                .write_all(
                    format!(
                        "GET /api/board/live HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
                    )
                    .as_bytes(),
                )
                .await
                .expect("request");
            let mut head = vec![0u8; 4096];
            let read = stream.read(&mut head).await.expect("response head");
            assert!(
                String::from_utf8_lossy(&head[..read]).starts_with("HTTP/1.1 200"),
                "subscriber {} refused",
                streams.len()
            );
            streams.push(stream);
        }
        let title = format!("测量通知 {round}");
        let started = Instant::now();
        publish_notice(&staff, notice(&title, "内容")).await;
        let mut waits = Vec::new();
        for mut stream in streams.drain(..) {
            waits.push(tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = vec![0u8; 4096];
                loop {
                    let read = stream.read(&mut chunk).await.expect("read");
                    assert!(read > 0, "stream closed");
                    buffer.extend_from_slice(&chunk[..read]);
                    if String::from_utf8_lossy(&buffer).contains("notice_published") {
                        return (started.elapsed(), stream);
                    }
                }
            }));
        }
        let mut times = Vec::new();
        for wait in waits {
            let (elapsed, stream) = wait.await.expect("subscriber");
            times.push(elapsed);
            streams.push(stream);
        }
        times.sort();
        println!(
            "{n:>6} subscribers: first {:>5.0} ms, median {:>5.0} ms, p99 {:>5.0} ms, last {:>5.0} ms",
            times[0].as_secs_f64() * 1000.0,
            times[times.len() / 2].as_secs_f64() * 1000.0,
            times[times.len() * 99 / 100].as_secs_f64() * 1000.0,
            times[times.len() - 1].as_secs_f64() * 1000.0,
        );
    }
}
