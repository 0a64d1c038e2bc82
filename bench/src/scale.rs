//! `cargo xtask bench --scale`: one deployment holding a street of 100 communities of
//! 5,000 households each (500,000 households), on this machine.
//!
//! Measured, in one run: how long seeding takes; a grid's ledger filter in one of the
//! communities; the street's dashboard over all of them (the first read ever, which opens
//! and counts every community, then under load, after idling, and the first read after a
//! restart, from the figures kept); and a registration at the door at 500,000
//! households in the deployment against the same registration in a community of 10,000
//! alone (the default bench's size), as a ratio, so the machine's speed cancels out.

use crate::server::Server;
use crate::wrk;
use crate::{Registration, registration_script, sign_in_as};
use anyhow::Context;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

pub struct Sizes {
    pub communities: usize,
    pub households: usize,
    /// The community of the baseline, alone.
    pub baseline_households: usize,
}

pub const DEFAULT: Sizes = Sizes {
    communities: 100,
    households: 5_000,
    baseline_households: 10_000,
};

/// The community measured inside the street: one in the middle, in its own file.
fn measured(communities: usize) -> String {
    format!("bench-{}", communities / 2)
}

/// How long the server sits idle before the last dashboard read and memory figure: longer
/// than the figures' refresh (30 s) and the databases' idle timeouts (20 s and 60 s).
const IDLE: std::time::Duration = std::time::Duration::from_secs(65);

/// One read of the street's dashboard by its staff, timed: milliseconds and the answer.
async fn timed_dashboard(
    client: &reqwest::Client,
    url: &str,
    operator: &str,
) -> anyhow::Result<(f64, serde_json::Value)> {
    let started = Instant::now();
    let dashboard = client
        .get(url)
        .header("cookie", operator)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok((started.elapsed().as_secs_f64() * 1000.0, dashboard))
}

#[derive(Serialize)]
pub struct Scale {
    pub communities: usize,
    pub households_per_community: usize,
    pub households: usize,
    pub seed_seconds: f64,
    /// Bytes on disk: the deployment's file and the communities' files.
    pub database_bytes: u64,
    pub ledger_grid_filter: wrk::Load,
    /// The first read ever, right after seeding: nothing kept yet, every community's
    /// file opened and counted.
    pub dashboard_first_ms: f64,
    pub dashboard: wrk::Load,
    /// One read after the server sat idle for [`IDLE`] (longer than the figures' refresh
    /// and the pools' idle timeouts).
    pub dashboard_after_idle_ms: f64,
    /// Resident memory after that idle time.
    pub server_rss_idle_kib: Option<u64>,
    /// The first read after the server is stopped and started again (an upgrade in the
    /// middle of a lockdown): from the figures kept in the deployment's database.
    pub dashboard_after_restart_ms: f64,
    pub registration: wrk::Load,
    pub baseline_households: usize,
    pub baseline_registration: wrk::Load,
    pub server_rss_kib: Option<u64>,
}

impl Scale {
    /// Registrations per second at scale over those at the baseline's size.
    pub fn registration_ratio(&self) -> f64 {
        self.registration.requests_per_second / self.baseline_registration.requests_per_second
    }
}

fn seed(
    binary: &Path,
    database: &Path,
    out: &Path,
    communities: usize,
    households: usize,
) -> anyhow::Result<serde_json::Value> {
    let status = std::process::Command::new(binary)
        .args([
            "bench-seed",
            "--notices",
            "20",
            "--volunteers",
            "0",
            "--communities",
            &communities.to_string(),
            "--households",
            &households.to_string(),
            "--database",
        ])
        .arg(database)
        .arg("--out")
        .arg(out)
        .status()?;
    anyhow::ensure!(status.success(), "bench-seed failed");
    Ok(serde_json::from_slice(&std::fs::read(out)?)?)
}

