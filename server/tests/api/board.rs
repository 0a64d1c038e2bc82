//! The board everywhere: search, document-number lookup, the live stream, feeds.

use crate::fixtures::reply;
use crate::helpers::{TestClient, TestServer, assert_error};
use crate::submissions::urlencode;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shouwang_api::Page;
use shouwang_api::auth::Role;
use shouwang_api::board::{BoardItemKind, DocNumberAnswer, LiveEvent, LiveEventKind, SearchHit};
use shouwang_api::notices::Notice;
use shouwang_api::submissions::MySubmission;
use std::time::{Duration, Instant};

/// A notice staff saved as a draft.
async fn draft(staff: &TestClient, body: &Value) -> Notice {
    reply(staff.post("/api/notices", body).await, StatusCode::CREATED).await
}

pub(crate) async fn publish_notice(staff: &TestClient, body: Value) -> i64 {
    let id = draft(staff, &body).await.id;
    assert_eq!(
        staff
            .action(&format!("/api/notices/{id}/publish"))
            .await
            .status(),
        StatusCode::OK
    );
    id
}

pub(crate) fn notice(title: &str, body: &str) -> Value {
    json!({ "title": title, "body": body, "category": "services" })
}

async fn search(server: &TestServer, q: &str) -> Page<SearchHit> {
    let response = server
        .client()
        .get(&format!("/api/board/search?q={}", urlencode(q)))
        .await;
    reply(response, StatusCode::OK).await
}

/// A resident's report, as submitted (pending until staff decide).
async fn report(resident: &TestClient, text: &str) -> i64 {
    let submitted: MySubmission = reply(
        resident
            .post("/api/submissions", &json!({ "text": text }))
            .await,
        StatusCode::CREATED,
    )
    .await;
    submitted.id
}

async fn doc_number(server: &TestServer, q: &str) -> DocNumberAnswer {
    reply(
        server
            .client()
            .get(&format!("/api/board/doc-number?q={}", urlencode(q)))
            .await,
        StatusCode::OK,
    )
    .await
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
    draft(&staff, &notice("草稿停水通知", "未发布")).await;

    let hits = search(&server, "临时停水").await;
    assert_eq!(hits.total, 1);
    let hit = &hits.items[0];
    assert_eq!(hit.kind, BoardItemKind::Notice);
    assert_eq!(hit.id, water);
    assert_eq!(hit.title_marked, "关于幸福里小区\u{2}临时停水\u{3}的通知");
    // Two characters: shorter than a trigram, answered by the bigram index.
    let short = search(&server, "停水").await;
    assert_eq!(short.total, 1, "{short:?}");
    assert!(short.items[0].snippet_marked.contains("\u{2}停水\u{3}"));
    // A long and a short term: both indexes must agree.
    let mixed = search(&server, "幸福里 停水").await;
    assert_eq!(mixed.total, 1, "{mixed:?}");
    assert_eq!(
        mixed.items[0].title_marked,
        "关于\u{2}幸福里\u{3}小区临时\u{2}停水\u{3}的通知"
    );
    assert_eq!(search(&server, "幸福里 停电").await.total, 0);
    assert_eq!(search(&server, "过期的 停水").await.total, 0);
    // FTS5 syntax in a query is searched literally, not interpreted.
    assert_eq!(search(&server, "停水\" OR \"").await.total, 0);
    assert_eq!(search(&server, "NEAR(a b)").await.total, 0);
    assert_eq!(search(&server, "%").await.total, 0);
    let error = assert_error(
        server.client().get("/api/board/search?q=%20").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "required",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("q"));
    // Withdrawn notices leave the index.
    staff
        .action(&format!("/api/notices/{water}/withdraw"))
        .await;
    assert_eq!(search(&server, "临时停水").await.total, 0);
}

#[tokio::test]
async fn two_character_words_and_single_characters_are_found_title_first() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let resident = server.sign_in_as(Role::Resident).await;
    let in_body = publish_notice(
        &staff,
        notice(
            "关于调整管理措施的说明",
            "自即日起，3号楼实行封控管理，物资配送到户。",
        ),
    )
    .await;
    let in_title = publish_notice(&staff, notice("2号楼封控通知", "请居民居家。")).await;
    let testing = publish_notice(&staff, notice("核酸检测安排", "按单元错峰下楼。")).await;
    let verified = report(&resident, "5号楼今晚停电检修").await;
    let pending = report(&resident, "未核实的停电传言").await;
    staff
        .post(
            &format!("/api/submissions/{verified}/verify"),
            &json!({ "source_who": "供电所", "source_how": "电话核实" }),
        )
        .await;

    // A word in a title ranks before the same word in a body.
    let sealed = search(&server, "封控").await;
    assert_eq!(ids(&sealed), vec![in_title, in_body], "{sealed:?}");
    assert_eq!(sealed.items[0].title_marked, "2号楼\u{2}封控\u{3}通知");
    assert!(sealed.items[1].snippet_marked.contains("\u{2}封控\u{3}"));
    assert_eq!(ids(&search(&server, "核酸").await), vec![testing]);
    assert_eq!(ids(&search(&server, "物资 配送").await), vec![in_body]);
    // Neighbouring characters only: 封 and 配 are both in that body, 封配 is not.
    assert_eq!(search(&server, "封配").await.total, 0);
    // A verified update is found; the pending report beside it is not.
    let power = search(&server, "停电").await;
    assert_eq!(power.total, 1, "{power:?}");
    assert_eq!(power.items[0].kind, BoardItemKind::Update);
    assert_eq!(power.items[0].id, verified);
    assert_ne!(power.items[0].id, pending);
    // One character, and digits beside Chinese.
    assert_eq!(ids(&search(&server, "酸").await), vec![testing]);
    assert_eq!(ids(&search(&server, "2号楼").await), vec![in_title]);
    // A long term and a short one.
    assert_eq!(ids(&search(&server, "核酸检测 错峰").await), vec![testing]);
    assert_eq!(search(&server, "核酸检测 封控").await.total, 0);
    // Withdrawn notices leave the bigram index too.
    staff
        .action(&format!("/api/notices/{in_title}/withdraw"))
        .await;
    assert_eq!(ids(&search(&server, "封控").await), vec![in_body]);
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

    let answer = doc_number(&server, "津民发[2020]13号").await;
    assert_eq!(answer.doc_number, "津民发〔2020〕13号");
    assert_eq!(answer.matches[0].id, old);
    assert_eq!(
        answer.matches[0].issuing_body.as_deref(),
        Some("天津市民政局")
    );
    assert!(answer.matches[0].superseded_by.is_none());

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
    let answer = doc_number(&server, "津民发〔2020〕13号").await;
    let newer = answer.matches[0]
        .superseded_by
        .as_ref()
        .expect("the newer notice");
    assert_eq!(newer.id, new);
    assert_eq!(newer.doc_number.as_deref(), Some("津民发〔2020〕20号"));

    let fake = doc_number(&server, "津民发〔2020〕99号").await;
    assert!(fake.matches.is_empty());
    let error = assert_error(
        server
            .client()
            .get("/api/board/doc-number?q=13%E5%8F%B7")
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_doc_number",
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("q"));
}

