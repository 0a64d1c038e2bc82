//! The release server under test, on its own database.

use anyhow::Context;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts the server on `database`: a SQLite file or a `postgres://` URL.
    pub async fn start(binary: &Path, database: &OsStr) -> anyhow::Result<Server> {
        let mut child = Command::new(binary)
            // Trusted as a proxy: load scripts that create accounts send an address per
            // request (X-Forwarded-For) instead of hitting the per-address limits.
            .args([
                "serve",
                "--trust-proxy",
                "--addr",
                "127.0.0.1:0",
                "--database",
            ])
            .arg(database)
            .env("SHOUWANG_LOG", "error")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let mut lines = BufReader::new(child.stdout.take().context("server stdout")?).lines();
        let base = loop {
            let line = lines
                .next_line()
                .await?
                .context("the server exited before listening")?;
            if let Some(url) = line.strip_prefix("Shouwang listening on ") {
                break url.trim().to_owned();
            }
        };
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Server { child, base })
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Resident memory now (VmRSS), in KiB: what the process holds at this moment, not
    /// its high-water mark, so each phase of the bench reports its own figure.
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
    }

    pub async fn stop(mut self) {
        if let Some(pid) = self.pid() {
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()
                .await;
        }
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), self.child.wait()).await;
    }
}
