//! `cargo xtask bench`: what one Shouwang server holds, measured.
//!
//! Starts the release binary on a temporary database seeded by `shouwang bench-seed`,
//! drives it with `wrk` from a separate process over loopback, and measures beside it,
//! on the same machine in the same run, a reference for each kind of load: nginx serving
//! the same JSON as a static file for reads, and plain SQLite inserts of the same rows with
//! the same durability for writes. Each of ours is printed as a ratio to its reference, so
//! that the noise of a shared machine cancels out. Bounded: fixed durations, loopback only.

mod board_reach;
mod lighthouse;
mod nginx;
mod postgres;
mod scale;
mod server;
mod signups;
mod sqlite_reference;
mod wrk;

use anyhow::Context;
use serde::Serialize;
use server::Server;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

struct Options {
    seconds: u32,
    lighthouse: bool,
    notices: usize,
    households: usize,
    volunteers: usize,
    /// Seconds of mixed reads before memory is read "after reads".
    mixed_seconds: u32,
    /// Rounds of interleaved reads (ours, nginx, ours, nginx...).
    rounds: u32,
    /// Open live boards, in steps.
    live_boards: Vec<usize>,
    /// Only the at-scale section (`scale`): 100 communities × 5,000 households.
    scale: bool,
    /// The at-scale street's communities, when not 100 (`--communities N`).
    communities: Option<usize>,
    /// On PostgreSQL (`--postgres`): a throwaway cluster, or the server at
    /// `--postgres-url`.
    postgres: bool,
    postgres_url: Option<String>,
}

impl Options {
    fn parse() -> anyhow::Result<Options> {
        let mut options = Options {
            seconds: 8,
            lighthouse: true,
            notices: 500,
            households: 10_000,
            volunteers: 2_400,
            mixed_seconds: 60,
            rounds: 4,
            live_boards: vec![1_000, 2_500, 5_000, 10_000],
            scale: false,
            communities: None,
            postgres: false,
            postgres_url: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--no-lighthouse" => options.lighthouse = false,
                "--quick" => {
                    options.seconds = 2;
                    options.lighthouse = false;
                    options.mixed_seconds = 5;
                    options.rounds = 2;
                    options.live_boards = vec![500];
                }
                "--seconds" => options.seconds = args.next().context("--seconds N")?.parse()?,
                "--scale" => options.scale = true,
                "--communities" => {
                    options.communities = Some(args.next().context("--communities N")?.parse()?);
                }
                "--postgres" => options.postgres = true,
                "--postgres-url" => {
                    options.postgres = true;
                    options.postgres_url = Some(args.next().context("--postgres-url URL")?);
                }
                other => anyhow::bail!(
                    "unknown argument {other}; use --quick, --no-lighthouse, --seconds N, \
                     --scale [--communities N], --postgres [--postgres-url URL]"
                ),
            }
        }
        anyhow::ensure!(
            !(options.scale && options.postgres),
            "--scale measures a street of SQLite files; it does not run on PostgreSQL"
        );
        if options.postgres {
            // The front end does not depend on the database: Lighthouse runs with the
            // SQLite bench.
            options.lighthouse = false;
        }
        Ok(options)
    }
}

#[derive(Serialize)]
struct Row {
    name: String,
    ours: wrk::Load,
    reference_name: Option<String>,
    reference: Option<wrk::Load>,
}

#[derive(Serialize)]
struct LedgerRow {
    filter: String,
    total: u64,
    load: wrk::Load,
}

/// The server's resident memory (VmRSS) at the end of a phase.
#[derive(Serialize)]
struct MemoryRow {
    phase: String,
    rss_kib: Option<u64>,
}

