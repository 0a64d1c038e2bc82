//! The session cookie: HttpOnly, SameSite=Lax, Secure when the site is served over https.

use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};
use std::time::Duration;

pub const SESSION_COOKIE: &str = "shouwang_session";

/// An operator's session (deployment admin, street staff): apart from any community's.
pub const OPERATOR_COOKIE: &str = "shouwang_operator";

pub fn session_token(headers: &HeaderMap) -> Option<String> {
    named(headers, SESSION_COOKIE)
}

pub fn operator_token(headers: &HeaderMap) -> Option<String> {
    named(headers, OPERATOR_COOKIE)
}

fn named(headers: &HeaderMap, name: &str) -> Option<String> {
    // The most specific path comes first: a community's own session before the root's.
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

pub fn set_operator(token: &str, ttl: Duration, secure: bool) -> HeaderValue {
    build(OPERATOR_COOKIE, token, secure, "/", ttl)
}

pub fn clear_operator(secure: bool) -> HeaderValue {
    build(OPERATOR_COOKIE, "", secure, "/", Duration::ZERO)
}

fn build(name: &'static str, value: &str, secure: bool, path: &str, ttl: Duration) -> HeaderValue {
    let cookie = Cookie::build((name, value.to_owned()))
        .path(path.to_owned())
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(
            i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX),
        ))
        .build();
    header_value(&cookie)
}

pub fn has_session_cookie(headers: &HeaderMap) -> bool {
    session_token(headers).is_some()
}

/// True when the browser reached us over https (directly, or through a proxy that says so).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// `path`: the community's pages (`/` or `/c/<slug>`), so a session of one community is
/// never sent to another's.
pub fn set_session(token: &str, ttl: Duration, secure: bool, path: &str) -> HeaderValue {
    build(SESSION_COOKIE, token, secure, path, ttl)
}

pub fn clear_session(secure: bool, path: &str) -> HeaderValue {
    build(SESSION_COOKIE, "", secure, path, Duration::ZERO)
}

fn header_value(cookie: &Cookie<'_>) -> HeaderValue {
    // A cookie built from a base64url token holds only visible ASCII.
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_and_lax() {
        let v = set_session("abc", Duration::from_secs(60), false, "/");
        let s = v.to_str().unwrap();
        assert!(s.starts_with("shouwang_session=abc"));
        assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax") && s.contains("Max-Age=60"));
        assert!(!s.contains("Secure"));
        assert!(
            set_session("abc", Duration::from_secs(60), true, "/")
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("i18n_pref_locale=zh; shouwang_session=tok"),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("tok"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("shouwang_session="),
        );
        assert_eq!(session_token(&headers), None);
    }
}
