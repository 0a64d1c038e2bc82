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

/// A kind of write: the schema it needs and the statements of one transaction, each
/// bound to `?1` (a counter) and `?2` (now).
pub struct Write {
    pub name: &'static str,
    schema: &'static [&'static str],
    statements: &'static [&'static str],
}

pub const NOTICE: Write = Write {
    name: "notice",
    schema: &[
        "CREATE TABLE notices (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,
         body_html TEXT NOT NULL, excerpt TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL,
         author_id INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
    ],
    statements: &[
        "INSERT INTO notices (title, body, body_html, excerpt, category, status, author_id, created_at, updated_at)
         VALUES ('压测通知 ' || ?1, '正文', '<p>正文</p>', '正文', 'announcement', 'draft', 1, ?2, ?2)",
    ],
};

/// A household of two, as a registration stores it: the household, its members, and the
/// audit entry.
pub const HOUSEHOLD: Write = Write {
    name: "household",
    schema: &[
        "CREATE TABLE households (id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL UNIQUE,
         grid_id INTEGER NOT NULL, building_id INTEGER NOT NULL, unit_id INTEGER NOT NULL,
         source TEXT NOT NULL, head_name TEXT, head_phone TEXT, member_count INTEGER NOT NULL,
         created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE INDEX households_by_grid ON households (grid_id, building_id)",
        "CREATE TABLE members (id INTEGER PRIMARY KEY, household_id INTEGER NOT NULL,
         position INTEGER NOT NULL, name TEXT NOT NULL, phone TEXT, relation TEXT NOT NULL,
         birth_year INTEGER NOT NULL, groups TEXT NOT NULL)",
        "CREATE INDEX members_by_household ON members (household_id)",
        "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL,
         target_id INTEGER)",
    ],
    statements: &[
        "INSERT INTO households (room_id, grid_id, building_id, unit_id, source, head_name,
         head_phone, member_count, created_at, updated_at)
         VALUES (?1, 1, 1, 1, 'staff', '住户' || ?1, '13800000000', 2, ?2, ?2)",
        "INSERT INTO members (household_id, position, name, phone, relation, birth_year, groups)
         VALUES (last_insert_rowid(), 1, '住户' || ?1, '13800000000', 'self', 1960, 'elderly_alone')",
        "INSERT INTO members (household_id, position, name, phone, relation, birth_year, groups)
         SELECT household_id, 2, '家属' || ?1, NULL, 'spouse', 1962, '' FROM members WHERE id = last_insert_rowid()",
        "INSERT INTO audit_log (at, action, target_id) VALUES (?2, 'household.create', ?1)",
    ],
};

pub async fn inserts(dir: &Path, write: &Write, duration: Duration) -> anyhow::Result<Load> {
    let options = SqliteConnectOptions::new()
        .filename(dir.join(format!("reference-{}.db", write.name)))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let mut db = SqliteConnection::connect_with(&options).await?;
    for statement in write.schema {
        sqlx::query(statement).execute(&mut db).await?;
    }
    let mut latencies = Vec::new();
    let started = Instant::now();
    let mut i = 0i64;
    while started.elapsed() < duration {
        i += 1;
        let one = Instant::now();
        let mut tx = db.begin().await?;
        let now = Utc::now();
        for statement in write.statements {
            sqlx::query(statement)
                .bind(i)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
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
