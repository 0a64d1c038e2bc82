//! Volunteers racing for one shift: thousands of seeded volunteers sign up, a fixed number
//! of requests in flight at every moment (asking for the waitlist when full), long enough
//! to be a rate; afterwards the database is read to check that the seats taken never
//! exceed the capacity.

use crate::Database;
use futures_util::StreamExt;
use serde::Serialize;
use std::time::Instant;

/// Sign-ups in flight at once, as many phones tapping at the same moment.
const IN_FLIGHT: usize = 64;

#[derive(Debug, Serialize)]
pub struct Race {
    pub volunteers: usize,
    pub in_flight: usize,
    pub capacity: u64,
    pub elapsed_ms: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// What the answers said.
    pub signed_up: u64,
    pub waitlisted: u64,
    pub errors: u64,
    /// What the database holds after the server stopped.
    pub stored: Option<Stored>,
}

#[derive(Debug, Serialize)]
pub struct Stored {
    pub signed_up: u64,
    pub waitlisted: u64,
}

pub async fn race(
    base: &str,
    shift_id: i64,
    capacity: u64,
    sessions: &[String],
) -> anyhow::Result<Race> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(IN_FLIGHT)
        .build()?;
    let url = format!("{base}/api/shifts/{shift_id}/signup");
    let started = Instant::now();
    let attempts = sessions.iter().map(|cookie| {
        let request = client
            .post(&url)
            .header("cookie", cookie)
            .header("origin", base)
            .json(&serde_json::json!({ "join_waitlist": true }));
        async move {
            let one = Instant::now();
            let answer = async {
                let response = request.send().await.ok()?;
                if !response.status().is_success() {
                    return None;
                }
                let body: serde_json::Value = response.json().await.ok()?;
                body["status"].as_str().map(str::to_owned)
            }
            .await;
            (answer, one.elapsed().as_secs_f64() * 1000.0)
        }
    });
    let answers: Vec<_> = futures_util::stream::iter(attempts)
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies: Vec<f64> = answers.iter().map(|(_, ms)| *ms).collect();
    latencies.sort_by(f64::total_cmp);
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len().max(1) - 1) as f64 * p) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let count = |status: &str| {
        answers
            .iter()
            .filter(|(answer, _)| answer.as_deref() == Some(status))
            .count() as u64
    };
    Ok(Race {
        volunteers: sessions.len(),
        in_flight: IN_FLIGHT,
        capacity,
        elapsed_ms: elapsed * 1000.0,
        per_second: sessions.len() as f64 / elapsed,
        p50_ms: percentile(0.5),
        p99_ms: percentile(0.99),
        signed_up: count("signed_up"),
        waitlisted: count("waitlisted"),
        errors: answers.iter().filter(|(a, _)| a.is_none()).count() as u64,
        stored: None,
    })
}

/// Reads the stopped server's database: the seats actually held.
pub async fn stored_counts(database: &Database, shift_id: i64) -> anyhow::Result<Stored> {
    use sqlx::Connection;
    let (signed_up, waitlisted) = match database {
        Database::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(path)
                .read_only(true);
            let mut db = sqlx::SqliteConnection::connect_with(&options).await?;
            let count = |status: &'static str| {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM shift_signups WHERE shift_id = ? AND status = ?",
                )
                .bind(shift_id)
                .bind(status)
            };
            (
                count("signed_up").fetch_one(&mut db).await?,
                count("waitlisted").fetch_one(&mut db).await?,
            )
        }
        Database::Postgres(url) => {
            let mut db = sqlx::PgConnection::connect(url).await?;
            let count = |status: &'static str| {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM shift_signups WHERE shift_id = $1 AND status = $2",
                )
                .bind(shift_id)
                .bind(status)
            };
            (
                count("signed_up").fetch_one(&mut db).await?,
                count("waitlisted").fetch_one(&mut db).await?,
            )
        }
    };
    Ok(Stored {
        signed_up: u64::try_from(signed_up)?,
        waitlisted: u64::try_from(waitlisted)?,
    })
}
