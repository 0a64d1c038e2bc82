//! `shouwang migrate --to postgres://…`: a SQLite deployment (its own file and every
//! community's file) copied into an empty PostgreSQL database, then verified table by table
//! (row count and a checksum of every value, read back from PostgreSQL).
//!
//! The target's tables are made by its own migrations first, so the copy fills a schema
//! the server will recognise; rows go in referenced tables first (foreign keys stay on),
//! with their ids, and each identity sequence then continues after the largest id. The
//! search rows are rebuilt from what is public, as the triggers would have made them.

use super::{Db, Schema, sql};
use chrono::{DateTime, NaiveDate, SecondsFormat, SubsecRound, Utc};
use sha2::{Digest, Sha256};
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqliteRow;
use sqlx::{Postgres, Row as _, SqlitePool};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Rows bound per INSERT: far below PostgreSQL's 65,535 parameters for the widest table.
const BATCH_ROWS: usize = 500;

/// What was copied into one table.
#[derive(Debug)]
pub struct CopiedTable {
    pub schema: String,
    pub table: String,
    pub rows: u64,
    /// SHA-256 of every value of every row in primary-key order, the same on both sides.
    pub checksum: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(
        "the PostgreSQL database is not empty ({0} tables): migrate only into a new, empty database"
    )]
    NotEmpty(i64),
    #[error("{schema}.{table}: {source_rows} rows in SQLite, {target_rows} in PostgreSQL")]
    CountMismatch {
        schema: String,
        table: String,
        source_rows: u64,
        target_rows: u64,
    },
    #[error(
        "{schema}.{table}: the values differ after the copy (checksums {sqlite} and {postgres})"
    )]
    ChecksumMismatch {
        schema: String,
        table: String,
        sqlite: String,
        postgres: String,
    },
    #[error("{0}: a column of a type the copy does not know ({1})")]
    UnknownType(String, String),
    #[error("the tables' foreign keys form a cycle through {0}")]
    Cycle(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// One stored value, typed by the PostgreSQL column it goes into.
#[derive(Debug, Clone)]
enum Value {
    BigInt(Option<i64>),
    Int(Option<i32>),
    Bool(Option<bool>),
    Instant(Option<DateTime<Utc>>),
    Day(Option<NaiveDate>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
    Float(Option<f64>),
}

impl Value {
    /// The value's bytes for the checksum: NULL apart from every value.
    fn digest(&self, hash: &mut Sha256) {
        let text = match self {
            Value::BigInt(v) => v.map(|v| v.to_string()),
            Value::Int(v) => v.map(|v| v.to_string()),
            Value::Bool(v) => v.map(|v| v.to_string()),
            // PostgreSQL keeps microseconds; SQLite's text may hold nanoseconds.
            Value::Instant(v) => v.map(|v| {
                v.trunc_subsecs(6)
                    .to_rfc3339_opts(SecondsFormat::Micros, true)
            }),
            Value::Day(v) => v.map(|v| v.to_string()),
            Value::Text(v) => v.clone(),
            Value::Float(v) => v.map(|v| v.to_string()),
            Value::Bytes(v) => {
                match v {
                    Some(bytes) => {
                        hash.update([1]);
                        hash.update(bytes);
                    }
                    None => hash.update([0]),
                }
                return;
            }
        };
        match text {
            Some(text) => {
                hash.update([1]);
                hash.update((text.len() as u64).to_le_bytes());
                hash.update(text.as_bytes());
            }
            None => hash.update([0]),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    BigInt,
    Int,
    Bool,
    Instant,
    Day,
    Text,
    Bytes,
    Float,
}

impl Kind {
    fn of(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "bigint" => Kind::BigInt,
            "integer" => Kind::Int,
            "boolean" => Kind::Bool,
            "timestamp with time zone" => Kind::Instant,
            "date" => Kind::Day,
            "text" => Kind::Text,
            "bytea" => Kind::Bytes,
            "double precision" => Kind::Float,
            _ => return None,
        })
    }

    fn read_sqlite(self, row: &SqliteRow, i: usize) -> Result<Value, sqlx::Error> {
        Ok(match self {
            Kind::BigInt => Value::BigInt(row.try_get(i)?),
            Kind::Int => Value::Int(row.try_get(i)?),
            Kind::Bool => Value::Bool(row.try_get(i)?),
            Kind::Instant => Value::Instant(row.try_get(i)?),
            Kind::Day => Value::Day(row.try_get(i)?),
            Kind::Text => Value::Text(row.try_get(i)?),
            Kind::Bytes => Value::Bytes(row.try_get(i)?),
            Kind::Float => Value::Float(row.try_get(i)?),
        })
    }

    fn read_postgres(self, row: &sqlx::postgres::PgRow, i: usize) -> Result<Value, sqlx::Error> {
        Ok(match self {
            Kind::BigInt => Value::BigInt(row.try_get(i)?),
            Kind::Int => Value::Int(row.try_get(i)?),
            Kind::Bool => Value::Bool(row.try_get(i)?),
            Kind::Instant => Value::Instant(row.try_get(i)?),
            Kind::Day => Value::Day(row.try_get(i)?),
            Kind::Text => Value::Text(row.try_get(i)?),
            Kind::Bytes => Value::Bytes(row.try_get(i)?),
            Kind::Float => Value::Float(row.try_get(i)?),
        })
    }
}

/// A table as PostgreSQL's migrations made it: its columns (name, kind) and the columns
/// that order its rows (the primary key, else all of them).
struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
    order: Vec<String>,
}

/// Copies the deployment whose own file is `file` into the empty database at `url`.
pub async fn sqlite_to_postgres(file: &Path, url: &str) -> Result<Vec<CopiedTable>, MigrateError> {
    let probe = PgPool::connect(url).await?;
    let existing: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    )
    .fetch_one(&probe)
    .await?;
    probe.close().await;
    if existing > 0 {
        return Err(MigrateError::NotEmpty(existing));
    }
    let source = Db::open(file, crate::config::Durability::Full).await?;
    let mut copied = copy_one(&source, url, &Schema::deployment()).await?;
    let communities: Vec<(i64, Option<String>)> =
        sql::query_as("SELECT id, file FROM communities ORDER BY id")
            .fetch_all(source.reader())
            .await?;
    source.close().await;
    let mut folder = file.as_os_str().to_owned();
    folder.push(".communities");
    for (id, community_file) in communities {
        let Some(community_file) = community_file.filter(|f| !f.is_empty()) else {
            continue;
        };
        let path = Path::new(&folder).join(community_file);
        if !path.exists() {
            continue;
        }
        let source = Db::open(&path, crate::config::Durability::Full).await?;
        copied.extend(copy_one(&source, url, &Schema::of_community(id)).await?);
        source.close().await;
    }
    Ok(copied)
}