#[derive(Serialize)]
struct Report {
    started_at: chrono::DateTime<chrono::Utc>,
    machine: String,
    /// The database the server ran on.
    backend: String,
    seconds_per_load: u32,
    seeded: serde_json::Value,
    loads: Vec<Row>,
    shift_signups: Option<signups::Race>,
    search: Vec<board_reach::SearchRow>,
    live: Option<board_reach::Live>,
    ledger: Vec<LedgerRow>,
    memory: Vec<MemoryRow>,
    frontend: serde_json::Value,
    lighthouse: Option<lighthouse::Scores>,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

async fn run() -> anyhow::Result<()> {
    let options = Options::parse()?;
    let root = root();
    // The binary `cargo build --release` makes, as shipped: `cargo xtask bench` builds it
    // on its own, never together with the driver (see xtask).
    let binary = root.join("target/release/shouwang");
    anyhow::ensure!(binary.exists(), "build first: cargo build --release");
    let work = tempfile::tempdir()?;
    if options.scale {
        let sizes = scale::Sizes {
            communities: options.communities.unwrap_or(scale::DEFAULT.communities),
            ..scale::DEFAULT
        };
        return at_scale(&root, &binary, work.path(), &sizes, options.seconds).await;
    }
    let mut postgres = if options.postgres {
        Some(postgres::Postgres::start(&root, options.postgres_url.as_deref()).await?)
    } else {
        None
    };
    let measured = tokio::select! {
        measured = measure(&options, &root, &binary, work.path(), postgres.as_mut()) => measured,
        signal = interrupted() => Err(anyhow::anyhow!("stopped by {signal}")),
    };
    // Also after a failure or Ctrl-C: the throwaway cluster stopped, the databases made on
    // an existing server dropped (the servers and nginx stop as the measurement is dropped).
    if let Some(postgres) = postgres {
        postgres.finish().await;
    }
    let report = measured?;
    print_table(&report);
    let kind = if options.postgres {
        "bench-postgres"
    } else {
        "bench"
    };
    write_results(&root, kind, report.started_at, &report)
}

/// The first SIGINT or SIGTERM. The load runs block their thread, so one ends before the
/// signal is seen (a minute at most).
async fn interrupted() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) {
        (Ok(mut interrupt), Ok(mut terminate)) => tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        },
        _ => std::future::pending().await,
    }
}

/// Where one part of the bench keeps its data.
enum Database {
    /// A file in the run's temporary folder.
    Sqlite(PathBuf),
    /// A fresh database's URL.
    Postgres(String),
}

impl Database {
    async fn fresh(
        postgres: Option<&mut postgres::Postgres>,
        dir: &Path,
        part: &str,
    ) -> anyhow::Result<Database> {
        Ok(match postgres {
            Some(postgres) => Database::Postgres(postgres.fresh(part).await?),
            None => Database::Sqlite(dir.join(format!("{part}.db"))),
        })
    }

    /// The server's `--database`.
    fn arg(&self) -> OsString {
        match self {
            Database::Sqlite(path) => path.into(),
            Database::Postgres(url) => url.into(),
        }
    }
}

