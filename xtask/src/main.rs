//! Project chores, so that README and CI say the same thing.
//!
//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure:
//! formatting, clippy, unit and API tests, the front-end size budget, and the browser
//! tests against the release binary.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str =
    "usage: cargo xtask test | cargo xtask bench [--quick] [--no-lighthouse] [--seconds N]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("bench") => bench(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn test() -> Result<(), String> {
    let root = root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Release everywhere: clippy, the tests and the browser tests share one build of
    // every dependency, and the API tests start the binary people deploy.
    // `cargo test` leaves that binary in target/release, and the browser tests serve it.
    // A separate `cargo build --release` would compile most of the dependency tree a
    // second time (the tests' dev-dependencies switch on features of tokio, hyper and
    // tower, so cargo keeps two sets of artifacts).
    step(
        "format",
        Command::new(&cargo)
            .current_dir(&root)
            .args(["fmt", "--all", "--check"]),
    )?;
    step(
        "clippy",
        Command::new(&cargo).current_dir(&root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--release",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // The app crate has no unit tests of its own (the browser tests exercise it), and
    // compiling Leptos natively at opt-level 3 only to run zero tests costs minutes.
    step(
        "unit and API tests",
        Command::new(&cargo).current_dir(&root).args([
            "test",
            "--workspace",
            "--release",
            "--exclude",
            "shouwang-app",
        ]),
    )?;
    check_frontend_budget(&root)?;
    let end2end = root.join("end2end");
    if !end2end.join("node_modules").exists() {
        step(
            "browser test tools",
            Command::new("npm")
                .current_dir(&end2end)
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                .args(["ci", "--no-audit", "--no-fund"]),
        )?;
    }
    step(
        "browser tests",
        Command::new("npx")
            .current_dir(&end2end)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .args(["playwright", "test"]),
    )?;
    println!("xtask: all checks passed");
    Ok(())
}

/// Builds the release server and the benchmark driver and runs it against that server,
/// with Debian's wrk as the load generator and nginx-light as the reference.
fn bench(args: &[String]) -> Result<(), String> {
    let root = root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Two builds, not one: built together, the driver's dependencies (tokio's process
    // feature, reqwest) would switch on features of the server's shared dependencies, and
    // the binary measured would not be the one `cargo build --release` ships. The driver
    // does not depend on the server, so its build leaves that binary untouched.
    step(
        "release build (the shipped binary)",
        Command::new(&cargo)
            .current_dir(&root)
            .args(["build", "--release"]),
    )?;
    step(
        "benchmark driver",
        Command::new(&cargo).current_dir(&root).args([
            "build",
            "--release",
            "-p",
            "shouwang-bench",
        ]),
    )?;
    let missing: Vec<&str> = [("wrk", "wrk"), ("nginx", "nginx-light")]
        .into_iter()
        .filter(|(binary, _)| !on_path(binary))
        .map(|(_, package)| package)
        .collect();
    // The bench measures; it installs nothing on the machine it measures.
    if !missing.is_empty() {
        return Err(format!(
            "the bench needs the load generator and the reference server: apt-get install -y {}",
            missing.join(" ")
        ));
    }
    step(
        "benchmark",
        Command::new(root.join("target/release/shouwang-bench"))
            .current_dir(&root)
            .args(args),
    )
}

fn on_path(binary: &str) -> bool {
    let extra = ["/usr/sbin", "/sbin"];
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(extra.iter().map(PathBuf::from))
        .any(|dir| dir.join(binary).exists())
}

fn step(name: &str, command: &mut Command) -> Result<(), String> {
    println!("\n==> {name}");
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("{name}: could not start: {e}"))?;
    println!("==> {name}: {:.0?}", started.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{name} failed"))
    }
}

/// The brotli-compressed WebAssembly module must stay within the budget in
/// `frontend-budget.txt`: phones on slow networks download it before anything works.
fn check_frontend_budget(root: &Path) -> Result<(), String> {
    let budget_file = root.join("frontend-budget.txt");
    let budget = std::fs::read_to_string(&budget_file)
        .map_err(|e| format!("reading {}: {e}", budget_file.display()))?
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("wasm_brotli_bytes =")
                .map(|v| v.trim().parse::<u64>())
        })
        .ok_or("frontend-budget.txt has no `wasm_brotli_bytes = N` line")?
        .map_err(|e| format!("frontend-budget.txt: {e}"))?;
    let sizes_file = root.join("target/frontend/sizes.json");
    let sizes = std::fs::read_to_string(&sizes_file)
        .map_err(|e| format!("reading {}: {e}", sizes_file.display()))?;
    let actual = json_number(&sizes, "wasm", "brotli").ok_or("sizes.json lacks wasm.brotli")?;
    println!("\n==> front-end budget: wasm {actual} bytes brotli, budget {budget}");
    if actual > budget {
        return Err(format!(
            "the wasm module is {actual} bytes brotli, over the budget of {budget}"
        ));
    }
    Ok(())
}

/// Reads `{"<object>": {..., "<field>": N}}` from the build's flat size report without a
/// JSON dependency.
fn json_number(json: &str, object: &str, field: &str) -> Option<u64> {
    let start = json.find(&format!("\"{object}\""))?;
    let rest = &json[start..];
    let end = rest.find('}')?;
    let body = &rest[..end];
    let at = body.find(&format!("\"{field}\""))?;
    body[at..]
        .split(':')
        .nth(1)?
        .trim()
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}
