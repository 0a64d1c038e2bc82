//! Builds the web front-end and embeds it in the server binary.
//!
//! `cargo build --release` at the workspace root therefore yields one self-contained file:
//! 1. compile `app/` for `wasm32-unknown-unknown` (its own target dir, so the nested cargo
//!    never waits for the lock the outer one holds);
//! 2. generate the JS glue with `wasm-bindgen-cli-support`, the library behind the
//!    `wasm-bindgen` CLI, pinned to the version in Cargo.lock;
//! 3. shrink the module with binaryen's `wasm-opt` from npm (Debian's binaryen 108 breaks
//!    reference types, see README);
//! 4. give assets content-hashed names, pre-compress them with brotli and gzip, and
//!    generate a table of them that `src/web/assets.rs` includes.
//!
//! Environment, for quicker local iterations on the front-end:
//! `SHOUWANG_WASM_OPT=skip` skips step 3; `SHOUWANG_FRONTEND_PROFILE=wasm-dev` compiles
//! the app without LTO. Neither belongs in a build you deploy.

use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const APP_PACKAGE: &str = "shouwang-app";
const DEFAULT_WASM_PROFILE: &str = "wasm-release";
const WASM_OPT_FLAGS: &[&str] = &[
    "-Oz",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
    "--strip-producers",
];

type BuildResult<T> = Result<T, Box<dyn std::error::Error>>;

fn main() {
    if let Err(e) = run() {
        // A panic message is what cargo shows most plainly for a failed build script.
        panic!("\n\nbuilding the Shouwang front-end failed: {e}\n");
    }
}

fn run() -> BuildResult<()> {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let root = manifest_dir
        .parent()
        .ok_or("the server crate must live inside the workspace")?
        .to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);

    println!("cargo::rerun-if-changed=migrations");
    for watched in [
        "app/src",
        "app/locales",
        "app/index.html",
        "app/Cargo.toml",
        "app/build.rs",
        "api/src",
        "api/Cargo.toml",
        "style",
        "public",
        "Cargo.lock",
        "package-lock.json",
    ] {
        println!("cargo::rerun-if-changed={}", root.join(watched).display());
    }
    println!("cargo::rerun-if-env-changed=SHOUWANG_WASM_OPT");
    println!("cargo::rerun-if-env-changed=SHOUWANG_FRONTEND_PROFILE");

    let work = root.join("target").join("frontend");
    ensure_wasm_target()?;
    let wasm = compile_app(&root, &work)?;
    // Per build-script run: two profiles building at once must not share it.
    let bindgen_dir = out_dir.join("bindgen");
    run_bindgen(&wasm, &bindgen_dir)?;
    optimise_wasm(&root, &bindgen_dir)?;
    let bundle = Bundle::collect(&root, &bindgen_dir)?;
    bundle.write(&out_dir, &work)?;
    Ok(())
}

/// These machines set `RUSTUP_AUTO_INSTALL=0`, so the target in rust-toolchain.toml is
/// not installed by itself.
fn ensure_wasm_target() -> BuildResult<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match installed {
        Ok(out) if String::from_utf8_lossy(&out.stdout).contains(WASM_TARGET) => Ok(()),
        Ok(_) => {
            println!("cargo::warning=installing the {WASM_TARGET} target with rustup");
            let status = Command::new("rustup")
                .args(["target", "add", WASM_TARGET])
                .status()?;
            if status.success() {
                Ok(())
            } else {
                Err(format!("`rustup target add {WASM_TARGET}` failed; run it by hand").into())
            }
        }
        // Without rustup (a distribution's Rust) we can only try and let cargo explain.
        Err(_) => Ok(()),
    }
}