/// Everything but Lighthouse's page audit and `--scale`, on SQLite or on PostgreSQL.
async fn measure(
    options: &Options,
    root: &Path,
    binary: &Path,
    dir: &Path,
    mut postgres: Option<&mut postgres::Postgres>,
) -> anyhow::Result<Report> {
    let backend = match &postgres {
        Some(postgres) => postgres.description.clone(),
        None => "SQLite (the server's default: WAL, synchronous=FULL)".to_owned(),
    };
    let database = Database::fresh(postgres.as_deref_mut(), dir, "bench").await?;
    let seed_file = dir.join("seed.json");

    eprintln!(
        "bench: seeding {} notices, {} households, {} volunteers",
        options.notices, options.households, options.volunteers
    );
    let status = std::process::Command::new(binary)
        .args([
            "bench-seed",
            "--notices",
            &options.notices.to_string(),
            "--households",
            &options.households.to_string(),
            "--volunteers",
            &options.volunteers.to_string(),
            "--database",
        ])
        .arg(database.arg())
        .arg("--out")
        .arg(&seed_file)
        .status()?;
    anyhow::ensure!(status.success(), "bench-seed failed");
    let seeded: serde_json::Value = serde_json::from_slice(&std::fs::read(&seed_file)?)?;

    let server = Server::start(binary, &database.arg()).await?;
    let base = server.base.clone();
    let mut loads = Vec::new();
    let mut memory = Vec::new();
    let seconds = options.seconds;
    let cookie = sign_in(&base, &seeded).await?;
    let admin_cookie =
        sign_in_as(&base, &seeded["admin_username"], &seeded["admin_password"]).await?;
    memory.push(MemoryRow {
        phase: "idle (two sign-ins)".into(),
        rss_kib: server.rss_kib(),
    });

    // Before any write: the ledger at exactly the seeded number of households.
    eprintln!("bench: ledger filters");
    let ledger = ledger_loads(&base, &admin_cookie, &seeded, dir, seconds).await?;

    eprintln!("bench: board reads, interleaved with nginx");
    let board_first = format!("{base}/api/notices");
    let deep_page = options.notices.div_ceil(20).saturating_sub(1).max(1);
    let board_deep = format!("{base}/api/notices?page={deep_page}");
    let static_dir = dir.join("static");
    std::fs::create_dir_all(&static_dir)?;
    std::fs::write(
        static_dir.join("first.json"),
        reqwest::get(&board_first).await?.bytes().await?,
    )?;
    std::fs::write(
        static_dir.join("deep.json"),
        reqwest::get(&board_deep).await?.bytes().await?,
    )?;
    let port = free_port()?;
    let nginx = nginx::Nginx::start(&static_dir, &dir.join("nginx"), port)?;
    let nginx_url = |file: &str| format!("http://127.0.0.1:{port}/{file}");
    wait_until_up(&nginx_url("first.json")).await?;
    let round_seconds = (seconds / 2).max(1);
    let reads = |ours: &str, reference: &str, during: Option<&Path>| {
        let mut loads = interleaved(
            &[ours, reference],
            round_seconds,
            options.rounds,
            during,
            &base,
        )?;
        let reference = loads.pop().context("the reference's reads")?;
        let ours = loads.pop().context("our reads")?;
        anyhow::Ok((ours, reference))
    };
    let (first, nginx_first) = reads(&board_first, &nginx_url("first.json"), None)?;
    loads.push(Row {
        name: "board, first page: GET /api/notices".into(),
        ours: first,
        reference_name: Some("nginx, same JSON as a file".into()),
        reference: Some(nginx_first),
    });
    let (deep, nginx_deep) = reads(&board_deep, &nginx_url("deep.json"), None)?;
    loads.push(Row {
        name: format!("board, deep page: GET /api/notices?page={deep_page}"),
        ours: deep,
        reference_name: Some("nginx, same JSON as a file".into()),
        reference: Some(nginx_deep),
    });
    if let Database::Postgres(url) = &database {
        eprintln!("bench: board reads, two instances behind nginx");
        let instances = Instances {
            binary,
            database: url,
            first: &base,
            static_file: &static_dir.join("first.json"),
            static_url: &nginx_url("first.json"),
            dir,
        };
        loads.extend(instances.board_reads(round_seconds, options.rounds).await?);
    }

    eprintln!("bench: {} s of mixed reads", options.mixed_seconds);
    let mixed = mixed_reads(&base, &admin_cookie, &seeded, dir, options.mixed_seconds)?;
    loads.push(Row {
        name: "mixed reads: board, notices, ledger filters, households (staff)".into(),
        ours: mixed,
        reference_name: None,
        reference: None,
    });
    memory.push(MemoryRow {
        phase: format!("after {} s of mixed reads", options.mixed_seconds),
        rss_kib: server.rss_kib(),
    });

    eprintln!("bench: board reads during a write load");
    let script = dir.join("write.lua");
    std::fs::write(&script, write_script(&cookie, &base))?;
    let (first_busy, nginx_busy) = reads(&board_first, &nginx_url("first.json"), Some(&script))?;
    loads.push(Row {
        name: "board, first page, while staff create notices (4 connections)".into(),
        ours: first_busy,
        reference_name: Some("nginx, same JSON, same write load on ours".into()),
        reference: Some(nginx_busy),
    });
    drop(nginx);

    eprintln!("bench: writes");
    let writes = wrk::run(&wrk::Plan {
        url: &base,
        connections: 8,
        seconds,
        script: Some(&script),
    })?;
    let reference = sqlite_reference::inserts(
        dir,
        &sqlite_reference::NOTICE,
        Duration::from_secs(u64::from(seconds)),
    )
    .await?;
    loads.push(Row {
        name: "writes: POST /api/notices (staff, session, validation, Markdown, audit)".into(),
        ours: writes,
        reference_name: Some("plain SQLite insert, same row, WAL + synchronous=FULL".into()),
        reference: Some(reference),
    });

    eprintln!("bench: household registrations");
    let free_from = seeded["free_rooms_from"].as_i64().context("free rooms")?;
    let free_to = seeded["free_rooms_to"].as_i64().context("free rooms")?;
    // Two loads, two threads each: every thread registers its own run of free rooms.
    let per_thread = (free_to - free_from + 1) / 4;
    let household_reference = sqlite_reference::inserts(
        dir,
        &sqlite_reference::HOUSEHOLD,
        Duration::from_secs(u64::from(seconds)),
    )
    .await?;
    let door_script = dir.join("door.lua");
    std::fs::write(
        &door_script,
        registration_script(
            Registration::AtTheDoor { cookie: &cookie },
            "",
            free_from,
            per_thread,
            &base,
        ),
    )?;
    let door = wrk::run(&wrk::Plan {
        url: &base,
        connections: 8,
        seconds,
        script: Some(&door_script),
    })?;
    loads.push(Row {
        name: "register a household at the door: POST /api/residents/households (2 people)".into(),
        ours: door,
        reference_name: Some("plain SQLite: household, 2 members, audit row".into()),
        reference: Some(household_reference.clone()),
    });
    memory.push(MemoryRow {
        phase: "after notice and household writes".into(),
        rss_kib: server.rss_kib(),
    });
    let self_script = dir.join("self.lua");
    std::fs::write(
        &self_script,
        registration_script(
            Registration::SelfService,
            "",
            free_from + 2 * per_thread,
            per_thread,
            &base,
        ),
    )?;
    let self_service = wrk::run(&wrk::Plan {
        url: &base,
        connections: 8,
        seconds,
        script: Some(&self_script),
    })?;
    loads.push(Row {
        name: "self-registration: POST /api/residents/register (new account, argon2id)".into(),
        ours: self_service,
        reference_name: Some("plain SQLite: household, 2 members, audit row".into()),
        reference: Some(household_reference),
    });
    memory.push(MemoryRow {
        phase: "after self-registrations (argon2id)".into(),
        rss_kib: server.rss_kib(),
    });

    eprintln!("bench: volunteers racing for one shift");
    let sessions: Vec<String> = serde_json::from_value(seeded["volunteer_sessions"].clone())?;
    let shift_id = seeded["shift_id"].as_i64().context("shift id")?;
    let capacity = seeded["shift_capacity"].as_u64().context("capacity")?;
    let mut race = signups::race(&base, shift_id, capacity, &sessions).await?;

    let lighthouse = if options.lighthouse {
        eprintln!("bench: lighthouse");
        match lighthouse::audit(&format!("{base}/"), &root.join("target/bench-tools"), dir) {
            Ok(scores) => Some(scores),
            Err(e) => {
                eprintln!("bench: lighthouse did not run: {e:#}");
                None
            }
        }
    } else {
        None
    };
    server.stop().await;
    race.stored = signups::stored_counts(&database, shift_id).await.ok();

    eprintln!("bench: the board at 10,000 notices: search and live boards");
    let board_database = Database::fresh(postgres, dir, "board").await?;
    let board_seed_file = dir.join("board-seed.json");
    let status = std::process::Command::new(binary)
        .args(board_reach::seed_args(
            &board_database.arg(),
            &board_seed_file,
        ))
        .status()?;
    anyhow::ensure!(status.success(), "bench-seed (board) failed");
    let board_seeded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&board_seed_file)?)?;
    let board_server = Server::start(binary, &board_database.arg()).await?;
    let search = board_reach::search(&board_server.base, seconds).await?;
    let board_cookie = sign_in(&board_server.base, &board_seeded).await?;
    let live = board_reach::live(
        &board_server.base,
        &board_cookie,
        &options.live_boards,
        || board_server.rss_kib(),
    )
    .await?;
    board_server.stop().await;

    let report = Report {
        started_at: chrono::Utc::now(),
        machine: machine(),
        backend,
        seconds_per_load: seconds,
        seeded: serde_json::json!({
            "notices": seeded["notices"],
            "households": seeded["households"],
            "grids": seeded["grids"],
            "volunteers": sessions.len(),
        }),
        loads,
        shift_signups: Some(race),
        ledger,
        memory,
        frontend: std::fs::read(root.join("target/frontend/sizes.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(serde_json::Value::Null),
        lighthouse,
        search,
        live: Some(live),
    };
    Ok(report)
}

/// `--scale` alone: the street of 100 communities, its figures printed and written to
/// `bench-results/scale-<time>.json`.
async fn at_scale(
    root: &Path,
    binary: &Path,
    dir: &Path,
    sizes: &scale::Sizes,
    seconds: u32,
) -> anyhow::Result<()> {
    let started_at = chrono::Utc::now();
    let scale = scale::run(binary, dir, sizes, seconds).await?;
    println!("\nShouwang at scale, {} ({seconds} s per load)", machine());
    scale::print(&scale);
    let report = serde_json::json!({
        "started_at": started_at,
        "machine": machine(),
        "seconds_per_load": seconds,
        "registration_ratio": scale.registration_ratio(),
        "scale": scale,
    });
    write_results(root, "scale", started_at, &report)
}

/// Writes a run's figures to `bench-results/<kind>-<time>.json`.
fn write_results(
    root: &Path,
    kind: &str,
    started_at: chrono::DateTime<chrono::Utc>,
    report: &impl Serialize,
) -> anyhow::Result<()> {
    let out_dir = root.join("bench-results");
    std::fs::create_dir_all(&out_dir)?;
    let out = out_dir.join(format!(
        "{kind}-{}.json",
        started_at.format("%Y%m%dT%H%M%SZ")
    ));
    std::fs::write(&out, serde_json::to_vec_pretty(report)?)?;
    println!("\nwritten to {}", out.display());
    Ok(())
}

/// Reads of each of `urls` in alternating short rounds (ours, nginx, ours, nginx...), so
/// that a machine getting busier or quieter during the run weighs on all alike. With
/// `write_script`, a write load of 4 connections runs against our server during every
/// round of each. Requests per second and p50 are the rounds' means, p99 the worst
/// round's; one load per URL, in order.
fn interleaved(
    urls: &[&str],
    seconds: u32,
    rounds: u32,
    write_script: Option<&Path>,
    base: &str,
) -> anyhow::Result<Vec<wrk::Load>> {
    let mut runs: Vec<Vec<wrk::Load>> = urls.iter().map(|_| Vec::new()).collect();
    for _ in 0..rounds {
        for (url, into) in urls.iter().zip(&mut runs) {
            let writer = write_script.map(|script| {
                let (script, base) = (script.to_owned(), base.to_owned());
                std::thread::spawn(move || {
                    wrk::run(&wrk::Plan {
                        url: &base,
                        connections: 4,
                        seconds,
                        script: Some(&script),
                    })
                })
            });
            into.push(wrk::run(&wrk::Plan {
                url,
                connections: 32,
                seconds,
                script: None,
            })?);
            if let Some(writer) = writer {
                writer
                    .join()
                    .map_err(|_| anyhow::anyhow!("the write load panicked"))??;
            }
        }
    }
    Ok(runs.iter().map(|r| wrk::Load::combine(r)).collect())
}

/// On PostgreSQL, what several instances on one database give: a second instance beside
/// the first, and nginx in front as it would be deployed.
struct Instances<'a> {
    binary: &'a Path,
    database: &'a str,
    /// The instance the rest of the bench measures.
    first: &'a str,
    /// The board's first page as a file, and nginx serving it: the reference.
    static_file: &'a Path,
    static_url: &'a str,
    dir: &'a Path,
}

