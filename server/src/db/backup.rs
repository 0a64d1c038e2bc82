//! Online backup: a consistent copy of a database a running server keeps writing to.
//!
//! `VACUUM INTO` reads one snapshot (WAL mode lets it read while the server writes) and
//! writes a compact, self-contained file, with no `-wal` beside it to forget.

use anyhow::Context;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use std::path::Path;

/// Copies `source` to `target` and checks the copy; returns its size in bytes.
pub async fn copy(source: &Path, target: &Path) -> anyhow::Result<u64> {
    anyhow::ensure!(
        source.exists(),
        "there is no database at {}",
        source.display()
    );
    anyhow::ensure!(
        !target.exists(),
        "{} already exists; choose a new file",
        target.display()
    );
    // Read-only and without migrating: the server that owns the file decides its schema.
    let options = SqliteConnectOptions::new().filename(source).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("opening {}", source.display()))?;
    let target_name = target
        .to_str()
        .context("the backup path must be valid UTF-8")?;
    sqlx::query("VACUUM INTO ?")
        .bind(target_name)
        .execute(&mut conn)
        .await
        .context("copying the database")?;
    conn.close().await?;

    let options = SqliteConnectOptions::new().filename(target).read_only(true);
    let mut copy = SqliteConnection::connect_with(&options).await?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut copy)
        .await?;
    copy.close().await?;
    anyhow::ensure!(
        verdict == "ok",
        "the copy failed its integrity check: {verdict}"
    );
    Ok(std::fs::metadata(target)?.len())
}