fn compile_app(root: &Path, work: &Path) -> BuildResult<PathBuf> {
    let profile =
        env::var("SHOUWANG_FRONTEND_PROFILE").unwrap_or_else(|_| DEFAULT_WASM_PROFILE.into());
    if profile != DEFAULT_WASM_PROFILE {
        println!(
            "cargo::warning=SHOUWANG_FRONTEND_PROFILE={profile}: not the size-optimised front-end"
        );
    }
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["build", "--package", APP_PACKAGE, "--target", WASM_TARGET])
        .args(["--profile", &profile, "--target-dir"])
        .arg(work.join("cargo"));
    // The outer cargo describes *this* build to us through the environment; none of it
    // applies to a wasm build, and clippy's wrapper must not lint the app a second time.
    for (key, _) in env::vars_os() {
        let key = key.to_string_lossy();
        let inherited_from_outer_build = key.starts_with("CARGO_FEATURE_")
            || key.starts_with("CARGO_CFG_")
            || key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_MANIFEST_")
            || key.starts_with("DEP_");
        let unfit_for_wasm = matches!(
            key.as_ref(),
            "CARGO_ENCODED_RUSTFLAGS"
                | "RUSTFLAGS"
                | "RUSTC_WRAPPER"
                | "RUSTC_WORKSPACE_WRAPPER"
                | "CARGO_TARGET_DIR"
                | "CARGO_BUILD_TARGET"
                | "CARGO_BUILD_RUSTFLAGS"
                | "CARGO_PRIMARY_PACKAGE"
                | "CARGO_CRATE_NAME"
                | "OUT_DIR"
                | "TARGET"
                | "HOST"
                | "PROFILE"
                | "OPT_LEVEL"
                | "DEBUG"
                | "NUM_JOBS"
        );
        if inherited_from_outer_build || unfit_for_wasm {
            cmd.env_remove(key.as_ref());
        }
    }
    let status = cmd.status()?;
    if !status.success() {
        return Err("compiling the app crate for wasm32 failed (see the errors above)".into());
    }
    let wasm = work
        .join("cargo")
        .join(WASM_TARGET)
        .join(&profile)
        .join(format!("{APP_PACKAGE}.wasm"));
    if wasm.exists() {
        Ok(wasm)
    } else {
        Err(format!("expected {} after the wasm build", wasm.display()).into())
    }
}

fn run_bindgen(wasm: &Path, out: &Path) -> BuildResult<()> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .web(true)?
        .typescript(false)
        .generate(out)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    Ok(())
}

fn optimise_wasm(root: &Path, bindgen_dir: &Path) -> BuildResult<()> {
    if env::var("SHOUWANG_WASM_OPT").as_deref() == Ok("skip") {
        println!("cargo::warning=SHOUWANG_WASM_OPT=skip: the embedded wasm is not optimised");
        return Ok(());
    }
    let wasm_opt = root.join("node_modules").join(".bin").join("wasm-opt");
    if !wasm_opt.exists() {
        install_node_tools(root)?;
    }
    let module = bindgen_dir.join(format!("{APP_PACKAGE}_bg.wasm"));
    let optimised = bindgen_dir.join("optimised.wasm");
    let status = Command::new(&wasm_opt)
        .args(WASM_OPT_FLAGS)
        .arg(&module)
        .arg("-o")
        .arg(&optimised)
        .status()
        .map_err(|e| format!("running {}: {e}", wasm_opt.display()))?;
    if !status.success() {
        return Err("wasm-opt failed".into());
    }
    fs::rename(optimised, module)?;
    Ok(())
}

/// wasm-opt comes from npm's `binaryen` package, pinned in package-lock.json.
fn install_node_tools(root: &Path) -> BuildResult<()> {
    println!("cargo::warning=installing wasm-opt (npm package binaryen) with `npm ci`");
    let status = Command::new("npm")
        .current_dir(root)
        .args(["ci", "--no-audit", "--no-fund"])
        .status()
        .map_err(|e| {
            format!("wasm-opt comes from npm's binaryen package, but npm could not run ({e}); install Node.js and npm, or set SHOUWANG_WASM_OPT=skip")
        })?;
    if status.success() {
        Ok(())
    } else {
        Err("`npm ci` failed; it installs wasm-opt from package-lock.json".into())
    }
}

/// One file the server will serve.
struct Entry {
    /// URL path, e.g. `/assets/app-1a2b3c4d.wasm`.
    url: String,
    bytes: Vec<u8>,
    /// Content-hashed names never change content, so browsers may cache them for ever.
    immutable: bool,
}