impl Instances<'_> {
    /// The board's first page through nginx in front of both instances (round-robin,
    /// kept-alive upstream connections), through the same nginx to the first alone, and
    /// from the first directly, interleaved with nginx's static file of the same JSON.
    async fn board_reads(&self, seconds: u32, rounds: u32) -> anyhow::Result<Vec<Row>> {
        let second = Server::start(self.binary, std::ffi::OsStr::new(self.database)).await?;
        let both_port = free_port()?;
        let one_port = loop {
            let port = free_port()?;
            if port != both_port {
                break port;
            }
        };
        let balancer = nginx::Nginx::balancer(
            &self.dir.join("balancer"),
            &[
                (both_port, vec![self.first.to_owned(), second.base.clone()]),
                (one_port, vec![self.first.to_owned()]),
            ],
        )?;
        let board = |base: &str| format!("{base}/api/notices");
        let through_both = board(&format!("http://127.0.0.1:{both_port}"));
        let through_one = board(&format!("http://127.0.0.1:{one_port}"));
        wait_until_up(&through_both).await?;
        wait_until_up(&through_one).await?;
        // Every way in answers what nginx serves as the file, the second instance included.
        let expected = std::fs::read(self.static_file)?;
        for url in [
            board(&second.base),
            through_both.clone(),
            through_one.clone(),
        ] {
            let body = reqwest::get(&url)
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            anyhow::ensure!(
                body == expected,
                "{url} answers other than the board's file"
            );
        }
        let direct = board(self.first);
        let mut loads = interleaved(
            &[&through_both, &through_one, &direct, self.static_url],
            seconds,
            rounds,
            None,
            self.first,
        )?
        .into_iter();
        drop(balancer);
        second.stop().await;
        let names = [
            "board, 2 instances behind nginx, round-robin",
            "board, 1 instance behind the same nginx",
            "board, 1 instance direct, same rounds",
        ];
        let ours: Vec<wrk::Load> = loads.by_ref().take(names.len()).collect();
        let reference = loads.next().context("the static file's reads")?;
        Ok(names
            .into_iter()
            .zip(ours)
            .map(|(name, ours)| Row {
                name: format!("{name}: GET /api/notices"),
                ours,
                reference_name: Some("nginx, same JSON as a file, same rounds".into()),
                reference: Some(reference.clone()),
            })
            .collect())
    }
}