/// Copies one community's database (and, in `public`, the catalog) into its schema.
async fn copy_one(
    source: &Db,
    url: &str,
    schema: &Schema,
) -> Result<Vec<CopiedTable>, MigrateError> {
    let target = Db::open_postgres(url, schema).await?;
    let (super::Pool::Sqlite(from), super::Pool::Postgres(to)) = (source.reader(), target.writer())
    else {
        return Err(MigrateError::Database(sqlx::Error::Configuration(
            "migrate copies a SQLite database into a PostgreSQL one".into(),
        )));
    };
    let tables = tables_in_order(to).await?;
    // The migrations' own rows (settings, built-in skills) make way for the copied ones.
    for table in tables.iter().rev() {
        sqlx::query(&format!("DELETE FROM \"{}\"", table.name))
            .execute(to)
            .await?;
    }
    let mut copied = Vec::new();
    for table in &tables {
        let (rows, checksum) = copy_table(from, to, table).await?;
        let (target_rows, target_checksum) = checksum_postgres(to, table).await?;
        if target_rows != rows {
            return Err(MigrateError::CountMismatch {
                schema: schema.name().to_owned(),
                table: table.name.clone(),
                source_rows: rows,
                target_rows,
            });
        }
        if target_checksum != checksum {
            return Err(MigrateError::ChecksumMismatch {
                schema: schema.name().to_owned(),
                table: table.name.clone(),
                sqlite: checksum,
                postgres: target_checksum,
            });
        }
        copied.push(CopiedTable {
            schema: schema.name().to_owned(),
            table: table.name.clone(),
            rows,
            checksum,
        });
    }
    continue_identities(to, &tables).await?;
    rebuild_search(to).await?;
    target.close().await;
    Ok(copied)
}