struct Bundle {
    entries: Vec<Entry>,
    /// The `sha256-…` source of the inline boot script, for the Content-Security-Policy.
    boot_script_hash: String,
    sizes: BTreeMap<&'static str, (String, usize)>,
}

impl Bundle {
    fn collect(root: &Path, bindgen_dir: &Path) -> BuildResult<Bundle> {
        let mut entries = Vec::new();
        let mut sizes = BTreeMap::new();

        let wasm = fs::read(bindgen_dir.join(format!("{APP_PACKAGE}_bg.wasm")))?;
        let wasm_url = format!("/assets/app-{}.wasm", short_hash(&wasm));
        let js = fs::read(bindgen_dir.join(format!("{APP_PACKAGE}.js")))?;
        let js_url = format!("/assets/app-{}.js", short_hash(&js));

        // Stylesheets are concatenated in name order: one request, one cache entry.
        let mut css = Vec::new();
        for path in sorted_files(&root.join("style"))? {
            if path.extension().is_some_and(|e| e == "css") {
                let sheet = fs::read(&path)?;
                check_braces(&path, &sheet)?;
                css.extend(sheet);
                css.push(b'\n');
            }
        }
        let css_url = format!("/assets/style-{}.css", short_hash(&css));

        sizes.insert("wasm", (wasm_url.clone(), wasm.len()));
        sizes.insert("js", (js_url.clone(), js.len()));
        sizes.insert("css", (css_url.clone(), css.len()));
        entries.push(Entry {
            url: wasm_url.clone(),
            bytes: wasm,
            immutable: true,
        });
        entries.push(Entry {
            url: js_url.clone(),
            bytes: js,
            immutable: true,
        });
        entries.push(Entry {
            url: css_url.clone(),
            bytes: css,
            immutable: true,
        });

        // JS snippets that crates ship are imported relative to the glue file.
        let snippets = bindgen_dir.join("snippets");
        if snippets.exists() {
            for path in walk(&snippets)? {
                let rel = path
                    .strip_prefix(bindgen_dir)?
                    .to_string_lossy()
                    .replace('\\', "/");
                entries.push(Entry {
                    url: format!("/assets/{rel}"),
                    bytes: fs::read(&path)?,
                    immutable: false,
                });
            }
        }

        for path in walk(&root.join("public"))? {
            let rel = path
                .strip_prefix(root.join("public"))?
                .to_string_lossy()
                .replace('\\', "/");
            entries.push(Entry {
                url: format!("/{rel}"),
                bytes: fs::read(&path)?,
                immutable: false,
            });
        }

        let boot = format!("import init from '{js_url}';init({{module_or_path:'{wasm_url}'}});");
        let boot_script_hash = format!(
            "sha256-{}",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(boot.as_bytes()))
        );
        let template = fs::read_to_string(root.join("app").join("index.html"))?;
        let index = template
            .replace("{{STYLE}}", &css_url)
            .replace("{{SCRIPT}}", &js_url)
            .replace("{{WASM}}", &wasm_url)
            .replace("{{BOOT}}", &boot);
        entries.push(Entry {
            url: "/index.html".into(),
            bytes: index.into_bytes(),
            immutable: false,
        });

