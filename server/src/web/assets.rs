//! The front-end, embedded at build time by `build.rs`, served pre-compressed.

use super::prerender::{self, Prerendered};
use crate::auth::cookies::has_session_cookie;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// One embedded file with its pre-compressed variants.
pub struct Asset {
    pub path: &'static str,
    pub mime: &'static str,
    pub etag: &'static str,
    /// Content-hashed names: cache for a year, never revalidate.
    pub immutable: bool,
    pub raw: &'static [u8],
    pub br: Option<&'static [u8]>,
    pub gzip: Option<&'static [u8]>,
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

pub fn find(path: &str) -> Option<&'static Asset> {
    FILES.iter().find(|a| a.path == path)
}

/// Serves an embedded file, or `index.html` for any other page path so the app's router
/// can handle client-side routes (`/notices/12`). Unknown file names are 404s. The board
/// and a public notice come with their content written in (see `prerender`).
pub async fn serve(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if path == super::service_worker::PATH {
        return super::service_worker::serve(&headers);
    }
    if let Some(asset) = find(path) {
        return respond(asset, &headers);
    }
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    if path.starts_with("/assets/") || last_segment.contains('.') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let Some(index) = find("/index.html") else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    if let Some(page) = Prerendered::for_path(path) {
        let signed_in = has_session_cookie(&headers);
        match prerender::render(&state, page, signed_in).await {
            Ok(Some(rendered)) => {
                let html = std::str::from_utf8(index.raw)
                    .ok()
                    .and_then(|template| prerender::into_index(template, &rendered));
                if let Some(html) = html {
                    return respond_page(html, signed_in, &headers);
                }
            }
            Ok(None) => {}
            // The app can still load the board itself; the reader gets the placeholder.
            Err(e) => tracing::warn!(error = %e, "prerendering a page failed"),
        }
    }
    respond(index, &headers)
}

/// A page with content written in: revalidated on every visit (the board changes), and
/// never kept by a shared cache once a session cookie is present, since what a
/// signed-in visitor is served depends on the session. Compressed by the layer around
/// the fallback.
fn respond_page(html: String, signed_in: bool, request: &HeaderMap) -> Response {
    let etag = format!(
        "\"p{}\"",
        hex::encode(&Sha256::digest(html.as_bytes())[..8])
    );
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if signed_in {
            "private, no-cache"
        } else {
            "no-cache"
        }),
    );
    headers.insert(
        header::VARY,
        HeaderValue::from_static("accept-encoding, cookie"),
    );
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if etag_matches(request, &etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    (headers, html).into_response()
}

fn etag_matches(request: &HeaderMap, etag: &str) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim().trim_start_matches("W/") == etag)
        })
}

fn respond(asset: &'static Asset, request: &HeaderMap) -> Response {
    let cache_control = if asset.immutable {
        "public, max-age=31536000, immutable"
    } else if asset.path == "/index.html" {
        "no-cache"
    } else {
        "public, max-age=3600"
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(header::ETAG, HeaderValue::from_static(asset.etag));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if etag_matches(request, asset.etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
    let accepts = |coding: &str| accepts_encoding(request, coding);
    let body = match (asset.br, asset.gzip) {
        (Some(br), _) if accepts("br") => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            br
        }
        (_, Some(gz)) if accepts("gzip") => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            gz
        }
        _ => asset.raw,
    };
    (headers, body).into_response()
}

/// Whether `Accept-Encoding` allows `coding` (present, and not `q=0`).
fn accepts_encoding(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            name.eq_ignore_ascii_case(coding) && !refused
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn encodings_are_negotiated() {
        assert!(accepts_encoding(&accept("gzip, deflate, br, zstd"), "br"));
        assert!(!accepts_encoding(&accept("gzip, br;q=0"), "br"));
        assert!(accepts_encoding(&accept("gzip;q=0.5"), "gzip"));
        assert!(!accepts_encoding(&HeaderMap::new(), "gzip"));
    }

    #[test]
    fn the_build_embedded_the_app() {
        let index = find("/index.html").expect("index.html is embedded");
        let html = std::str::from_utf8(index.raw).unwrap();
        let wasm = FILES
            .iter()
            .find(|a| a.mime == "application/wasm")
            .expect("a wasm module");
        assert!(wasm.immutable && wasm.br.is_some());
        assert!(
            html.contains(wasm.path),
            "index.html boots the hashed module"
        );
        assert!(BOOT_SCRIPT_HASH.starts_with("sha256-"));
    }
}
