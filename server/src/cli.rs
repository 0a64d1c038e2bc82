//! The `shouwang` command: `serve` (the default), `create-user`.

use crate::clock::Clock;
use crate::config::{DatabaseArgs, ServeArgs, Settings, Store};
use crate::db;
use crate::state::Shared;
use crate::tenancy::{self, Deployment, Tenant};
use crate::{app, demo, domain, ops};
use anyhow::Context;
use clap::{Parser, Subcommand};
use shouwang_api::auth::Role;
use shouwang_api::community::ImportInput;
use shouwang_api::deployment::{
    CommunityKind, NewCommunityRequest, NewOperatorRequest, NewStreetRequest, OperatorRole,
};
use shouwang_api::users::NewUserRequest;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

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
    /// Copy this SQLite deployment (every community) into an empty PostgreSQL database,
    /// verifying each table's rows and checksum.
    Migrate(MigrateArgs),
    /// Add a street (街道/乡镇) to the deployment.
    CreateStreet(CreateStreetArgs),
    /// Add a community (or village) with its first admin; the admin's password is read
    /// from standard input.
    CreateCommunity(CreateCommunityArgs),
    /// Add an operator (deployment admin or street staff); the password is read from
    /// standard input.
    CreateOperator(CreateOperatorArgs),
    /// Import a community's grids, buildings, units and rooms from CSV
    /// (`网格,楼栋,单元,房号`, one room per line).
    ImportStructure(ImportStructureArgs),
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
    /// Communities of one street, each with `--households` households; the first also
    /// holds the notices and volunteers. More than one makes the database a deployment.
    #[arg(long, default_value_t = 1)]
    communities: usize,
    /// Where to write the sign-in details the benchmark uses.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct CreateStreetArgs {
    #[arg(long)]
    name: String,
}

#[derive(Debug, clap::Args)]
struct CreateCommunityArgs {
    /// The street's name.
    #[arg(long)]
    street: String,
    /// Its address: /c/<slug>/ (lower-case letters, digits, hyphens).
    #[arg(long)]
    slug: String,
    #[arg(long)]
    name: String,
    /// A village (村) rather than a community (社区).
    #[arg(long)]
    village: bool,
    #[arg(long)]
    admin_username: String,
    #[arg(long)]
    admin_display_name: Option<String>,
}

#[derive(Debug, clap::Args)]
struct CreateOperatorArgs {
    #[arg(long, value_parser = ["deployment-admin", "street-staff"])]
    role: String,
    /// The street a street staff member works for (its name).
    #[arg(long)]
    street: Option<String>,
    #[arg(long)]
    username: String,
    #[arg(long)]
    display_name: Option<String>,
}

#[derive(Debug, clap::Args)]
struct ImportStructureArgs {
    /// The community's slug.
    #[arg(long)]
    community: String,
    /// The CSV file.
    file: PathBuf,
}

#[derive(Debug, clap::Args)]
struct MigrateArgs {
    /// The empty PostgreSQL database: postgres://user:password@host:port/name
    #[arg(long)]
    to: String,
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
    /// The community (its slug); the deployment's first community when absent.
    #[arg(long)]
    community: Option<String>,
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
            Some(Command::Migrate(args)) => migrate(cli.database, args).await,
            Some(Command::CreateStreet(args)) => create_street(cli.database, args).await,
            Some(Command::CreateCommunity(args)) => create_community(cli.database, args).await,
            Some(Command::CreateOperator(args)) => create_operator(cli.database, args).await,
            Some(Command::ImportStructure(args)) => import_structure(cli.database, args).await,
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
    let clock = args.test_now.map_or_else(Clock::system, Clock::starting_at);
    let deployment = open_deployment(&database, Settings::from_args(&args), clock).await?;
    let demo = if args.demo {
        Some(
            demo::deployment::prepare(&deployment)
                .await
                .context("preparing the demo street and its communities")?,
        )
    } else {
        None
    };
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
    if let Some(demo) = demo {
        demo::deployment::print_sign_ins(&demo, local);
    }
    app::serve(listener, deployment).await
}

/// The deployment whose own file `--database` names, opened and migrated.
async fn open_deployment(
    database: &DatabaseArgs,
    settings: Settings,
    clock: Clock,
) -> anyhow::Result<Arc<Deployment>> {
    let db = tenancy::open_home(&database.database, database.durability)
        .await
        .with_context(|| format!("opening the database {}", database.database))?;
    let shared = Shared::new(settings, &db);
    Ok(Deployment::open(
        db,
        &database.database,
        database.durability,
        shared,
        clock,
        app::community_router,
    )
    .await?)
}

async fn tenant(deployment: &Arc<Deployment>, slug: Option<&str>) -> anyhow::Result<Tenant> {
    match slug {
        None => Ok(deployment.root().await?),
        Some(slug) => deployment
            .by_slug(slug)
            .await?
            .with_context(|| format!("there is no community {slug}")),
    }
}

async fn street_id(deployment: &Deployment, name: &str) -> anyhow::Result<i64> {
    db::catalog::street_by_name(deployment.catalog(), name)
        .await?
        .with_context(|| format!("there is no street named {name}"))
}

async fn create_street(database: DatabaseArgs, args: CreateStreetArgs) -> anyhow::Result<()> {
    let deployment = open_deployment(&database, Settings::default(), Clock::system()).await?;
    let request = NewStreetRequest { name: args.name };
    let name = request.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = deployment.catalog().db().begin().await?;
    let id = db::catalog::insert_street(&mut tx, &name, deployment.now())
        .await?
        .with_context(|| format!("a street named {name} exists already"))?;
    tx.commit().await?;
    tenancy::close(&deployment).await;
    println!("created the street {name} (id {id})");
    Ok(())
}