        Ok(Bundle {
            entries,
            boot_script_hash,
            sizes,
        })
    }

    /// Writes every file with its compressed variants into OUT_DIR and generates
    /// `assets.rs`, a static table of them; writes a size report next to the build.
    fn write(&self, out_dir: &Path, work: &Path) -> BuildResult<()> {
        let files_dir = out_dir.join("frontend");
        if files_dir.exists() {
            fs::remove_dir_all(&files_dir)?;
        }
        fs::create_dir_all(&files_dir)?;

        let mut table = String::new();
        let mut report = serde_json::Map::new();
        writeln!(
            table,
            "pub static BOOT_SCRIPT_HASH: &str = {:?};",
            self.boot_script_hash
        )?;
        writeln!(table, "pub static FILES: &[Asset] = &[")?;
        for (i, entry) in self.entries.iter().enumerate() {
            let raw_path = files_dir.join(format!("{i}.raw"));
            fs::write(&raw_path, &entry.bytes)?;
            let mime = mime_for(&entry.url);
            let (br, gz) = if compressible(mime) {
                (
                    smaller(brotli(&entry.bytes)?, entry.bytes.len()),
                    smaller(gzip(&entry.bytes)?, entry.bytes.len()),
                )
            } else {
                (None, None)
            };
            let include = |variant: &Option<Vec<u8>>, ext: &str| -> BuildResult<String> {
                Ok(match variant {
                    Some(bytes) => {
                        let path = files_dir.join(format!("{i}.{ext}"));
                        fs::write(&path, bytes)?;
                        format!("Some(include_bytes!({:?}))", path.display().to_string())
                    }
                    None => "None".into(),
                })
            };
            writeln!(
                table,
                "    Asset {{ path: {:?}, mime: {:?}, etag: {:?}, immutable: {}, raw: include_bytes!({:?}), br: {}, gzip: {} }},",
                entry.url,
                mime,
                format!("\"{}\"", short_hash(&entry.bytes)),
                entry.immutable,
                raw_path.display().to_string(),
                include(&br, "br")?,
                include(&gz, "gz")?,
            )?;
            if let Some((kind, _)) = self.sizes.iter().find(|(_, (url, _))| *url == entry.url) {
                let brotli_len = br.as_ref().map_or(entry.bytes.len(), Vec::len);
                let gzip_len = gz.as_ref().map_or(entry.bytes.len(), Vec::len);
                report.insert(
                    (*kind).to_owned(),
                    serde_json::json!({
                        "path": entry.url,
                        "raw": entry.bytes.len(),
                        "brotli": brotli_len,
                        "gzip": gzip_len,
                    }),
                );
                println!(
                    "cargo::warning=front-end {kind}: {} bytes raw, {brotli_len} brotli, {gzip_len} gzip",
                    entry.bytes.len()
                );
            }
        }
        writeln!(table, "];")?;
        fs::write(out_dir.join("assets.rs"), table)?;
        fs::create_dir_all(work)?;
        fs::write(
            work.join("sizes.json"),
            serde_json::to_string_pretty(&serde_json::Value::Object(report))?,
        )?;
        Ok(())
    }
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(5)
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn mime_for(url: &str) -> &'static str {
    match url.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn compressible(mime: &str) -> bool {
    mime.starts_with("text/")
        || mime.contains("javascript")
        || mime.contains("json")
        || mime == "application/wasm"
        || mime == "image/svg+xml"
}

fn smaller(compressed: Vec<u8>, original: usize) -> Option<Vec<u8>> {
    (compressed.len() < original).then_some(compressed)
}

fn brotli(bytes: &[u8]) -> BuildResult<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(out)
}

fn gzip(bytes: &[u8]) -> BuildResult<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// A rule left open swallows every rule after it, in this sheet and in every sheet
/// concatenated after it, with no error anywhere: refuse to build instead.
fn check_braces(path: &Path, sheet: &[u8]) -> BuildResult<()> {
    let text = String::from_utf8_lossy(sheet);
    let (mut depth, mut line, mut rest) = (0_i64, 1_usize, text.as_ref());
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |i| i + 2);
            line += rest[..end].matches('\n').count();
            rest = &rest[end..];
            continue;
        }
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '\n' => line += 1,
            _ => {}
        }
        if depth < 0 {
            return Err(format!("{}:{line}: a `}}` closes no rule", path.display()).into());
        }
        rest = &rest[c.len_utf8()..];
    }
    if depth != 0 {
        return Err(format!("{}: {depth} rule(s) left open", path.display()).into());
    }
    Ok(())
}

fn sorted_files(dir: &Path) -> BuildResult<Vec<PathBuf>> {
    let mut files = Vec::new();
    if dir.exists() {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn walk(dir: &Path) -> BuildResult<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        if !dir.exists() {
            continue;
        }
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
