use crate::auth::cookies::{self, is_https};
use crate::auth::device;
use crate::auth::rate_limit::client_address;
use crate::auth::{CurrentUser, MaybeUser};
use crate::db;
use crate::domain::sessions::token_hash;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::ops::sign_in::{SignInError, sign_in};
use crate::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use shouwang_api::ErrorBody;
use shouwang_api::ErrorCode;
use shouwang_api::auth::{Account, LoginRequest};
use std::net::SocketAddr;

impl From<SignInError> for AppError {
    fn from(e: SignInError) -> Self {
        match e {
            SignInError::Field(field) => AppError::Field(field),
            SignInError::InvalidCredentials => AppError::code(ErrorCode::InvalidCredentials),
            SignInError::Disabled => AppError::Refused {
                code: ErrorCode::Forbidden,
                field: None,
                message: Some("This account is disabled.".into()),
            },
            SignInError::RateLimited(wait) => AppError::RateLimited(wait),
            SignInError::Database(e) => AppError::Database(e),
            SignInError::Internal(e) => AppError::Internal(e),
        }
    }
}

/// Sign in. Sets an HttpOnly session cookie, and a device cookie that exempts this
/// browser from the account-wide limits other addresses' wrong passwords cause.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Account),
        (status = 401, description = "Unknown user or wrong password (one message for both)", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> AppResult<Response> {
    let now = state.clock.now();
    let address = client_address(peer, &headers, state.settings.trust_proxy);
    let known_device = state
        .device_key
        .known_account(&state.db, &headers, now)
        .await?;
    let signed_in = sign_in(&state, address, known_device, request, now).await?;
    let secure = is_https(&headers);
    let session = cookies::set_session(
        &signed_in.token,
        state.settings.session_ttl,
        secure,
        state.community.cookie_path(),
    );
    let device = device::set_cookie(
        &state
            .device_key
            .issue(&state.db, signed_in.account.id, now)
            .await?,
        secure,
    );
    Ok((
        AppendHeaders([(header::SET_COOKIE, session), (header::SET_COOKIE, device)]),
        Json(signed_in.account),
    )
        .into_response())
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out")))]
pub async fn logout(
    State(state): State<AppState>,
    _user: MaybeUser,
    headers: HeaderMap,
) -> AppResult<Response> {
    if let Some(token) = cookies::session_token(&headers) {
        db::sessions::delete(&state.db, &token_hash(&token)).await?;
    }
    let cookie = cookies::clear_session(is_https(&headers), state.community.cookie_path());
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = Account), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
pub async fn me(CurrentUser(account): CurrentUser) -> Json<Account> {
    Json(account)
}
