//! `--postgres`: the server measured on PostgreSQL. Either a throwaway cluster started
//! through `.ci/postgres.sh` (Debian's postgresql, a folder and a loopback port of its own,
//! stopped when dropped, so also when the bench fails) or an existing server
//! (`--postgres-url`); each part of the bench gets a fresh database on it.

use anyhow::Context;
use sqlx::{Connection, Executor, PgConnection};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The first port tried for the throwaway cluster: below it are CI's (55432) and others'.
const FIRST_PORT: u16 = 55435;

pub struct Postgres {
    /// A URL of the maintenance database, where databases are created and dropped.
    admin_url: String,
    cluster: Option<Cluster>,
    /// Databases made on an existing server, dropped by `finish`.
    created: Vec<String>,
    /// Which server, which version, with what durability: printed above the table.
    pub description: String,
}

impl Postgres {
    /// Starts the throwaway cluster, or connects to `existing`.
    pub async fn start(root: &Path, existing: Option<&str>) -> anyhow::Result<Postgres> {
        let (admin_url, cluster) = match existing {
            Some(url) => (url.to_owned(), None),
            None => {
                let cluster = Cluster::start(root)?;
                (cluster.url.clone(), Some(cluster))
            }
        };
        let mut db = PgConnection::connect(&admin_url)
            .await
            .with_context(|| format!("connecting to {}", without_password(&admin_url)))?;
        let show = |setting: &'static str| sqlx::query_scalar::<_, String>(setting);
        let version = show("SHOW server_version").fetch_one(&mut db).await?;
        let fsync = show("SHOW fsync").fetch_one(&mut db).await?;
        let synchronous_commit = show("SHOW synchronous_commit").fetch_one(&mut db).await?;
        db.close().await?;
        let which = match &cluster {
            Some(c) => format!("throwaway cluster on 127.0.0.1:{}", c.port),
            None => format!("existing server {}", without_password(&admin_url)),
        };
        Ok(Postgres {
            description: format!(
                "PostgreSQL {version} ({which}, fsync {fsync}, synchronous_commit \
                 {synchronous_commit})"
            ),
            admin_url,
            cluster,
            created: Vec::new(),
        })
    }

    /// Creates an empty database for one part of the bench and returns its URL.
    pub async fn fresh(&mut self, part: &str) -> anyhow::Result<String> {
        let name = format!(
            "shouwang_bench_{}_{part}",
            chrono::Utc::now().format("%Y%m%d%H%M%S")
        );
        let mut db = PgConnection::connect(&self.admin_url).await?;
        // A name the bench made of digits, letters and underscores: nothing to quote.
        db.execute(format!("CREATE DATABASE {name}").as_str())
            .await?;
        db.close().await?;
        if self.cluster.is_none() {
            self.created.push(name.clone());
        }
        with_database(&self.admin_url, &name)
    }

    /// Drops what the bench made on an existing server; stops the throwaway cluster.
    pub async fn finish(mut self) {
        if !self.created.is_empty() {
            match PgConnection::connect(&self.admin_url).await {
                Ok(mut db) => {
                    for name in &self.created {
                        let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        if let Err(e) = db.execute(drop.as_str()).await {
                            eprintln!("bench: could not drop database {name}: {e}");
                        }
                    }
                    let _ = db.close().await;
                }
                Err(e) => eprintln!("bench: could not drop the bench's databases: {e}"),
            }
        }
        self.cluster.take();
    }
}

/// The same server and credentials, another database.
fn with_database(url: &str, name: &str) -> anyhow::Result<String> {
    let authority_at = url.find("://").context("a postgres:// URL")? + 3;
    let (head, tail) = url.split_at(authority_at);
    let authority_end = tail.find(['/', '?']).unwrap_or(tail.len());
    let query = tail[authority_end..]
        .find('?')
        .map_or("", |q| &tail[authority_end + q..]);
    Ok(format!("{head}{}/{name}{query}", &tail[..authority_end]))
}

/// A URL fit to print: the password, if any, left out.
fn without_password(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// A cluster of `.ci/postgres.sh` in its own folder on a free port; stopped and removed
/// when dropped.
struct Cluster {
    script: PathBuf,
    dir: PathBuf,
    port: u16,
    url: String,
}

impl Cluster {
    fn start(root: &Path) -> anyhow::Result<Cluster> {
        let script = root.join(".ci/postgres.sh");
        // Not inside a private temporary folder: PostgreSQL runs as `postgres` and must
        // reach its data directory.
        let dir = std::env::temp_dir().join(format!("shouwang-bench-pg-{}", std::process::id()));
        let mut last_error = None;
        // Another agent's or test's cluster may take a port between our check and its
        // start: then the next one.
        for port in (FIRST_PORT..FIRST_PORT + 40)
            .filter(|p| is_free(*p))
            .take(3)
        {
            let cluster = Cluster {
                script: script.clone(),
                dir: dir.clone(),
                port,
                url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            };
            let output = cluster.command("start").output()?;
            if output.status.success() {
                eprintln!(
                    "bench: PostgreSQL cluster in {} on port {port}",
                    dir.display()
                );
                return Ok(cluster);
            }
            last_error = Some(String::from_utf8_lossy(&output.stderr).into_owned());
            drop(cluster);
        }
        anyhow::bail!(
            "could not start a PostgreSQL cluster with {}: {}",
            script.display(),
            last_error.unwrap_or_else(|| format!("no free port from {FIRST_PORT}"))
        )
    }

    fn command(&self, action: &str) -> Command {
        let mut command = Command::new("bash");
        command
            .arg(&self.script)
            .arg(action)
            // The script's clusters are for tests, with fsync off. The writes here stand
            // beside plain SQLite with synchronous=FULL, so they pay the same: every commit
            // reaches the disk.
            .env("SHOUWANG_PG_FSYNC", "on")
            .env("SHOUWANG_PG_DIR", &self.dir)
            .env("SHOUWANG_PG_PORT", self.port.to_string());
        command
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        match self.command("stop").status() {
            Ok(status) if status.success() => {}
            _ => eprintln!(
                "bench: stopping the PostgreSQL cluster in {} failed",
                self.dir.display()
            ),
        }
    }
}

fn is_free(port: u16) -> bool {
    std::net::TcpListener::bind(("127.0.0.1", port)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_database_on_the_same_server() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:55435/postgres", "b").unwrap(),
            "postgres://postgres@127.0.0.1:55435/b"
        );
        assert_eq!(
            with_database("postgres://u:p@db.example:5432?sslmode=require", "b").unwrap(),
            "postgres://u:p@db.example:5432/b?sslmode=require"
        );
        assert_eq!(
            with_database("postgresql://u@h/app?application_name=x", "b").unwrap(),
            "postgresql://u@h/b?application_name=x"
        );
    }

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            without_password("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(without_password("postgres://u@h/db"), "postgres://u@h/db");
    }
}
