//! Typed settings, read from the command line and `SHOUWANG_*` environment variables.

use crate::auth::rate_limit::Quota;
use clap::{Args, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Where the data lives. Applies to every subcommand.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Where the data lives: a SQLite file (a path, or `sqlite:<path>`), created with its
    /// schema when missing; or a PostgreSQL database (`postgres://user@host/db`), which
    /// must exist and may be empty.
    #[arg(
        long,
        env = "SHOUWANG_DATABASE",
        default_value = "./shouwang.db",
        global = true
    )]
    pub database: Store,

    /// How hard SQLite works to keep each committed write. `full`: a write the server
    /// acknowledged survives a power cut. `normal`: faster; it survives a crash of the
    /// server process, but the last writes may be lost if the machine loses power.
    #[arg(long, env = "SHOUWANG_DURABILITY", value_enum, default_value_t = Durability::Full, global = true)]
    pub durability: Durability,
}

/// The database a deployment keeps its data in.
#[derive(Clone, PartialEq, Eq)]
pub enum Store {
    /// The deployment's own SQLite file; each other community's file lives beside it in
    /// `<file>.communities/`.
    Sqlite(PathBuf),
    /// A PostgreSQL database; each community has a schema of its own in it.
    Postgres(String),
}

impl std::str::FromStr for Store {
    type Err = String;

    fn from_str(value: &str) -> Result<Store, String> {
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            return Ok(Store::Postgres(value.to_owned()));
        }
        let path = value
            .strip_prefix("sqlite://")
            .or_else(|| value.strip_prefix("sqlite:"))
            .unwrap_or(value);
        if path.is_empty() {
            return Err("give a file path, a sqlite: URL or a postgres:// URL".to_owned());
        }
        Ok(Store::Sqlite(PathBuf::from(path)))
    }
}

/// As it may be printed and logged: a PostgreSQL URL without its password.
impl std::fmt::Display for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Store::Sqlite(path) => write!(f, "{}", path.display()),
            Store::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) if parsed.password().is_some() => {
                    let _ = parsed.set_password(Some("***"));
                    write!(f, "{parsed}")
                }
                Ok(parsed) => write!(f, "{parsed}"),
                Err(_) => f.write_str("postgres://(unreadable URL)"),
            },
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Durability {
    Full,
    Normal,
}

/// `shouwang serve`, also what runs without a subcommand.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The address to listen on. Use port 0 for any free port.
    #[arg(long, env = "SHOUWANG_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Fill an empty database with a demo community and print the demo sign-ins.
    #[arg(long, env = "SHOUWANG_DEMO")]
    pub demo: bool,

    /// Behind a reverse proxy: take the client address from the last `X-Forwarded-For`
    /// entry and the host from `X-Forwarded-Host`. Only set this when a proxy you run
    /// sets those headers, or clients can choose their own address.
    #[arg(long, env = "SHOUWANG_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// How long a sign-in lasts, in hours.
    #[arg(long, env = "SHOUWANG_SESSION_HOURS", default_value_t = 168)]
    pub session_hours: u32,

    /// Resident registrations and volunteer sign-ups one address may make at once (then
    /// one every 15 s). Raise it for a registration day on a community office's shared
    /// Wi-Fi, where a whole building signs up from one address.
    #[arg(long, env = "SHOUWANG_SIGN_UPS_PER_ADDRESS", default_value_t = 20)]
    pub sign_ups_per_address: u32,

    /// Board submissions one address may send at once from visitors and from accounts in
    /// their first day (then one every 5 minutes). Raise it with the sign-ups above.
    #[arg(
        long,
        env = "SHOUWANG_NEW_SUBMISSIONS_PER_ADDRESS",
        default_value_t = 3
    )]
    pub new_submissions_per_address: u32,

    /// Seconds between housekeeping rounds: announced zone changes that have started,
    /// observation periods that have ended, expired sign-ins. Tests shorten it.
    #[arg(
        long,
        env = "SHOUWANG_HOUSEKEEPING_SECONDS",
        default_value_t = 60,
        hide = true
    )]
    pub housekeeping_seconds: u32,

    /// Tests only: start the server's clock at this instant (RFC 3339) instead of now, to
    /// test what people read at 00:30 or 23:30 in the community.
    #[arg(long, env = "SHOUWANG_TEST_NOW", hide = true)]
    pub test_now: Option<chrono::DateTime<chrono::Utc>>,

    /// Tests only, never in production: mounts `POST /api/test/clock` (set or advance the
    /// server's clock) and `POST /api/test/run-due` (run the background jobs once), open
    /// to anyone who can reach the server; the jobs then run only when a test asks.
    #[arg(long, hide = true)]
    pub test_hooks: bool,
}

