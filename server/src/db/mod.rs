//! Every SQL query lives here, one function per query, parameterised.
//!
//! Two pools over one SQLite file in WAL mode: many readers, and a single writer
//! connection. With one writer, write transactions queue in the process instead of
//! failing with `SQLITE_BUSY`, and a read-check-write sequence inside a transaction
//! (capacity, duplicates) cannot interleave with another.

pub mod audit;
pub mod backup;
pub mod board;
pub mod catalog;
pub mod community;
pub mod figures;
pub mod health;
pub mod idempotency;
pub mod medicine;
pub mod meta;
pub mod migrate;
pub mod notices;
pub mod notifications;
pub mod photos;
pub mod rate_limits;
pub mod receipts;
pub mod residents;
pub mod scope;
pub mod sessions;
pub mod shifts;
pub mod sql;
pub mod sqlite_functions;
pub mod street_grants;
pub mod submissions;
pub mod supplies;
pub mod testing;
pub mod users;
pub mod volunteers;
pub mod workers;
pub mod zones;

use crate::config::Durability;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use sql::{Backend, Pool, Tx};

/// Connections of the read pool.
const READERS: u32 = 4;

/// Connections of one community's PostgreSQL pool (reads and writes). Idle ones close:
/// a deployment of many communities holds connections only for the busy ones.
const POSTGRES_CONNECTIONS: u32 = 4;

/// A community's PostgreSQL schema: `public` for the deployment's own community (beside
/// the catalog), `community_<id>` for the others. Only these two shapes exist, so the name
/// is safe to write into SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema(String);

impl Schema {
    pub fn deployment() -> Schema {
        Schema("public".to_owned())
    }

    pub fn of_community(id: i64) -> Schema {
        Schema(format!("community_{id}"))
    }

    pub fn name(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone)]
pub struct Db {
    read: Pool,
    write: Pool,
    /// The community's PostgreSQL schema; `None` on SQLite.
    schema: Option<Schema>,
}

impl Db {
    /// Opens (creating if needed) and migrates the database.
    pub async fn open(path: &Path, durability: Durability) -> Result<Db, sqlx::Error> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match durability {
                Durability::Full => SqliteSynchronous::Full,
                Durability::Normal => SqliteSynchronous::Normal,
            })
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            // Deleted personal data is overwritten with zeros, not left in free pages.
            .pragma("secure_delete", "on")
            // Each connection's page cache, bounded at 1 MiB (SQLite's default is 2 MiB):
            // a deployment of a hundred communities holds up to five connections each, and
            // the operating system's file cache keeps the pages anyway.
            .pragma("cache_size", "-1024");
        // The writer too closes when its community is idle (a community of a street in
        // a quiet hour), and is opened again on the next write.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .idle_timeout(Duration::from_secs(60))
            .after_connect(|conn, _| Box::pin(sqlite_functions::register(conn)))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations").run(&write).await?;
        // Four readers on a server of a few cores: SQLite reads are CPU-bound, so more
        // connections only queue for the same cores, and each one keeps its own page
        // cache, parsed schema and prepared statements (a few MiB). Idle ones close, and
        // give that memory back, after 20 s: less than the 30 s between two readings of
        // the street's figures, so those readings alone do not keep a community open.
        let read = SqlitePoolOptions::new()
            .max_connections(READERS)
            .min_connections(0)
            .idle_timeout(Duration::from_secs(20))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.read_only(true))
            .await?;
        Ok(Db {
            read: Pool::Sqlite(read),
            write: Pool::Sqlite(write),
            schema: None,
        })
    }

    /// Opens (creating and migrating if needed) a community's schema in a PostgreSQL
    /// database. Every connection of its pool works in that schema only (`search_path`), so
    /// the queries never name a community and cannot reach another's rows.
    pub async fn open_postgres(url: &str, schema: &Schema) -> Result<Db, sqlx::Error> {
        let options = PgConnectOptions::from_str(url)?;
        let search_path: Arc<str> = format!("SET search_path TO {}", schema.0).into();
        let pool = PgPoolOptions::new()
            .max_connections(POSTGRES_CONNECTIONS)
            .min_connections(0)
            .idle_timeout(Duration::from_secs(60))
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                let search_path = Arc::clone(&search_path);
                Box::pin(async move {
                    sqlx::Executor::execute(&mut *conn, &*search_path).await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        sql::query(&format!("CREATE SCHEMA IF NOT EXISTS {}", schema.0))
            .execute(&Pool::Postgres(pool.clone()))
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Db {
            read: Pool::Postgres(pool.clone()),
            write: Pool::Postgres(pool),
            schema: Some(schema.clone()),
        })
    }

    pub fn backend(&self) -> Backend {
        self.write.backend()
    }

    /// The community's PostgreSQL schema; `None` on SQLite.
    pub fn schema(&self) -> Option<&Schema> {
        self.schema.as_ref()
    }

    /// For queries that only read.
    pub fn reader(&self) -> &Pool {
        &self.read
    }

    /// Starts a write transaction on the single writer connection. `IMMEDIATE` takes the
    /// write lock up front (waiting out the busy timeout): a deferred transaction that read
    /// first would fail at once with SQLITE_BUSY if another process — `shouwang
    /// create-user` run beside the server — wrote in between.
    ///
    /// The BEGIN runs on its own task: a request dropped while it waits (the client went
    /// away) must not leave the writer inside a transaction nobody holds, which would
    /// refuse every later write ("begin_with at non-zero transaction depth"). Finished
    /// here, the transaction is rolled back when its unwanted result is dropped.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        let writer = self.write.clone();
        tokio::spawn(async move {
            match writer {
                Pool::Sqlite(pool) => pool.begin_with("BEGIN IMMEDIATE").await.map(Tx::sqlite),
                // One writer per community, as on SQLite: a transaction-scoped advisory
                // lock, keyed by the schema, queues the community's write transactions, so
                // a read-check-write (a shift's last seat) cannot interleave with another.
                Pool::Postgres(pool) => {
                    let mut tx = pool.begin().await?;
                    sqlx::query("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
                        .execute(&mut *tx)
                        .await?;
                    Ok(Tx::postgres(tx))
                }
            }
        })
        .await
        .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?
    }

    /// Claims this community's scheduled jobs for this instance until the claim is
    /// dropped; `None` when another instance holds it (it runs them). On PostgreSQL the
    /// claim is a transaction-scoped advisory lock, so a crashed instance's claim ends with
    /// its connection; on SQLite one server owns the file and the claim is always given.
    pub async fn claim_jobs(&self) -> Result<Option<JobsClaim>, sqlx::Error> {
        match &self.write {
            Pool::Sqlite(_) => Ok(Some(JobsClaim { _lock: None })),
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let claimed: bool = sqlx::query_scalar(
                    "SELECT pg_try_advisory_xact_lock(hashtext('jobs:' || current_schema()))",
                )
                .fetch_one(&mut *tx)
                .await?;
                Ok(claimed.then_some(JobsClaim { _lock: Some(tx) }))
            }
        }
    }

    /// Waits for, then holds until dropped, the lock named `name` that every instance on
    /// this database shares: a transaction-scoped advisory lock on PostgreSQL (so a crashed
    /// instance's lock ends with its connection); on SQLite, one server owns the file and
    /// its callers' own locks suffice (`None`).
    pub async fn hold_lock(&self, name: &str) -> Result<Option<HeldLock>, sqlx::Error> {
        match &self.write {
            Pool::Sqlite(_) => Ok(None),
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                    .bind(name)
                    .execute(&mut *tx)
                    .await?;
                Ok(Some(HeldLock { _lock: tx }))
            }
        }
    }

    /// The writer, for single-statement writes outside a transaction.
    pub fn writer(&self) -> &Pool {
        &self.write
    }

    /// Waits for in-flight queries, then closes every connection.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// A lock shared by the instances on one PostgreSQL database ([`Db::hold_lock`]):