/// Reads server-sent events from a streaming response until `want` events arrived.
pub(crate) async fn read_events(response: &mut reqwest::Response, want: usize) -> Vec<LiveEvent> {
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
                events.push(serde_json::from_str(data).expect("a live event"));
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
    assert_eq!(events[0].kind, LiveEventKind::NoticePublished);
    assert_eq!(events[0].item_id, first);
    let seen = events[0].seq;
    drop(stream);

    // While disconnected: a rejected submission (never streamed), a verified one, a notice.
    let rejected = report(&resident, "不会公开的反映").await;
    staff
        .post(
            &format!("/api/submissions/{rejected}/reject"),
            &json!({ "reason": "不实" }),
        )
        .await;
    let verified = report(&resident, "5号楼今晚停电检修").await;
    staff
        .post(
            &format!("/api/submissions/{verified}/verify"),
            &json!({ "source_who": "供电所", "source_how": "电话核实" }),
        )
        .await;
    let second = publish_notice(&staff, notice("第二条直播通知", "内容")).await;

    let mut resumed = viewer
        .send(
            viewer
                .http
                .get(viewer.url("/api/board/live"))
                .header("Last-Event-ID", seen.to_string()),
        )
        .await;
    let missed = read_events(&mut resumed, 2).await;
    assert_eq!(missed[0].kind, LiveEventKind::UpdatePublished);
    assert_eq!(missed[0].item_id, verified);
    assert_eq!(missed[1].item_id, second);
    assert!(!missed.iter().any(|e| e.title.contains("不会公开")));
}

#[tokio::test]
async fn feeds_carry_only_published_unexpired_items_per_category() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    publish_notice(&staff, notice("生活服务：蔬菜配送时间调整", "内容")).await;
    let mut expired = notice("已过期的服务通知", "内容");
    expired["expires_at"] = json!("2021-01-01T00:00:00Z");
    publish_notice(&staff, expired).await;
    draft(&staff, &notice("草稿服务通知", "内容")).await;

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

/// A long term is a substring on both backends (what a trigram match is), even where it
/// starts inside a word or ends inside a run of Chinese, and however far into a long
/// body it stands (PostgreSQL narrows such searches down by the tokens a term cannot be
/// without, and a `tsvector`'s positions stop at 16,383).
#[tokio::test]
async fn long_terms_are_found_as_substrings_wherever_they_stand() {
    let server = TestServer::spawn().await;
    let staff = server.sign_in_as(Role::Staff).await;
    let mut vaccine = notice(
        "COVID-19疫苗接种第9999号通知",
        "请于19号楼集合，携带身份证。",
    );
    vaccine["doc_number"] = json!("津民发〔2020〕13号");
    let vaccine = publish_notice(&staff, vaccine).await;
    let far = publish_notice(
        &staff,
        notice(
            "长通知",
            &format!("{}。末尾的核酸检测安排", "甲乙丙丁".repeat(4_500)),
        ),
    )
    .await;

    for q in [
        "第9999号",
        "999号",
        "OVID-19疫",
        "covid-19",
        "9疫苗接",
        "2020〕1",
        "9号楼集",
        "身份证。",
    ] {
        let hits = search(&server, q).await;
        assert_eq!(ids(&hits), vec![vaccine], "{q}: {hits:?}");
    }
    for q in ["第999号", "c0vid-19", "9号楼 集合吧"] {
        assert_eq!(search(&server, q).await.total, 0, "{q}");
    }
    assert_eq!(ids(&search(&server, "核酸检测安排").await), vec![far]);
    assert_eq!(ids(&search(&server, "检测 核酸检测安排").await), vec![far]);
}

/// The ids of a search answer's hits, in the order the server ranked them.
fn ids(hits: &Page<SearchHit>) -> Vec<i64> {
    hits.items.iter().map(|h| h.id).collect()
}