/// What a busy morning reads: the board and a notice (anyone), the ledger's first pages
/// and filters (staff), one request after another on 8 connections.
fn mixed_reads(
    base: &str,
    cookie: &str,
    seeded: &serde_json::Value,
    dir: &Path,
    seconds: u32,
) -> anyhow::Result<wrk::Load> {
    let grid = &seeded["sample_grid_id"];
    let building = &seeded["sample_building_id"];
    let paths = [
        "/api/notices".to_owned(),
        "/api/notices?page=3".into(),
        "/api/notices/1".into(),
        "/api/board/search?q=%E6%A0%B8%E9%85%B8".into(),
        "/api/residents/households".into(),
        "/api/residents/households?page=40".into(),
        format!("/api/residents/households?grid_id={grid}"),
        format!("/api/residents/households?building_id={building}"),
        "/api/residents/households?group=elderly_alone".into(),
        "/api/residents/households?q=%E7%8E%8B".into(),
        "/api/residents/households/1".into(),
    ];
    let list = paths
        .iter()
        .map(|p| format!("\"{p}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let script = dir.join("mixed.lua");
    std::fs::write(
        &script,
        format!(
            r#"local paths = {{ {list} }}
local counter = 0
wrk.headers["Cookie"] = "{cookie}"
function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter % #paths + 1])
end
"#
        ),
    )?;
    wrk::run(&wrk::Plan {
        url: base,
        connections: 8,
        seconds,
        script: Some(&script),
    })
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

async fn wait_until_up(url: &str) -> anyhow::Result<()> {
    for _ in 0..50 {
        if reqwest::get(url)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("{url} did not come up")
}

/// Signs in as the seeded staff account; returns the `name=value` of the session cookie.
async fn sign_in(base: &str, seeded: &serde_json::Value) -> anyhow::Result<String> {
    sign_in_as(base, &seeded["staff_username"], &seeded["staff_password"]).await
}

async fn sign_in_as(
    base: &str,
    username: &serde_json::Value,
    password: &serde_json::Value,
) -> anyhow::Result<String> {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({ "username": username, "password": password }))
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "bench sign-in: {}",
        response.status()
    );
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .context("no session cookie")?;
    Ok(cookie.to_owned())
}

/// Each request creates a different notice as the signed-in staff member, from our origin.
fn write_script(cookie: &str, origin: &str) -> String {
    format!(
        r#"local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function request()
  counter = counter + 1
  local body = string.format('{{"title":"压测通知 %d-%d","body":"请各位居民**按时**参加核酸检测。"}}', id, counter)
  return wrk.format("POST", "/api/notices", {{
    ["Content-Type"] = "application/json",
    ["Cookie"] = "{cookie}",
    ["Origin"] = "{origin}",
  }}, body)
end
"#
    )
}

enum Registration<'a> {
    /// A grid worker at the door, signed in.
    AtTheDoor { cookie: &'a str },
    /// A resident on their phone: creates the account too.
    SelfService,
}

/// Each wrk thread registers households of two in its own run of free rooms.
fn registration_script(
    kind: Registration<'_>,
    prefix: &str,
    first_room: i64,
    per_thread: i64,
    origin: &str,
) -> String {
    let members = r#"[{"name":"住户%d","phone":"138%08d","relation":"self","birth_year":1950,"groups":["elderly_alone"]},{"name":"家属%d","relation":"spouse","birth_year":1952}]"#;
    let (path, body, cookie) = match kind {
        Registration::AtTheDoor { cookie } => (
            "/api/residents/households",
            format!(
                r#"string.format('{{"room_id":%d,"members":{members}}}', room, room, room, room)"#
            ),
            format!(r#"["Cookie"] = "{cookie}","#),
        ),
        Registration::SelfService => (
            "/api/residents/register",
            format!(
                r#"string.format('{{"room_id":%d,"phone":"136%08d","password":"bench-password-%d","consent_notice":true,"members":{members}}}', room, room, room, room, room, room)"#
            ),
            // Registrations are limited per address: each request comes from its own
            // (the server trusts the bench as its proxy), so the figure is the server's.
            r#"["X-Forwarded-For"] = string.format("10.%d.%d.%d", id, math.floor(counter / 250) % 250, counter % 250),"#.to_owned(),
        ),
    };
    format!(
        r#"local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function request()
  counter = counter + 1
  local room = {first_room} + (id - 1) * {per_thread} + counter % {per_thread}
  local body = {body}
  return wrk.format("POST", "{prefix}{path}", {{
    ["Content-Type"] = "application/json",
    {cookie}
    ["Origin"] = "{origin}",
  }}, body)
end
"#
    )
}

/// Every ledger filter at the seeded size, as the admin (all grids), for a short fixed time.
async fn ledger_loads(
    base: &str,
    cookie: &str,
    seeded: &serde_json::Value,
    dir: &Path,
    seconds: u32,
) -> anyhow::Result<Vec<LedgerRow>> {
    let grid = &seeded["sample_grid_id"];
    let building = &seeded["sample_building_id"];
    let filters = [
        "".to_owned(),
        format!("grid_id={grid}"),
        format!("building_id={building}"),
        "group=elderly_alone".into(),
        "risk=risk_area_return".into(),
        "observation=active".into(),
        "source=self".into(),
        "last_visit=never".into(),
        "last_visit=within_7_days".into(),
        "q=%E7%8E%8B".into(),
        "group=elderly_alone&source=staff&last_visit=over_7_days".into(),
        "page=200".into(),
    ];
    let script = dir.join("ledger.lua");
    std::fs::write(&script, format!("wrk.headers[\"Cookie\"] = \"{cookie}\"\n"))?;
    let client = reqwest::Client::new();
    let mut rows = Vec::new();
    for filter in filters {
        let url = format!("{base}/api/residents/households?{filter}");
        let page: serde_json::Value = client
            .get(&url)
            .header("cookie", cookie)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let load = wrk::run(&wrk::Plan {
            url: &url,
            connections: 4,
            seconds: (seconds / 2).max(2),
            script: Some(&script),
        })?;
        rows.push(LedgerRow {
            filter: if filter.is_empty() {
                "(none)".into()
            } else {
                filter
            },
            total: page["total"].as_u64().unwrap_or(0),
            load,
        });
    }
    Ok(rows)
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_default();
    format!("{cores} cores, {cpu}")
}

fn print_table(report: &Report) {
    println!(
        "\nShouwang benchmark on {}, {} ({} s per load)\n",
        report.backend, report.machine, report.seconds_per_load
    );
    println!(
        "| {:<72} | {:>10} | {:>8} | {:>8} | {:>7} | {:<52} | {:>10} | {:>8} | {:>8} | {:>10} |",
        "load",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "reference",
        "ref req/s",
        "ref p50",
        "ref p99",
        "ours/ref"
    );
    println!("|{}|", ["-"; 10].map(|_| "----").join("|"));
    for row in &report.loads {
        let (rname, rrps, rp50, rp99, ratio) = match (&row.reference_name, &row.reference) {
            (Some(name), Some(r)) => (
                name.clone(),
                format!("{:.0}", r.requests_per_second),
                format!("{:.2}", r.p50_ms),
                format!("{:.2}", r.p99_ms),
                format!(
                    "{:.2}",
                    row.ours.requests_per_second / r.requests_per_second
                ),
            ),
            _ => Default::default(),
        };
        println!(
            "| {:<72} | {:>10.0} | {:>8.2} | {:>8.2} | {:>7} | {:<52} | {:>10} | {:>8} | {:>8} | {:>10} |",
            row.name,
            row.ours.requests_per_second,
            row.ours.p50_ms,
            row.ours.p99_ms,
            row.ours.errors,
            rname,
            rrps,
            rp50,
            rp99,
            ratio
        );
    }
    if let Some(race) = &report.shift_signups {
        println!(
            "\n{} volunteers sign up for one shift of {} places, {} at a time: {:.0} ms ({:.0} sign-ups/s, p50 {:.1} ms, p99 {:.1} ms); answered: {} signed up, {} waitlisted, {} errors; stored: {}",
            race.volunteers,
            race.capacity,
            race.in_flight,
            race.elapsed_ms,
            race.per_second,
            race.p50_ms,
            race.p99_ms,
            race.signed_up,
            race.waitlisted,
            race.errors,
            race.stored.as_ref().map_or_else(
                || "unknown".to_owned(),
                |s| format!(
                    "{} signed up, {} waitlisted, {} overbooked",
                    s.signed_up,
                    s.waitlisted,
                    s.signed_up.saturating_sub(race.capacity)
                )
            ),
        );
    }
    if !report.ledger.is_empty() {
        println!(
            "\nledger at {} households (admin, all grids, first page of 20 unless paged):\n",
            report.seeded["households"]
        );
        println!(
            "| {:<58} | {:>7} | {:>8} | {:>8} | {:>8} |",
            "filter", "total", "req/s", "p50 ms", "p99 ms"
        );
        println!("|{}|", ["-"; 5].map(|_| "----").join("|"));
        for row in &report.ledger {
            println!(
                "| {:<58} | {:>7} | {:>8.0} | {:>8.2} | {:>8.2} |",
                row.filter,
                row.total,
                row.load.requests_per_second,
                row.load.p50_ms,
                row.load.p99_ms
            );
        }
    }
    if !report.search.is_empty() {
        println!("\nsearch over 10,000 notices (4 connections):\n");
        println!(
            "| {:<20} | {:>6} | {:>8} | {:>8} | {:>8} |",
            "query", "hits", "req/s", "p50 ms", "p99 ms"
        );
        println!("|{}|", ["-"; 5].map(|_| "----").join("|"));
        for row in &report.search {
            println!(
                "| {:<20} | {:>6} | {:>8.0} | {:>8.2} | {:>8.2} |",
                row.query, row.hits, row.load.requests_per_second, row.load.p50_ms, row.load.p99_ms
            );
        }
    }
    let mib = |kib: Option<u64>| {
        kib.map_or_else(
            || "unknown".to_owned(),
            |k| format!("{:.1} MiB", k as f64 / 1024.0),
        )
    };
    if let Some(live) = &report.live {
        println!(
            "\nlive boards (server memory before: {})",
            mib(live.rss_before_kib)
        );
        for row in &live.steps {
            println!(
                "live boards: {:>5} open, a new notice reached them in p50 {:.0} ms, p99 {:.0} ms, last {:.0} ms; server memory {} ({:.1} KiB per board over before)",
                row.subscribers,
                row.p50_ms,
                row.p99_ms,
                row.last_ms,
                mib(row.rss_kib),
                (row.rss_kib.unwrap_or(0) as f64 - live.rss_before_kib.unwrap_or(0) as f64)
                    / row.subscribers.max(1) as f64
            );
        }
        println!(
            "live boards: all closed, 5 s later: server memory {}",
            mib(live.rss_after_kib)
        );
    }
    println!("\nserver memory (VmRSS) per phase:\n");
    for row in &report.memory {
        println!("| {:<48} | {:>12} |", row.phase, mib(row.rss_kib));
    }
    if let Some(wasm) = report.frontend.get("wasm") {
        println!(
            "front-end wasm: {} bytes raw, {} brotli",
            wasm["raw"], wasm["brotli"]
        );
    }
    if let Some(l) = &report.lighthouse {
        println!(
            "lighthouse (mobile): performance {:.0}, accessibility {:.0}, best practices {:.0}, FCP {:.0} ms, LCP {:.0} ms, TBT {:.0} ms",
            l.performance,
            l.accessibility,
            l.best_practices,
            l.first_contentful_paint_ms,
            l.largest_contentful_paint_ms,
            l.total_blocking_time_ms
        );
    }
}
