//! Project chores, so that README and CI say the same thing.
//!
//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure:
//! formatting, clippy, unit and API tests, the API tests again on a throwaway PostgreSQL
//! cluster, the front-end size budgets, and the browser tests against the release binary.
//!
//! `cargo xtask lighthouse`: Lighthouse's mobile profile on the pages a resident opens
//! first, against the release binary (`bench` runs it too, after the load benchmark).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask test | cargo xtask bench [--quick] [--no-lighthouse] [--seconds N] [--scale [--communities N]] [--postgres [--postgres-url URL]] | cargo xtask lighthouse";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("bench") => bench(&args[1..]),
        Some("lighthouse") => lighthouse(),
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
    api_tests_on_postgres(&root, &cargo)?;
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

/// The same API suite on PostgreSQL: `.ci/postgres.sh` starts a throwaway cluster in a
/// temporary folder (Debian's `postgresql` package, nothing downloaded), every test server
/// gets a database of its own on it, and the cluster is removed afterwards, pass or fail.
/// Without PostgreSQL installed the step is skipped with a note, except in CI (`CI` set),
/// where it must run.
fn api_tests_on_postgres(root: &Path, cargo: &str) -> Result<(), String> {
    let installed = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| dirs.flatten().any(|d| d.path().join("bin/initdb").exists()))
        .unwrap_or(false);
    if !installed {
        if std::env::var_os("CI").is_some() {
            return Err(
                "PostgreSQL is not installed (.ci/run installs Debian's postgresql)".into(),
            );
        }
        println!(
            "\n==> API tests on PostgreSQL: skipped, PostgreSQL is not installed (apt-get install postgresql)"
        );
        return Ok(());
    }
    let script = root.join(".ci/postgres.sh");
    let started = Command::new("bash")
        .arg(&script)
        .arg("start")
        .output()
        .map_err(|e| format!("starting PostgreSQL: {e}"))?;
    if !started.status.success() {
        return Err(format!(
            "starting PostgreSQL failed: {}",
            String::from_utf8_lossy(&started.stderr)
        ));
    }
    let printed = String::from_utf8_lossy(&started.stdout);
    let url = printed
        .lines()
        .find_map(|l| l.strip_prefix("export SHOUWANG_TEST_POSTGRES="))
        .ok_or("the PostgreSQL script printed no URL")?
        .trim()
        .to_owned();
    let result = step(
        "API tests on PostgreSQL",
        Command::new(cargo)
            .current_dir(root)
            .env("SHOUWANG_TEST_POSTGRES", &url)
            .args(["test", "--release", "-p", "shouwang", "--test", "api"]),
    );
    let _ = Command::new("bash").arg(&script).arg("stop").status();
    result
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
    )?;
    // Lighthouse audits the front end, the same whatever the database: the SQLite run has it.
    let skip_lighthouse = args.iter().any(|a| {
        [
            "--quick",
            "--no-lighthouse",
            "--scale",
            "--postgres",
            "--postgres-url",
        ]
        .contains(&a.as_str())
    });
    if skip_lighthouse {
        Ok(())
    } else {
        lighthouse()
    }
}

/// Test-only accounts on the throwaway database the audit runs against.
const LIGHTHOUSE_STAFF: (&str, &str) = ("lighthouse-staff", "lighthouse-staff-password");
const LIGHTHOUSE_RESIDENT: (&str, &str) = ("13800138009", "lighthouse-resident-password");

