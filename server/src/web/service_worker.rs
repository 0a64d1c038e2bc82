//! `/sw.js`, the app's service worker (public/sw.js), served with this build's shell:
//! its version and the files to keep for offline use. A new build (or a new
//! `SHOUWANG_APP_VERSION`) changes the script's bytes, so phones install the new worker,
//! drop the old shell and reload, instead of running a stale app forever.

use super::assets::{FILES, find};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

pub const PATH: &str = "/sw.js";

/// A release label an operator may set; it joins the build's own version, so changing
/// it makes every phone fetch the app again.
const VERSION_LABEL_ENV: &str = "SHOUWANG_APP_VERSION";

/// Not part of the shell: the worker itself, the page (cached as `./` instead), and files
/// no page loads.
const NOT_SHELL: &[&str] = &[PATH, "/index.html", "/robots.txt"];

struct Script {
    body: String,
    etag: String,
}

static SCRIPT: LazyLock<Option<Script>> = LazyLock::new(|| {
    let template = std::str::from_utf8(find(PATH)?.raw).ok()?;
    let version = shell_version(std::env::var(VERSION_LABEL_ENV).ok().as_deref());
    let files: Vec<String> = std::iter::once("./".to_owned())
        .chain(
            FILES
                .iter()
                .filter(|a| !NOT_SHELL.contains(&a.path))
                .map(|a| a.path.trim_start_matches('/').to_owned()),
        )
        .collect();
    let body = template
        .replace("__SHELL_VERSION__", &version)
        .replace("__SHELL_FILES__", &serde_json::to_string(&files).ok()?);
    let etag = format!("\"{version}\"");
    Some(Script { body, etag })
});

/// This build's files, by their content hashes, and the operator's label.
fn shell_version(label: Option<&str>) -> String {
    let mut hasher = Sha256::new();
    for asset in FILES.iter().filter(|a| a.path != PATH) {
        hasher.update(asset.path.as_bytes());
        hasher.update(asset.etag.as_bytes());
    }
    let hash = hex::encode(&hasher.finalize()[..6]);
    let label: String = label
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(40)
        .collect();
    if label.is_empty() {
        hash
    } else {
        format!("{hash}-{label}")
    }
}

pub fn serve(request: &HeaderMap) -> Response {
    let Some(script) = SCRIPT.as_ref() else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let mut headers = HeaderMap::new();
    // Browsers check for a new worker on every navigation; it must never come from a cache.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(etag) = HeaderValue::from_str(&script.etag) {
        headers.insert(header::ETAG, etag);
    }
    let not_modified = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == script.etag));
    if not_modified {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    (headers, script.body.clone()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_served_worker_names_this_builds_shell() {
        let script = SCRIPT.as_ref().expect("public/sw.js is embedded");
        assert!(!script.body.contains("__SHELL"), "placeholders filled");
        let wasm = FILES
            .iter()
            .find(|a| a.mime == "application/wasm")
            .expect("a wasm module");
        assert!(
            script.body.contains(wasm.path.trim_start_matches('/')),
            "the shell holds the module, relative to the scope"
        );
        assert!(script.body.contains("\"./\""));
    }

    #[test]
    fn a_release_label_changes_the_version() {
        assert_eq!(shell_version(None), shell_version(Some("")));
        assert_ne!(shell_version(None), shell_version(Some("2026.12.07")));
        assert!(shell_version(Some("a b/c")).ends_with("-abc"));
    }
}
