//! Who is calling. A handler's signature says who may call it:
//! `CurrentUser` (anyone signed in), `RequireStaff`, `RequireAdmin`, or `MaybeUser`.

pub mod cookies;
pub mod csrf;
pub mod device;
pub mod operator;
pub mod rate_limit;

use crate::db;
use crate::db::scope::Scope;
use crate::domain::sessions::token_hash;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use shouwang_api::auth::{Account, Role};

/// A signed-in account. Rejects with 401 when there is no live session.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Account);

impl CurrentUser {
    pub fn id(&self) -> i64 {
        self.0.id
    }

    pub fn role(&self) -> Role {
        self.0.role
    }

    /// Whose personal data this caller may read: every query of it takes this.
    pub fn scope(&self) -> Scope {
        Scope::of(self.id(), self.role())
    }
}

/// The session's account, looked up once per request and kept in its extensions.
#[derive(Clone)]
struct ResolvedSession(Option<Account>);

async fn resolve(parts: &mut Parts, state: &AppState) -> Result<Option<Account>, AppError> {
    if let Some(ResolvedSession(account)) = parts.extensions.get::<ResolvedSession>() {
        return Ok(account.clone());
    }
    let account = match cookies::session_token(&parts.headers) {
        Some(token) => {
            db::sessions::find_account(&state.db, &token_hash(&token), state.clock.now()).await?
        }
        None => None,
    };
    parts.extensions.insert(ResolvedSession(account.clone()));
    Ok(account)
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        resolve(parts, state)
            .await?
            .map(CurrentUser)
            .ok_or_else(AppError::unauthenticated)
    }
}

/// Signed in or not; for endpoints that show more to staff.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl MaybeUser {
    pub fn is_staff(&self) -> bool {
        self.0.as_ref().is_some_and(|u| u.role().is_staff())
    }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(resolve(parts, state).await?.map(CurrentUser)))
    }
}

/// Community staff or an admin: 401 when signed out, 403 for other roles.
#[derive(Debug, Clone)]
pub struct RequireStaff(pub CurrentUser);

impl FromRequestParts<AppState> for RequireStaff {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.role().is_staff() {
            Ok(RequireStaff(user))
        } else {
            Err(denied(parts, &user))
        }
    }
}

/// An admin: 401 when signed out, 403 for other roles.
#[derive(Debug, Clone)]
pub struct RequireAdmin(pub CurrentUser);

impl FromRequestParts<AppState> for RequireAdmin {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.role().is_admin() {
            Ok(RequireAdmin(user))
        } else {
            Err(denied(parts, &user))
        }
    }
}

/// Authorisation failures are worth a log line: who (by id and role, not name) tried what.
fn denied(parts: &Parts, user: &CurrentUser) -> AppError {
    tracing::warn!(
        user_id = user.id(),
        role = %user.role(),
        method = %parts.method,
        path = parts.uri.path(),
        "forbidden"
    );
    AppError::forbidden()
}
