//! Lighthouse (npm), mobile form factor with its default simulated throttling (150 ms RTT,
//! 1.6 Mbps, 4× CPU slowdown), in Debian's Chromium.

use anyhow::Context;
use serde::Serialize;
use std::path::Path;
use std::process::Command;

const VERSION: &str = "13.5.0";

#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub performance: f64,
    pub accessibility: f64,
    pub best_practices: f64,
    pub largest_contentful_paint_ms: f64,
    pub total_blocking_time_ms: f64,
    pub first_contentful_paint_ms: f64,
}

/// Installs Lighthouse into `tools` (once) and audits `url`.
pub fn audit(url: &str, tools: &Path, work: &Path) -> anyhow::Result<Scores> {
    let binary = tools.join("node_modules/.bin/lighthouse");
    if !binary.exists() {
        std::fs::create_dir_all(tools)?;
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(tools)
            .arg(format!("lighthouse@{VERSION}"))
            .env("PUPPETEER_SKIP_DOWNLOAD", "1")
            .status()
            .context("npm install lighthouse")?;
        anyhow::ensure!(status.success(), "npm install lighthouse failed");
    }
    let report = work.join("lighthouse.json");
    let output = Command::new(&binary)
        .arg(url)
        .args([
            "--quiet",
            "--output=json",
            "--form-factor=mobile",
            "--only-categories=performance,accessibility,best-practices",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync",
        ])
        .arg(format!("--output-path={}", report.display()))
        .env("CHROME_PATH", "/usr/bin/chromium")
        .output()
        .context("running lighthouse")?;
    anyhow::ensure!(
        output.status.success(),
        "lighthouse failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report)?)?;
    let score = |category: &str| {
        json["categories"][category]["score"]
            .as_f64()
            .unwrap_or(0.0)
            * 100.0
    };
    let metric = |audit: &str| {
        json["audits"][audit]["numericValue"]
            .as_f64()
            .unwrap_or(f64::NAN)
    };
    Ok(Scores {
        performance: score("performance"),
        accessibility: score("accessibility"),
        best_practices: score("best-practices"),
        largest_contentful_paint_ms: metric("largest-contentful-paint"),
        total_blocking_time_ms: metric("total-blocking-time"),
        first_contentful_paint_ms: metric("first-contentful-paint"),
    })
}