/// Everything the running server needs to know, in one place.
#[derive(Debug, Clone)]
pub struct Settings {
    pub trust_proxy: bool,
    pub session_ttl: Duration,
    pub limits: Limits,
    pub housekeeping_every: Duration,
    /// The test-only endpoints under `/api/test/` (`serve --test-hooks`).
    pub test_hooks: bool,
}

impl Settings {
    pub fn from_args(args: &ServeArgs) -> Self {
        Settings {
            trust_proxy: args.trust_proxy,
            session_ttl: Duration::from_secs(u64::from(args.session_hours.max(1)) * 3600),
            limits: Limits {
                sign_up_per_address: Quota::new(args.sign_ups_per_address, SIGN_UP_PERIOD),
                anonymous_submissions_per_address: Quota::new(
                    args.new_submissions_per_address,
                    ANONYMOUS_SUBMISSION_PERIOD,
                ),
                ..Limits::default()
            },
            housekeeping_every: Duration::from_secs(u64::from(args.housekeeping_seconds.max(1))),
            test_hooks: args.test_hooks,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            trust_proxy: false,
            session_ttl: Duration::from_secs(168 * 3600),
            limits: Limits::default(),
            housekeeping_every: Duration::from_secs(60),
            test_hooks: false,
        }
    }
}

/// After its burst, an address may sign up once per this period.
const SIGN_UP_PERIOD: Duration = Duration::from_secs(15);

/// After its burst, an address may send one new account's or visitor's submission per
/// this period.
const ANONYMOUS_SUBMISSION_PERIOD: Duration = Duration::from_secs(5 * 60);

/// What unauthenticated callers may do before 429 (see `auth::rate_limit`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Sign-in attempts per client address. Generous: many residents share one
    /// carrier-grade NAT address.
    pub sign_in_per_address: Quota,
    /// Wrong passwords for one account from one address.
    pub failures_per_account_and_address: Quota,
    /// Wrong passwords for one account from devices it has not signed in on: after the
    /// first tier's burst one guess a minute, after the second's one every ten minutes.
    pub failures_per_account: [Quota; 2],
    /// Resident registrations and volunteer sign-ups per address.
    pub sign_up_per_address: Quota,
    /// "This phone number already has an account" answers per address.
    pub existence_answers_per_address: Quota,
    /// Submissions per address from visitors and from accounts in their first day.
    pub anonymous_submissions_per_address: Quota,
}

impl Default for Limits {
    fn default() -> Self {
        const MINUTE: Duration = Duration::from_secs(60);
        Limits {
            sign_in_per_address: Quota::new(30, Duration::from_secs(2)),
            failures_per_account_and_address: Quota::new(5, Duration::from_secs(12)),
            failures_per_account: [Quota::new(10, MINUTE), Quota::new(30, 10 * MINUTE)],
            sign_up_per_address: Quota::new(20, SIGN_UP_PERIOD),
            existence_answers_per_address: Quota::new(3, 20 * MINUTE),
            anonymous_submissions_per_address: Quota::new(3, ANONYMOUS_SUBMISSION_PERIOD),
        }
    }
}
