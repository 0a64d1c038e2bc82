//! Online backup: a consistent copy of a database a running server keeps writing to.
//!
//! `VACUUM INTO` reads one snapshot (WAL mode lets it read while the server writes) and
//! writes a compact, self-contained file, with no `-wal` beside it to forget.

use super::sql;
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
    sql::query("VACUUM INTO ?")
        .bind(target_name)
        .execute(&mut conn)
        .await
        .context("copying the database")?;
    conn.close().await?;

    let options = SqliteConnectOptions::new().filename(target).read_only(true);
    let mut copy = SqliteConnection::connect_with(&options).await?;
    let verdict: String = sql::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut copy)
        .await?;
    copy.close().await?;
    anyhow::ensure!(
        verdict == "ok",
        "the copy failed its integrity check: {verdict}"
    );
    Ok(std::fs::metadata(target)?.len())
}

/// Copies a deployment: its own file to `target`, and each other community's file into
/// `<target>.communities/`, where a server started on `target` looks for them. Returns
/// every copy with its size.
pub async fn copy_deployment(
    source: &Path,
    target: &Path,
) -> anyhow::Result<Vec<(std::path::PathBuf, u64)>> {
    let mut copies = vec![(target.to_owned(), copy(source, target).await?)];
    let options = SqliteConnectOptions::new().filename(target).read_only(true);
    let mut catalog = SqliteConnection::connect_with(&options).await?;
    // A database from before there were several communities has no catalog yet.
    let has_catalog: bool =
        sql::query_scalar("SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'communities')")
            .fetch_one(&mut catalog)
            .await?;
    let files: Vec<String> = if has_catalog {
        sql::query_scalar("SELECT file FROM communities WHERE file IS NOT NULL ORDER BY id")
            .fetch_all(&mut catalog)
            .await?
    } else {
        Vec::new()
    };
    catalog.close().await?;
    let folder = |base: &Path| {
        let mut name = base.as_os_str().to_owned();
        name.push(".communities");
        std::path::PathBuf::from(name)
    };
    let (from, to) = (folder(source), folder(target));
    for file in files {
        let source_file = from.join(&file);
        if !source_file.exists() {
            // Created in the catalog, never opened yet: nothing to copy.
            continue;
        }
        std::fs::create_dir_all(&to)?;
        let target_file = to.join(&file);
        let bytes = copy(&source_file, &target_file).await?;
        copies.push((target_file, bytes));
    }
    Ok(copies)
}