/// The schema's tables, each after the tables it refers to; not the migrations' own
/// ledger, the search index (rebuilt after the copy), nor the rate limits' buckets (kept in
/// memory on SQLite: nothing to copy).
async fn tables_in_order(pool: &PgPool) -> Result<Vec<Table>, MigrateError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
           AND table_name NOT IN ('_sqlx_migrations', 'board_search', 'rate_limits')
         ORDER BY table_name",
    )
    .fetch_all(pool)
    .await?;
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(c.conrelid::regclass AS TEXT), CAST(c.confrelid::regclass AS TEXT)
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE c.contype = 'f' AND n.nspname = current_schema() AND c.conrelid <> c.confrelid",
    )
    .fetch_all(pool)
    .await?;
    let mut needs: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (from, to) in &edges {
        needs.entry(from.as_str()).or_default().insert(to.as_str());
    }
    let mut ordered: Vec<String> = Vec::new();
    let mut left: Vec<&String> = names.iter().collect();
    while !left.is_empty() {
        let (ready, waiting): (Vec<&String>, Vec<&String>) = left.into_iter().partition(|t| {
            needs.get(t.as_str()).is_none_or(|n| {
                n.iter()
                    .all(|d| ordered.iter().any(|o| o == d) || !names.iter().any(|x| x == d))
            })
        });
        if ready.is_empty() {
            return Err(MigrateError::Cycle(
                waiting
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
        ordered.extend(ready.into_iter().cloned());
        left = waiting;
    }
    let mut tables = Vec::new();
    for name in ordered {
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        let columns = columns
            .into_iter()
            .map(|(column, data_type)| match Kind::of(&data_type) {
                Some(kind) => Ok((column, kind)),
                None => Err(MigrateError::UnknownType(
                    format!("{name}.{column}"),
                    data_type,
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let key: Vec<String> = sqlx::query_scalar(
            "SELECT CAST(a.attname AS TEXT) FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
             WHERE i.indrelid = CAST($1 AS regclass) AND i.indisprimary
             ORDER BY array_position(i.indkey, a.attnum)",
        )
        .bind(&name)
        .fetch_all(pool)
        .await?;
        let order = if key.is_empty() {
            columns.iter().map(|(c, _)| c.clone()).collect()
        } else {
            key
        };
        tables.push(Table {
            name,
            columns,
            order,
        });
    }
    Ok(tables)
}

fn select_sql(table: &Table) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|(c, _)| format!("\"{c}\""))
        .collect();
    let order: Vec<String> = table.order.iter().map(|c| format!("\"{c}\"")).collect();
    format!(
        "SELECT {} FROM \"{}\" ORDER BY {}",
        columns.join(", "),
        table.name,
        order.join(", ")
    )
}

/// Copies the rows; returns their count and checksum as read from SQLite.
async fn copy_table(
    from: &SqlitePool,
    to: &PgPool,
    table: &Table,
) -> Result<(u64, String), MigrateError> {
    let rows = sqlx::query(&select_sql(table)).fetch_all(from).await?;
    let mut hash = Sha256::new();
    let mut values = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut row_values = Vec::with_capacity(table.columns.len());
        for (i, (_, kind)) in table.columns.iter().enumerate() {
            let value = kind.read_sqlite(row, i)?;
            value.digest(&mut hash);
            row_values.push(value);
        }
        values.push(row_values);
    }
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|(c, _)| format!("\"{c}\""))
        .collect();
    for batch in values.chunks(BATCH_ROWS) {
        let mut insert = sqlx::QueryBuilder::<Postgres>::new(format!(
            "INSERT INTO \"{}\" ({}) ",
            table.name,
            columns.join(", ")
        ));
        insert.push_values(batch, |mut row, values| {
            for value in values {
                match value.clone() {
                    Value::BigInt(v) => row.push_bind(v),
                    Value::Int(v) => row.push_bind(v),
                    Value::Bool(v) => row.push_bind(v),
                    Value::Instant(v) => row.push_bind(v),
                    Value::Day(v) => row.push_bind(v),
                    Value::Text(v) => row.push_bind(v),
                    Value::Bytes(v) => row.push_bind(v),
                    Value::Float(v) => row.push_bind(v),
                };
            }
        });
        insert.build().execute(to).await?;
    }
    Ok((rows.len() as u64, hex::encode(hash.finalize())))
}

/// The count and checksum of what PostgreSQL now holds, read back.
async fn checksum_postgres(pool: &PgPool, table: &Table) -> Result<(u64, String), MigrateError> {
    let rows = sqlx::query(&select_sql(table)).fetch_all(pool).await?;
    let mut hash = Sha256::new();
    for row in &rows {
        for (i, (_, kind)) in table.columns.iter().enumerate() {
            kind.read_postgres(row, i)?.digest(&mut hash);
        }
    }
    Ok((rows.len() as u64, hex::encode(hash.finalize())))
}

/// New rows continue after the copied ids.
async fn continue_identities(pool: &PgPool, tables: &[Table]) -> Result<(), sqlx::Error> {
    for table in tables {
        let sequence: Option<String> =
            sqlx::query_scalar("SELECT pg_get_serial_sequence($1, 'id')")
                .bind(&table.name)
                .fetch_optional(pool)
                .await
                .ok()
                .flatten()
                .flatten();
        if let Some(sequence) = sequence {
            sqlx::query(&format!(
                "SELECT setval($1, COALESCE((SELECT MAX(id) FROM \"{}\"), 0) + 1, false)",
                table.name
            ))
            .bind(sequence)
            .execute(pool)
            .await?;
        }
    }
    Ok(())
}

/// The search rows of what is public, as the triggers make them.
async fn rebuild_search(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM board_search")
        .execute(pool)
        .await?;
    sqlx::query(
        "SELECT board_search_row(id, title, body, COALESCE(doc_number, ''))
         FROM notices WHERE status = 'published'",
    )
    .execute(pool)
    .await?;
    sqlx::query(
        "SELECT board_search_row(-id, COALESCE(place, ''), COALESCE(published_text, text), '')
         FROM submissions WHERE status = 'published' AND group_id IS NULL",
    )
    .execute(pool)
    .await?;
    Ok(())
}