/// Registrations at the door for `seconds` in the community at `prefix` ("" or `/c/<slug>`),
/// through the seeded free rooms, as the default bench drives them.
async fn registrations(
    base: &str,
    prefix: &str,
    seeded: &serde_json::Value,
    dir: &Path,
    seconds: u32,
) -> anyhow::Result<wrk::Load> {
    let cookie = sign_in_as(
        &format!("{base}{prefix}"),
        &seeded["staff_username"],
        &seeded["staff_password"],
    )
    .await?;
    let free_from = seeded["free_rooms_from"].as_i64().context("free rooms")?;
    let free_to = seeded["free_rooms_to"].as_i64().context("free rooms")?;
    let script = dir.join(format!("scale-door{}.lua", prefix.replace('/', "-")));
    std::fs::write(
        &script,
        registration_script(
            Registration::AtTheDoor { cookie: &cookie },
            prefix,
            free_from,
            (free_to - free_from + 1) / 2,
            base,
        ),
    )?;
    wrk::run(&wrk::Plan {
        url: base,
        connections: 8,
        seconds,
        script: Some(&script),
    })
}

fn bytes_under(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => bytes_under(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

pub async fn run(binary: &Path, dir: &Path, sizes: &Sizes, seconds: u32) -> anyhow::Result<Scale> {
    eprintln!(
        "bench --scale: the baseline, one community of {} households",
        sizes.baseline_households
    );
    let baseline_dir = dir.join("baseline");
    std::fs::create_dir_all(&baseline_dir)?;
    let baseline_db = baseline_dir.join("baseline.db");
    let baseline_seeded = seed(
        binary,
        &baseline_db,
        &baseline_dir.join("seed.json"),
        1,
        sizes.baseline_households,
    )?;
    let server = Server::start(binary, baseline_db.as_os_str()).await?;
    let baseline_registration =
        registrations(&server.base, "", &baseline_seeded, dir, seconds).await?;
    server.stop().await;

    eprintln!(
        "bench --scale: seeding {} communities × {} households",
        sizes.communities, sizes.households
    );
    let street_dir = dir.join("street");
    std::fs::create_dir_all(&street_dir)?;
    let database = street_dir.join("street.db");
    let started = Instant::now();
    let seeded = seed(
        binary,
        &database,
        &street_dir.join("seed.json"),
        sizes.communities,
        sizes.households,
    )?;
    let seed_seconds = started.elapsed().as_secs_f64();
    eprintln!("bench --scale: seeded in {seed_seconds:.0} s");
    let street = &seeded["street"];
    let street_id = street["street_id"].as_i64().context("the street")?;
    let operator = street["operator_session"]
        .as_str()
        .context("the street's session")?;

    let server = Server::start(binary, database.as_os_str()).await?;
    let base = server.base.clone();
    let dashboard_url = format!("{base}/api/deployment/streets/{street_id}/dashboard");
    let client = reqwest::Client::new();
    let (dashboard_first_ms, dashboard) =
        timed_dashboard(&client, &dashboard_url, operator).await?;
    let rows = dashboard["rows"].as_array().map_or(0, Vec::len);
    anyhow::ensure!(
        rows == sizes.communities,
        "the dashboard shows {rows} communities, not {}",
        sizes.communities
    );
    let households = dashboard["totals"]["households"].as_u64().unwrap_or(0);
    eprintln!(
        "bench --scale: dashboard, first read {dashboard_first_ms:.0} ms ({households} households)"
    );
    let script = dir.join("scale-operator.lua");
    std::fs::write(
        &script,
        format!("wrk.headers[\"Cookie\"] = \"{operator}\"\n"),
    )?;
    let dashboard_load = wrk::run(&wrk::Plan {
        url: &dashboard_url,
        connections: 2,
        seconds,
        script: Some(&script),
    })?;

    let measured = measured(sizes.communities);
    eprintln!("bench --scale: a grid's ledger filter in {measured}");
    let prefix = format!("/c/{measured}");
    let staff = sign_in_as(
        &format!("{base}{prefix}"),
        &seeded["staff_username"],
        &seeded["staff_password"],
    )
    .await?;
    let ledger_url = format!(
        "{base}{prefix}/api/residents/households?grid_id={}",
        seeded["sample_grid_id"]
    );
    client
        .get(&ledger_url)
        .header("cookie", &staff)
        .send()
        .await?
        .error_for_status()?;
    let ledger_script = dir.join("scale-ledger.lua");
    std::fs::write(
        &ledger_script,
        format!("wrk.headers[\"Cookie\"] = \"{staff}\"\n"),
    )?;
    let ledger_grid_filter = wrk::run(&wrk::Plan {
        url: &ledger_url,
        connections: 4,
        seconds: (seconds / 2).max(2),
        script: Some(&ledger_script),
    })?;

    eprintln!("bench --scale: registrations at the door in {measured}");
    let registration = registrations(&base, &prefix, &seeded, dir, seconds).await?;
    let server_rss_kib = server.rss_kib();
    eprintln!("bench --scale: idle for {} s", IDLE.as_secs());
    tokio::time::sleep(IDLE).await;
    let server_rss_idle_kib = server.rss_kib();
    let (dashboard_after_idle_ms, _) = timed_dashboard(&client, &dashboard_url, operator).await?;
    server.stop().await;

    eprintln!("bench --scale: the dashboard's first read after a restart");
    let server = Server::start(binary, database.as_os_str()).await?;
    let restarted_url = format!(
        "{}/api/deployment/streets/{street_id}/dashboard",
        server.base
    );
    let (dashboard_after_restart_ms, restarted) =
        timed_dashboard(&client, &restarted_url, operator).await?;
    server.stop().await;
    let restarted_rows = restarted["rows"].as_array().map_or(0, Vec::len);
    anyhow::ensure!(
        restarted_rows == sizes.communities,
        "after the restart the dashboard shows {restarted_rows} communities, not {}",
        sizes.communities
    );
    Ok(Scale {
        communities: sizes.communities,
        households_per_community: sizes.households,
        households: usize::try_from(households).unwrap_or(0),
        seed_seconds,
        database_bytes: bytes_under(&street_dir),
        ledger_grid_filter,
        dashboard_first_ms,
        dashboard: dashboard_load,
        dashboard_after_idle_ms,
        server_rss_idle_kib,
        dashboard_after_restart_ms,
        registration,
        baseline_households: sizes.baseline_households,
        baseline_registration,
        server_rss_kib,
    })
}

pub fn print(scale: &Scale) {
    println!(
        "\nAt scale: {} communities × {} households = {} households in one deployment \
         (seeded in {:.0} s, {:.0} MB on disk, server RSS {} MiB after the loads, {} MiB \
         after {} s idle)\n",
        scale.communities,
        scale.households_per_community,
        scale.households,
        scale.seed_seconds,
        scale.database_bytes as f64 / 1e6,
        scale.server_rss_kib.map_or(0, |k| k / 1024),
        scale.server_rss_idle_kib.map_or(0, |k| k / 1024),
        IDLE.as_secs(),
    );
    println!(
        "| {:<66} | {:>8} | {:>8} | {:>8} | {:>6} | {:>8} |",
        "measure", "req/s", "p50 ms", "p99 ms", "errors", "goal"
    );
    println!("|{}|", ["-"; 6].map(|_| "----").join("|"));
    let measured = measured(scale.communities);
    let rows: [(String, &wrk::Load, &str); 4] = [
        (
            format!("a grid's ledger filter ({measured}, grid staff, 4 conns)"),
            &scale.ledger_grid_filter,
            "< 20 ms",
        ),
        (
            format!(
                "street dashboard over {} communities (2 conns)",
                scale.communities
            ),
            &scale.dashboard,
            "< 300 ms",
        ),
        (
            format!(
                "register at the door at {} households ({measured}, 8 conns)",
                scale.households
            ),
            &scale.registration,
            "",
        ),
        (
            format!(
                "register at the door, one community of {} alone (8 conns)",
                scale.baseline_households
            ),
            &scale.baseline_registration,
            "",
        ),
    ];
    for (name, load, goal) in rows {
        println!(
            "| {:<66} | {:>8.0} | {:>8.2} | {:>8.2} | {:>6} | {:>8} |",
            name, load.requests_per_second, load.p50_ms, load.p99_ms, load.errors, goal
        );
    }
    println!(
        "\nstreet dashboard, first read ever after seeding (opens and counts every community): {:.0} ms",
        scale.dashboard_first_ms
    );
    println!(
        "street dashboard, first read after a restart (figures kept in the deployment's database): {:.0} ms",
        scale.dashboard_after_restart_ms
    );
    println!(
        "street dashboard, one read after {} s idle: {:.0} ms",
        IDLE.as_secs(),
        scale.dashboard_after_idle_ms
    );
    println!(
        "registrations per second at {} over at {}: {:.2} (p50 {:.2} ms vs {:.2} ms)",
        scale.households,
        scale.baseline_households,
        scale.registration_ratio(),
        scale.registration.p50_ms,
        scale.baseline_registration.p50_ms
    );
}
