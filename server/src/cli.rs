//! The `shouwang` command: `serve` (the default), `create-user`.

use crate::clock::Clock;
use crate::config::{DatabaseArgs, ServeArgs, Settings};
use crate::db::{self, Db};
use crate::{app, demo, domain};
use anyhow::Context;
use clap::{Parser, Subcommand};
use shouwang_api::auth::Role;
use shouwang_api::users::NewUserRequest;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "shouwang",
    version,
    about = "守望 Shouwang: community epidemic response platform"
)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(flatten)]
    database: DatabaseArgs,

    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web app and the API (the default).
    Serve(ServeArgs),
    /// Create an account. The password is read from standard input, never from arguments.
    CreateUser(CreateUserArgs),
    /// Copy the database, consistently, while the server keeps running.
    Backup(BackupArgs),
    /// Fill an empty database for `cargo xtask bench` (not for real use).
    #[command(hide = true)]
    BenchSeed(BenchSeedArgs),
}

#[derive(Debug, clap::Args)]
struct BenchSeedArgs {
    #[arg(long, default_value_t = 500)]
    notices: usize,
    #[arg(long, default_value_t = 10_000)]
    households: usize,
    #[arg(long, default_value_t = 200)]
    volunteers: usize,
    /// Where to write the sign-in details the benchmark uses.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct BackupArgs {
    /// Where to write the copy; must not exist yet.
    file: PathBuf,
}

#[derive(Debug, clap::Args)]
struct CreateUserArgs {
    #[arg(long, value_parser = ["admin", "staff", "volunteer", "resident"])]
    role: String,
    #[arg(long)]
    username: String,
    /// The name others see; defaults to the username.
    #[arg(long)]
    display_name: Option<String>,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Some(Command::Serve(args)) => serve(cli.database, args).await,
            None => serve(cli.database, cli.serve).await,
            Some(Command::CreateUser(args)) => create_user(cli.database, args).await,
            Some(Command::Backup(args)) => backup(cli.database, args).await,
            Some(Command::BenchSeed(args)) => bench_seed(cli.database, args).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(database: DatabaseArgs, args: ServeArgs) -> anyhow::Result<()> {
    app::init_tracing();
    let db = Db::open(&database.database, database.durability)
        .await
        .with_context(|| format!("opening the database {}", database.database.display()))?;
    let clock = args.test_now.map_or_else(Clock::system, Clock::starting_at);
    clock.use_settings(&crate::db::shifts::settings(db.reader()).await?);
    let demo_accounts = if args.demo {
        Some(
            demo::prepare(&db, &clock)
                .await
                .context("preparing the demo community")?,
        )
    } else {
        None
    };
    let settings = Settings::from_args(&args);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    let local = listener.local_addr()?;
    // Tests and scripts read this line to learn the port when started on port 0.
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Shouwang listening on http://{local}");
        let _ = out.flush();
    }
    if let Some(accounts) = demo_accounts {
        demo::print_sign_ins(&accounts, local);
    }
    app::serve(listener, db, settings, clock).await
}

async fn create_user(database: DatabaseArgs, args: CreateUserArgs) -> anyhow::Result<()> {
    let password = read_password()?;
    let role = args
        .role
        .parse::<Role>()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let request = NewUserRequest {
        display_name: args.display_name.unwrap_or_else(|| args.username.clone()),
        username: args.username,
        // The shared validation is for accounts admins create (staff); a resident or
        // volunteer made here (for tests, or at the office for someone without a
        // smartphone) passes the same checks and must sign in with a mobile number.
        role: if role.is_staff() { role } else { Role::Staff },
        password,
    };
    let mut account = request.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
    if !role.is_staff() {
        anyhow::ensure!(
            shouwang_api::text::is_mainland_mobile(account.username.as_str()),
            "residents and volunteers sign in with a mainland mobile number"
        );
        account.role = role;
    }
    let db = Db::open(&database.database, database.durability).await?;
    let hash = domain::passwords::hash_blocking(account.password.expose())?;
    let id = db::users::insert(&db, &account, &hash, None, Clock::system().now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    db.close().await;
    println!(
        "created {} account {} (id {id})",
        account.role, account.username
    );
    Ok(())
}

async fn bench_seed(database: DatabaseArgs, args: BenchSeedArgs) -> anyhow::Result<()> {
    let db = Db::open(&database.database, database.durability).await?;
    let seeded = demo::bench::seed(
        &db,
        &Clock::system(),
        demo::bench::Sizes {
            notices: args.notices,
            households: args.households,
            volunteers: args.volunteers,
        },
    )
    .await?;
    db.close().await;
    std::fs::write(&args.out, serde_json::to_vec_pretty(&seeded)?)?;
    Ok(())
}

async fn backup(database: DatabaseArgs, args: BackupArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bytes = db::backup::copy(&database.database, &args.file).await?;
    println!(
        "backed up {} to {} ({bytes} bytes, integrity ok) in {:.1?}",
        database.database.display(),
        args.file.display(),
        started.elapsed()
    );
    Ok(())
}

/// From a terminal: asked twice without echo. From a pipe: the first line.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        anyhow::ensure!(first == second, "the passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
