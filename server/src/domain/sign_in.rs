//! Signing in: limits, password check, a new session.

use crate::auth::rate_limit::LoginLimiter;
use crate::db::{self, Db, audit};
use crate::domain::passwords::Hasher;
use crate::domain::sessions::new_token;
use chrono::Utc;
use shouwang_api::FieldError;
use shouwang_api::auth::{Account, LoginRequest, Username};
use std::net::IpAddr;
use std::time::Duration;

pub struct SignedIn {
    pub account: Account,
    /// The session token, for the cookie; only its hash is stored.
    pub token: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("{0}")]
    Field(FieldError),
    /// Unknown user and wrong password look the same from outside.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("account disabled")]
    Disabled,
    #[error("rate limited")]
    RateLimited(Duration),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub async fn sign_in(
    db: &Db,
    hasher: &Hasher,
    limiter: &LoginLimiter,
    session_ttl: Duration,
    address: IpAddr,
    request: LoginRequest,
) -> Result<SignedIn, SignInError> {
    request.validate().map_err(SignInError::Field)?;
    // A name that cannot exist is simply an unknown user, but it still counts as an attempt.
    let username = Username::parse(&request.username)
        .map(Username::into_inner)
        .unwrap_or_else(|_| request.username.trim().to_lowercase());
    limiter
        .check(address, &username)
        .map_err(SignInError::RateLimited)?;

    let record = db::users::find_for_login(db, &username).await?;
    let stored = record.as_ref().map(|r| r.password_hash.clone());
    let valid = hasher.verify(request.password, stored).await?;
    let Some(record) = record.filter(|_| valid) else {
        let actor = None;
        audit::record_alone(db, audit::Entry::new(actor, "login.failure")).await?;
        return Err(SignInError::InvalidCredentials);
    };
    if record.disabled {
        audit::record_alone(
            db,
            audit::Entry::new(Some(record.account.id), "login.disabled"),
        )
        .await?;
        return Err(SignInError::Disabled);
    }

    let (token, token_hash) = new_token();
    let ttl = chrono::Duration::from_std(session_ttl).unwrap_or(chrono::Duration::days(7));
    db::sessions::insert(db, &token_hash, record.account.id, Utc::now() + ttl).await?;
    audit::record_alone(
        db,
        audit::Entry::new(Some(record.account.id), "login.success"),
    )
    .await?;
    Ok(SignedIn {
        account: record.account,
        token,
    })
}
