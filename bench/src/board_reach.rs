//! The board's reach, on its own server seeded with 10,000 notices: search latency per
//! kind of query, and how many open live boards (server-sent events) one server holds with
//! a newly published notice still reaching every one of them within a second.

use crate::wrk;
use anyhow::Context;
use serde::Serialize;
use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Debug, Serialize)]
pub struct SearchRow {
    pub query: String,
    pub hits: u64,
    pub load: wrk::Load,
}

/// Queries of every kind: one hit, a phrase in thousands of items, two terms, and a
/// two-character term (below the trigram length, so the LIKE fallback).
const QUERIES: [&str; 5] = [
    "第9999号",
    "重庆市民政局",
    "城乡社区防控能力",
    "社区 工作者",
    "疫情",
];

pub async fn search(base: &str, seconds: u32) -> anyhow::Result<Vec<SearchRow>> {
    let client = reqwest::Client::new();
    let mut rows = Vec::new();
    for query in QUERIES {
        let url =
            reqwest::Url::parse_with_params(&format!("{base}/api/board/search"), [("q", query)])?;
        let page: serde_json::Value = client
            .get(url.clone())
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let load = wrk::run(&wrk::Plan {
            url: url.as_str(),
            connections: 4,
            // A broad query takes seconds on a busy machine (3.4 s at p50 for `疫情` over
            // 10,000 notices): long enough that each query gets a few requests done.
            seconds: seconds.max(10),
            script: None,
        })?;
        rows.push(SearchRow {
            query: query.to_owned(),
            hits: page["total"].as_u64().unwrap_or(0),
            load,
        });
    }
    Ok(rows)
}

#[derive(Debug, Serialize)]
pub struct LiveRow {
    pub subscribers: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub last_ms: f64,
    /// The server's resident memory with these boards open.
    pub rss_kib: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct Live {
    /// Before the first board opened.
    pub rss_before_kib: Option<u64>,
    pub steps: Vec<LiveRow>,
    /// A few seconds after every board closed.
    pub rss_after_kib: Option<u64>,
}

/// Opens live boards in steps (keeping the earlier ones open), publishes one notice per
/// step and times its arrival on every board, reading the server's memory (`rss`) before,
/// at every step, and after all of them closed. Stops early if the machine refuses more
/// connections.
pub async fn live(
    base: &str,
    staff_cookie: &str,
    steps: &[usize],
    rss: impl Fn() -> Option<u64>,
) -> anyhow::Result<Live> {
    let address = base.trim_start_matches("http://").to_owned();
    let client = reqwest::Client::new();
    let mut boards: Vec<TcpStream> = Vec::new();
    let mut live = Live {
        rss_before_kib: rss(),
        steps: Vec::new(),
        rss_after_kib: None,
    };
    'steps: for (round, &target) in steps.iter().enumerate() {
        while boards.len() < target {
            match open_board(&address).await {
                Ok(stream) => boards.push(stream),
                Err(e) => {
                    eprintln!("bench: stopped at {} live boards: {e:#}", boards.len());
                    break 'steps;
                }
            }
        }
        let started = Instant::now();
        publish(&client, base, staff_cookie, round).await?;
        let waits: Vec<_> = boards
            .drain(..)
            .map(|stream| tokio::spawn(wait_for_notice(stream, started)))
            .collect();
        let mut times = Vec::with_capacity(waits.len());
        for wait in waits {
            let (elapsed, stream) = wait.await??;
            times.push(elapsed.as_secs_f64() * 1000.0);
            boards.push(stream);
        }
        times.sort_by(f64::total_cmp);
        let at = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
        live.steps.push(LiveRow {
            subscribers: times.len(),
            p50_ms: at(0.5),
            p99_ms: at(0.99),
            last_ms: at(1.0),
            rss_kib: rss(),
        });
    }
    drop(boards);
    // The server notices the closed connections on its next write (a keep-alive) or
    // read; give it time to drop them before reading its memory.
    tokio::time::sleep(Duration::from_secs(5)).await;
    live.rss_after_kib = rss();
    Ok(live)
}

async fn open_board(address: &str) -> anyhow::Result<TcpStream> {
    let mut stream = TcpStream::connect(address).await?;
    stream
        .write_all(
            format!(
                "GET /api/board/live HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
            )
            .as_bytes(),
        )
        .await?;
    let mut head = vec![0u8; 4096];
    let read = stream.read(&mut head).await?;
    anyhow::ensure!(
        head[..read].starts_with(b"HTTP/1.1 200"),
        "the live board was refused"
    );
    Ok(stream)
}

async fn wait_for_notice(
    mut stream: TcpStream,
    started: Instant,
) -> anyhow::Result<(Duration, TcpStream)> {
    let mut seen = Vec::new();
    let mut chunk = vec![0u8; 4096];
    let deadline = started + Duration::from_secs(30);
    loop {
        let read = tokio::time::timeout_at(deadline.into(), stream.read(&mut chunk))
            .await
            .context("no event within 30 s")??;
        anyhow::ensure!(read > 0, "a live board was closed");
        seen.extend_from_slice(&chunk[..read]);
        if seen.windows(16).any(|w| w == b"notice_published") {
            return Ok((started.elapsed(), stream));
        }
    }
}

async fn publish(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    round: usize,
) -> anyhow::Result<()> {
    let created: serde_json::Value = client
        .post(format!("{base}/api/notices"))
        .header("cookie", cookie)
        .header("origin", base)
        .json(&serde_json::json!({ "title": format!("直播测量通知 {round}"), "body": "内容" }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let id = created["id"].as_i64().context("a notice id")?;
    client
        .post(format!("{base}/api/notices/{id}/publish"))
        .header("cookie", cookie)
        .header("origin", base)
        .send()
        .await?
        .error_for_status()?;
    Ok(())
}

pub fn seed_args(database: &OsStr, out: &Path) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = [
        "bench-seed",
        "--notices",
        "10000",
        "--households",
        "0",
        "--volunteers",
        "0",
        "--database",
    ]
    .map(Into::into)
    .to_vec();
    args.push(database.into());
    args.push("--out".into());
    args.push(out.into());
    args
}
