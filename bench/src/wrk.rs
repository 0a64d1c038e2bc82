//! Runs `wrk` (Debian's package; the load generator) and reads its report.

use anyhow::Context;
use serde::Serialize;
use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone, Serialize)]
pub struct Load {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    /// Answers that were not 2xx/3xx, and socket errors.
    pub errors: u64,
}

impl Load {
    /// Several runs of one load as one: requests per second and p50 are the runs' means,
    /// p99 the worst run's (the tail is what a slow round shows).
    pub fn combine(runs: &[Load]) -> Load {
        let n = runs.len().max(1) as f64;
        Load {
            requests_per_second: runs.iter().map(|r| r.requests_per_second).sum::<f64>() / n,
            p50_ms: runs.iter().map(|r| r.p50_ms).sum::<f64>() / n,
            p99_ms: runs.iter().map(|r| r.p99_ms).fold(0.0, f64::max),
            requests: runs.iter().map(|r| r.requests).sum(),
            errors: runs.iter().map(|r| r.errors).sum(),
        }
    }
}

pub struct Plan<'a> {
    pub url: &'a str,
    pub connections: u32,
    pub seconds: u32,
    pub script: Option<&'a Path>,
}

pub fn run(plan: &Plan<'_>) -> anyhow::Result<Load> {
    let mut command = Command::new("wrk");
    command
        .arg("-t2")
        .arg(format!("-c{}", plan.connections))
        .arg(format!("-d{}s", plan.seconds))
        .arg("--latency")
        .arg("--timeout")
        .arg("10s");
    if let Some(script) = plan.script {
        command.arg("-s").arg(script);
    }
    let output = command
        .arg(plan.url)
        .output()
        .context("running wrk (apt-get install wrk)")?;
    let report = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(
        output.status.success(),
        "wrk failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse(&report).with_context(|| format!("reading wrk's report:\n{report}"))
}

fn parse(report: &str) -> anyhow::Result<Load> {
    let mut load = Load {
        requests_per_second: 0.0,
        p50_ms: 0.0,
        p99_ms: 0.0,
        requests: 0,
        errors: 0,
    };
    for line in report.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", value] => load.p50_ms = millis(value)?,
            ["99%", value] => load.p99_ms = millis(value)?,
            ["Requests/sec:", value] => load.requests_per_second = value.parse()?,
            [count, "requests", "in", ..] => load.requests = count.parse()?,
            ["Non-2xx", "or", "3xx", "responses:", count] => load.errors += count.parse::<u64>()?,
            ["Socket", "errors:", rest @ ..] => {
                load.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
            }
            _ => {}
        }
    }
    anyhow::ensure!(load.requests > 0, "no requests completed");
    Ok(load)
}

fn millis(value: &str) -> anyhow::Result<f64> {
    let (number, factor) = if let Some(n) = value.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1000.0)
    } else {
        anyhow::bail!("unknown unit in {value}")
    };
    Ok(number.parse::<f64>()? * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_wrk_report() {
        let report = "Running 8s test @ http://127.0.0.1:3000/api/notices
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.12ms    1.01ms  30.00ms   90.00%
  Latency Distribution
     50%  650.00us
     75%    2.40ms
     90%    2.98ms
     99%    1.20s
  123456 requests in 8.00s, 1.23GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  15432.10
Transfer/sec:    154.21MB
";
        let load = parse(report).unwrap();
        assert_eq!(load.requests, 123_456);
        assert!((load.p50_ms - 0.65).abs() < 1e-9);
        assert!((load.p99_ms - 1200.0).abs() < 1e-9);
        assert!((load.requests_per_second - 15432.10).abs() < 1e-9);
        assert_eq!(load.errors, 7);
    }
}
