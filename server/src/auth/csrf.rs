//! Cross-site request protection.
//!
//! An unsafe request (POST, PUT, PATCH, DELETE) must come from a page of this site: its
//! `Origin` (or, without one, its `Referer`) must name the host it was sent to. Browsers
//! always send `Origin` on cross-origin unsafe requests, so a forged form or fetch from
//! another site is refused. A request without either header is refused when it carries
//! a session cookie (an old browser, or a forgery that strips headers); without a
//! session there is nothing to ride on.

use super::cookies::has_session_cookie;
use crate::error::error_response;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use shouwang_api::ErrorCode;

pub async fn reject_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if is_safe(request.method()) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let host = request_host(headers, state.settings.trust_proxy);
    let verdict = match source_host(headers) {
        Some(source) => host.is_some_and(|host| host.eq_ignore_ascii_case(&source)),
        None => !has_session_cookie(headers),
    };
    if verdict {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), path = request.uri().path(), "cross-site request refused");
        error_response(ErrorCode::CrossSiteRequest)
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

fn request_host(headers: &HeaderMap, trust_proxy: bool) -> Option<String> {
    let forwarded = trust_proxy
        .then(|| headers.get("x-forwarded-host"))
        .flatten();
    forwarded
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').next().unwrap_or(v).trim().to_owned())
}

/// The `host[:port]` of the page the request came from.
fn source_host(headers: &HeaderMap) -> Option<String> {
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))?
        .to_str()
        .ok()?;
    // "null" (sandboxed frames, some redirects) names no host: it matches nothing.
    let after_scheme = source.split_once("://").map_or("", |(_, rest)| rest);
    Some(
        after_scheme
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_or_referer_name_the_source_host() {
        assert_eq!(
            source_host(&headers(&[("origin", "http://127.0.0.1:3000")])).as_deref(),
            Some("127.0.0.1:3000")
        );
        assert_eq!(
            source_host(&headers(&[(
                "referer",
                "https://shouwang.example/staff/notices?x=1"
            )]))
            .as_deref(),
            Some("shouwang.example")
        );
        assert_eq!(
            source_host(&headers(&[("origin", "null")])).as_deref(),
            Some("")
        );
        assert_eq!(source_host(&headers(&[])), None);
    }

    #[test]
    fn forwarded_host_counts_only_behind_a_trusted_proxy() {
        let h = headers(&[
            ("host", "127.0.0.1:3000"),
            ("x-forwarded-host", "shouwang.example"),
        ]);
        assert_eq!(request_host(&h, false).as_deref(), Some("127.0.0.1:3000"));
        assert_eq!(request_host(&h, true).as_deref(), Some("shouwang.example"));
    }
}
