//! `Idempotency-Key`: a phone that sent a write and lost the answer (a stairwell, an
//! overloaded network) sends it again with the same key, and the write happens once.
//!
//! Honoured on every unsafe method (POST, PUT, PATCH, DELETE) under `/api` that carries
//! the header; without it a request runs as it always did. Per (key, caller) — the caller
//! is the signed-in account, or for a signed-out sender a hash of its address, the
//! identity anonymous submissions are already limited by — the first request runs and its
//! answer (status and body) is kept for a day:
//! - the same key with the same method, path and body gets that answer again, with
//!   `Idempotent-Replayed: true`, and nothing runs;
//! - the same key with another request is refused: 422 `idempotency_key_reused`;
//! - a duplicate arriving while the first still runs waits for its answer (the key row
//!   is inserted before the handler runs, under the primary key, so only one can run).
//!
//! Answers that say "try again" (429, 5xx) are not kept, and neither are answers that set
//! a cookie (signing in): a replay could not give the cookie back.

use crate::auth::MaybeUser;
use crate::auth::rate_limit::client_address;
use crate::db::idempotency::{self as store, KeyRef, Stored};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use shouwang_api::ErrorCode;
use shouwang_api::photos::PHOTO_MAX_BYTES;
use std::net::SocketAddr;
use std::time::Duration;

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
/// How long a first answer is kept: a queued write is sent within hours, not days.
const KEEP_FOR: chrono::Duration = chrono::Duration::hours(24);
/// A claim older than this whose request never finished was cut short (a restart): the
/// same request may run again.
const STALE_AFTER: chrono::Duration = chrono::Duration::minutes(2);
/// How long a duplicate waits for the first request's answer before giving up (409).
const WAIT_FOR_FIRST: Duration = Duration::from_secs(10);
const POLL_EVERY: Duration = Duration::from_millis(50);
const MAX_KEY_CHARS: usize = 200;

pub async fn honour(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let unsafe_method = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let Some(key) = request.headers().get(HEADER).cloned() else {
        return next.run(request).await;
    };
    if !unsafe_method {
        return next.run(request).await;
    }
    match run_once(&state, key, request, next).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn run_once(
    state: &AppState,
    key: HeaderValue,
    request: Request,
    next: Next,
) -> AppResult<Response> {
    let key = valid_key(&key)?;
    let (mut parts, body) = request.into_parts();
    // Largest body any endpoint accepts (a photo); each endpoint still applies its own.
    let body = axum::body::to_bytes(body, PHOTO_MAX_BYTES)
        .await
        .map_err(|_| AppError::code(ErrorCode::PayloadTooLarge))?;
    let request_hash = request_hash(&parts.method, &parts.uri, &body);
    // Resolving the session here also leaves it in the request for the handler.
    let caller = match MaybeUser::from_request_parts(&mut parts, state).await?.0 {
        Some(user) => format!("user:{}", user.id()),
        None => {
            let peer = parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(peer)| *peer);
            let address = peer.map(|peer| {
                client_address(peer, &parts.headers, state.settings.trust_proxy).to_string()
            });
            format!(
                "anon:{}",
                hex_sha256(address.unwrap_or_default().as_bytes())
            )
        }
    };
    let key_ref = KeyRef {
        key,
        caller: &caller,
    };
    let now = state.clock.now();
    if store::claim(
        &state.db,
        key_ref,
        &request_hash,
        now,
        now + KEEP_FOR,
        now - STALE_AFTER,
    )
    .await?
    {
        // The first request runs to its end on its own task, even when its client goes
        // away mid-request (a phone losing signal): its answer is kept for the retry,
        // which would otherwise wait on a claim nobody finishes and be refused.
        let (state, key, caller) = (state.clone(), key.to_owned(), caller.clone());
        let request = Request::from_parts(parts, Body::from(body));
        return tokio::spawn(async move {
            let response = next.run(request).await;
            let key_ref = KeyRef {
                key: &key,
                caller: &caller,
            };
            keep(&state, key_ref, response).await
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    }
    let waited = tokio::time::Instant::now();
    loop {
        let Some(stored) = store::find(&state.db, key_ref).await? else {
            // The first request's answer was not kept (429, 5xx): nothing to replay,
            // and the caller may try again.
            return Err(AppError::code(ErrorCode::Conflict));
        };
        if stored.request_hash != request_hash {
            return Err(AppError::code(ErrorCode::IdempotencyKeyReused));
        }
        if let Some(response) = replay(&stored) {
            return Ok(response);
        }
        if waited.elapsed() >= WAIT_FOR_FIRST {
            return Err(AppError::Refused {
                code: ErrorCode::Conflict,
                field: None,
                message: Some(
                    "The first request with this Idempotency-Key is still running.".into(),
                ),
            });
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

fn valid_key(value: &HeaderValue) -> AppResult<&str> {
    value
        .to_str()
        .ok()
        .filter(|key| {
            (1..=MAX_KEY_CHARS).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
        })
        .ok_or_else(|| {
            AppError::with_field(
                ErrorCode::InvalidValue,
                "Idempotency-Key",
                "An Idempotency-Key is 1 to 200 visible ASCII characters.",
            )
        })
}

fn request_hash(method: &Method, uri: &axum::http::Uri, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(
        uri.path_and_query()
            .map_or(uri.path(), |p| p.as_str())
            .as_bytes(),
    );
    hasher.update(b"\n");
    hasher.update(body);
    hex::encode(hasher.finalize())
}

fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Stores the first answer (or frees the key when it is not to be kept) and returns it.
async fn keep(state: &AppState, key: KeyRef<'_>, response: Response) -> AppResult<Response> {
    let status = response.status();
    let sets_cookie = response.headers().contains_key(header::SET_COOKIE);
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() || sets_cookie {
        store::release(&state.db, key).await?;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let body: Bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading an answer to keep: {e}")))?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    store::complete(&state.db, key, status.as_u16(), content_type, &body).await?;
    Ok(Response::from_parts(parts, Body::from(body)))
}

fn replay(stored: &Stored) -> Option<Response> {
    let status = StatusCode::from_u16(u16::try_from(stored.status?).ok()?).ok()?;
    let mut response = Response::new(Body::from(stored.body.clone().unwrap_or_default()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Some(content_type) = stored
        .content_type
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        headers.insert(header::CONTENT_TYPE, content_type);
    }
    headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_visible_ascii_of_bounded_length() {
        assert!(valid_key(&HeaderValue::from_static("4f1c-9a2e")).is_ok());
        assert!(valid_key(&HeaderValue::from_static("")).is_err());
        assert!(valid_key(&HeaderValue::from_static("a b")).is_err());
        let long = "k".repeat(MAX_KEY_CHARS + 1);
        assert!(valid_key(&HeaderValue::from_str(&long).expect("a header value")).is_err());
    }

    #[test]
    fn the_request_hash_covers_method_path_and_body() {
        let uri: axum::http::Uri = "/api/health/me/check-ins".parse().expect("a uri");
        let other: axum::http::Uri = "/api/health/me/all-well".parse().expect("a uri");
        let first = request_hash(&Method::POST, &uri, b"{}");
        assert_eq!(first, request_hash(&Method::POST, &uri, b"{}"));
        assert_ne!(first, request_hash(&Method::PUT, &uri, b"{}"));
        assert_ne!(first, request_hash(&Method::POST, &other, b"{}"));
        assert_ne!(first, request_hash(&Method::POST, &uri, b"{ }"));
    }
}