/// Lighthouse's mobile profile (npm `lighthouse`, pinned in package.json) on `/`, a
/// notice, `/register` and `/my-household` signed in, against the release binary on a
/// fresh database with a board to show. Prints performance, LCP, TBT, bytes and
/// accessibility per page (xtask/lighthouse.mjs).
fn lighthouse() -> Result<(), String> {
    let root = root();
    if !root.join("node_modules/lighthouse").exists() {
        step(
            "install lighthouse (npm ci)",
            Command::new("npm")
                .current_dir(&root)
                .env("PUPPETEER_SKIP_DOWNLOAD", "1")
                .args(["ci", "--no-audit", "--no-fund"]),
        )?;
    }
    // Whichever release binary is there (`cargo build --release`, or the one `cargo test
    // --release` leaves): building here could compile the dependency tree a second time.
    let binary = root.join("target/release/shouwang");
    if !binary.exists() {
        return Err("build first: cargo build --release".into());
    }
    let work = std::env::temp_dir().join(format!("shouwang-lighthouse-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let database = work.join("lighthouse.db");
    let result = (|| {
        for (role, (user, password)) in [
            ("staff", LIGHTHOUSE_STAFF),
            ("resident", LIGHTHOUSE_RESIDENT),
        ] {
            create_user(&binary, &database, role, user, password)?;
        }
        let port = free_port()?;
        let mut server = Command::new(&binary)
            .args(["serve", "--database"])
            .arg(&database)
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .env("SHOUWANG_LOG", "warn")
            .spawn()
            .map_err(|e| format!("starting the server: {e}"))?;
        let audited = wait_for(port).and_then(|()| {
            step(
                "lighthouse (mobile profile)",
                Command::new("node")
                    .current_dir(&root)
                    .env("CHROME_PATH", "/usr/bin/chromium")
                    .arg("xtask/lighthouse.mjs")
                    .arg(format!("http://127.0.0.1:{port}"))
                    .args([LIGHTHOUSE_STAFF.0, LIGHTHOUSE_STAFF.1])
                    .args([LIGHTHOUSE_RESIDENT.0, LIGHTHOUSE_RESIDENT.1]),
            )
        });
        let _ = server.kill();
        let _ = server.wait();
        audited
    })();
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn create_user(
    binary: &Path,
    database: &Path,
    role: &str,
    username: &str,
    password: &str,
) -> Result<(), String> {
    use std::io::Write as _;
    let mut child = Command::new(binary)
        .args(["create-user", "--database"])
        .arg(database)
        .args([
            "--role",
            role,
            "--username",
            username,
            "--display-name",
            role,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("create-user: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        writeln!(stdin, "{password}").map_err(|e| format!("create-user: {e}"))?;
    }
    let status = child.wait().map_err(|e| format!("create-user: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("create-user {username} failed"))
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("finding a free port: {e}"))
}

fn wait_for(port: u16) -> Result<(), String> {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Err(format!("the server did not listen on port {port}"))
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

/// The front-end must stay within the two budgets in `frontend-budget.txt`: the whole
/// app's WebAssembly, and what a phone fetches before the board works (module, JS glue
/// and stylesheet, brotli). The browser test `phone.spec.ts` checks the second against
/// the browser's own network log, page and API responses included.
fn check_frontend_budget(root: &Path) -> Result<(), String> {
    let budget_file = root.join("frontend-budget.txt");
    let budgets = std::fs::read_to_string(&budget_file)
        .map_err(|e| format!("reading {}: {e}", budget_file.display()))?;
    let whole_app = budget(&budgets, "wasm_brotli_bytes")?;
    let first_load = budget(&budgets, "first_load_brotli_bytes")?;
    let sizes_file = root.join("target/frontend/sizes.json");
    let sizes = std::fs::read_to_string(&sizes_file)
        .map_err(|e| format!("reading {}: {e}", sizes_file.display()))?;
    let brotli = |kind: &str| {
        json_number(&sizes, kind, "brotli").ok_or(format!("sizes.json lacks {kind}.brotli"))
    };
    let wasm = brotli("wasm")?;
    let loaded = wasm + brotli("js")? + brotli("css")?;
    println!(
        "\n==> front-end budgets: whole app (wasm) {wasm} bytes brotli, budget {whole_app}; \
         first load (wasm + js + css) {loaded}, budget {first_load}"
    );
    if wasm > whole_app {
        return Err(format!(
            "the wasm module is {wasm} bytes brotli, over the budget of {whole_app}"
        ));
    }
    if loaded > first_load {
        return Err(format!(
            "the first load is {loaded} bytes brotli, over the budget of {first_load}"
        ));
    }
    Ok(())
}

/// Reads `name = N` from frontend-budget.txt.
fn budget(budgets: &str, name: &str) -> Result<u64, String> {
    budgets
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix(name)
                .and_then(|rest| rest.trim_start().strip_prefix('='))
                .map(|v| v.trim().parse::<u64>())
        })
        .ok_or(format!("frontend-budget.txt has no `{name} = N` line"))?
        .map_err(|e| format!("frontend-budget.txt, {name}: {e}"))
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
