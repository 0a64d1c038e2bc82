//! The reference for writes: the same rows inserted straight into SQLite, one committed
//! transaction each, with the server's durability settings (WAL, synchronous=FULL), and
//! no HTTP, no sessions, no validation. Our write throughput divided by this is what the
//! rest of the stack costs.

use crate::wrk::Load;
use chrono::Utc;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection};
use std::path::Path;
use std::time::{Duration, Instant};

pub async fn notice_inserts(dir: &Path, duration: Duration) -> anyhow::Result<Load> {
    let options = SqliteConnectOptions::new()
        .filename(dir.join("reference.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let mut db = SqliteConnection::connect_with(&options).await?;
    sqlx::query(
        "CREATE TABLE notices (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,
         body_html TEXT NOT NULL, excerpt TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL,
         author_id INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
    )
    .execute(&mut db)
    .await?;
    let mut latencies = Vec::new();
    let started = Instant::now();
    let mut i = 0u64;
    while started.elapsed() < duration {
        i += 1;
        let one = Instant::now();
        let mut tx = db.begin().await?;
        sqlx::query(
            "INSERT INTO notices (title, body, body_html, excerpt, category, status, author_id, created_at, updated_at)
             VALUES (?, '正文', '<p>正文</p>', '正文', 'announcement', 'draft', 1, ?, ?)",
        )
        .bind(format!("压测通知 {i}"))
        .bind(Utc::now())
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        latencies.push(one.elapsed().as_secs_f64() * 1000.0);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let percentile = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    Ok(Load {
        requests_per_second: latencies.len() as f64 / elapsed,
        p50_ms: percentile(0.50),
        p99_ms: percentile(0.99),
        requests: latencies.len() as u64,
        errors: 0,
    })
}