/// dropping it ends the transaction, and so the lock.
pub struct HeldLock {
    _lock: sqlx::Transaction<'static, sqlx::Postgres>,
}

/// Held while this instance runs a community's scheduled jobs ([`Db::claim_jobs`]).
/// Dropping it ends the claim (the transaction rolls back, releasing its lock).
pub struct JobsClaim {
    _lock: Option<sqlx::Transaction<'static, sqlx::Postgres>>,
}

/// A stored row this build cannot read (an enum value it does not know, say): which table,
/// row and column, never the value, which may be personal data. Travels inside
/// `sqlx::Error::Decode` so every query keeps its error type; the HTTP layer logs it and
/// answers `stored_value_unreadable`.
#[derive(Debug)]
pub struct Unreadable {
    pub table: &'static str,
    pub id: Option<i64>,
    pub column: Option<String>,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unreadable value in {}", self.table)?;
        if let Some(id) = self.id {
            write!(f, " row {id}")?;
        }
        if let Some(column) = &self.column {
            write!(f, " column {column}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unreadable {}

/// Decodes fetched rows of `table` one by one, so that a row that does not decode is
/// reported with its `id` (the rows must select one) instead of failing anonymously.
pub fn decode_rows<T: sql::FromEitherRow>(
    table: &'static str,
    rows: Vec<sql::Row>,
) -> Result<Vec<T>, sqlx::Error> {
    rows.iter().map(|row| decode_row(table, row)).collect()
}

/// [`decode_rows`] for one row.
pub fn decode_row<T: sql::FromEitherRow>(
    table: &'static str,
    row: &sql::Row,
) -> Result<T, sqlx::Error> {
    row.decode().map_err(|e| {
        let column = match &e {
            sqlx::Error::ColumnDecode { index, .. } => Some(index.clone()),
            _ => None,
        };
        sqlx::Error::Decode(Box::new(Unreadable {
            table,
            id: row.id(),
            column,
        }))
    })
}

/// A comma-joined list of enum values as stored (`members.groups`, a `group_concat`). A
/// value this build does not know fails the read, as an unknown single value does: it is
/// never dropped (a rewrite of the list would then erase it). The value stays out of the
/// error, which is logged: a special group is personal data.
pub fn split_list<T>(
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Result<Vec<T>, sqlx::Error> {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            parse(s).ok_or_else(|| {
                sqlx::Error::Decode("a stored list holds a value this build does not know".into())
            })
        })
        .collect()
}

/// True when the error is a UNIQUE constraint violation.
/// ` AND column = ?N` when the filter is given, else ` AND ?N IS NULL` (binding None):
/// spelled out per case, so the planner can use the column's index — a single
/// `(?N IS NULL OR column = ?N)` would hide it. The parameter keeps its number either way.
pub fn optional_filter(given: bool, column: &str, param: u8) -> String {
    if given {
        format!(" AND {column} = ?{param}")
    } else {
        format!(" AND ?{param} IS NULL")
    }
}

pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