async fn create_community(database: DatabaseArgs, args: CreateCommunityArgs) -> anyhow::Result<()> {
    let password = read_password()?;
    let deployment = open_deployment(&database, Settings::default(), Clock::system()).await?;
    let request = NewCommunityRequest {
        street_id: street_id(&deployment, &args.street).await?,
        slug: args.slug,
        name: args.name,
        kind: if args.village {
            CommunityKind::Village
        } else {
            CommunityKind::Community
        },
        admin_display_name: args
            .admin_display_name
            .unwrap_or_else(|| args.admin_username.clone()),
        admin_username: args.admin_username,
        admin_password: password,
    };
    let created = ops::deployment::create_community(&deployment, None, &request)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tenancy::close(&deployment).await;
    println!(
        "created {} at {} (id {}); its admin is {}",
        created.name, created.path, created.id, request.admin_username
    );
    Ok(())
}

async fn create_operator(database: DatabaseArgs, args: CreateOperatorArgs) -> anyhow::Result<()> {
    let password = read_password()?;
    let deployment = open_deployment(&database, Settings::default(), Clock::system()).await?;
    let street_id = match &args.street {
        Some(name) => Some(street_id(&deployment, name).await?),
        None => None,
    };
    let request = NewOperatorRequest {
        display_name: args.display_name.unwrap_or_else(|| args.username.clone()),
        username: args.username,
        role: if args.role == "street-staff" {
            OperatorRole::StreetStaff
        } else {
            OperatorRole::DeploymentAdmin
        },
        street_id,
        password,
    };
    let created = ops::deployment::create_operator(&deployment, None, &request)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tenancy::close(&deployment).await;
    println!(
        "created the operator {} (id {})",
        created.username, created.id
    );
    Ok(())
}

async fn import_structure(database: DatabaseArgs, args: ImportStructureArgs) -> anyhow::Result<()> {
    let csv = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let rows = ImportInput { csv }
        .validate()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let deployment = open_deployment(&database, Settings::default(), Clock::system()).await?;
    let tenant = tenant(&deployment, Some(&args.community)).await?;
    let result = ops::structure::import(&tenant.state.db, &rows, None, deployment.now()).await?;
    tenancy::close(&deployment).await;
    println!(
        "imported into {}: {} grids, {} buildings, {} units, {} rooms added",
        tenant.community.name, result.grids, result.buildings, result.units, result.rooms
    );
    Ok(())
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
    let deployment = open_deployment(&database, Settings::default(), Clock::system()).await?;
    let tenant = tenant(&deployment, args.community.as_deref()).await?;
    let hash = domain::passwords::hash_blocking(account.password.expose())?;
    let id = db::users::insert(&tenant.state.db, &account, &hash, None, deployment.now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tenancy::close(&deployment).await;
    println!(
        "created {} account {} (id {id})",
        account.role, account.username
    );
    Ok(())
}

async fn bench_seed(database: DatabaseArgs, args: BenchSeedArgs) -> anyhow::Result<()> {
    let sizes = demo::bench::Sizes {
        notices: args.notices,
        households: args.households,
        volunteers: args.volunteers,
    };
    let credentials = demo::bench::Credentials::new()?;
    let seeded = if args.communities > 1 {
        let deployment = open_deployment(&database, Settings::default(), Clock::system()).await?;
        let seeded =
            demo::bench::seed_street(&deployment, sizes, args.communities, &credentials).await;
        tenancy::close(&deployment).await;
        seeded?
    } else {
        let db = tenancy::open_home(&database.database, database.durability).await?;
        let seeded = demo::bench::seed(&db, &Clock::system(), sizes, &credentials).await;
        db.close().await;
        seeded?
    };
    std::fs::write(&args.out, serde_json::to_vec_pretty(&seeded)?)?;
    Ok(())
}

async fn migrate(database: DatabaseArgs, args: MigrateArgs) -> anyhow::Result<()> {
    let Store::Sqlite(path) = &database.database else {
        anyhow::bail!("--database names the SQLite deployment to copy; --to the PostgreSQL one");
    };
    let target: Store = args.to.parse().map_err(anyhow::Error::msg)?;
    let Store::Postgres(url) = &target else {
        anyhow::bail!("--to must be a postgres:// URL");
    };
    let started = std::time::Instant::now();
    let copied = db::migrate::sqlite_to_postgres(path, url).await?;
    for table in &copied {
        println!(
            "{}.{}: {} rows, checksum {} (verified)",
            table.schema,
            table.table,
            table.rows,
            &table.checksum[..16]
        );
    }
    let schemas: std::collections::BTreeSet<&str> =
        copied.iter().map(|t| t.schema.as_str()).collect();
    println!(
        "copied {} rows in {} tables of {} schemas to {target} in {:.1?}; every count and checksum matches",
        copied.iter().map(|t| t.rows).sum::<u64>(),
        copied.len(),
        schemas.len(),
        started.elapsed()
    );
    Ok(())
}

async fn backup(database: DatabaseArgs, args: BackupArgs) -> anyhow::Result<()> {
    let Store::Sqlite(path) = &database.database else {
        anyhow::bail!(
            "shouwang backup copies SQLite files; back up a PostgreSQL database with pg_dump \
             (and WAL archiving for point-in-time recovery): see the README"
        );
    };
    let started = std::time::Instant::now();
    let copies = db::backup::copy_deployment(path, &args.file).await?;
    for (file, bytes) in &copies {
        println!(
            "backed up to {} ({bytes} bytes, integrity ok)",
            file.display()
        );
    }
    println!(
        "backed up {} and its {} other communities in {:.1?}",
        path.display(),
        copies.len() - 1,
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
