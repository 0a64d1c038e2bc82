//! Signing in: limits, password check, a new session.
//!
//! The limits stop guessing without letting a guesser lock the owner out:
//! - every attempt counts against the client address (generous: shared NAT addresses);
//! - wrong passwords count per (account, address): one address guessing one account;
//! - wrong passwords from devices the account never signed in on count per account, in
//!   two tiers, so spreading the guesses over many addresses slows down, then more;
//! - a device that signed in to the account before (a signed device cookie, see
//!   `auth::device`) skips the per-account tiers: failures from elsewhere do not hold it.
//!
//! Only failures count against the account: each attempt is counted before the password
//! check (parallel guesses cannot all pass) and given back when it succeeds. Unknown and
//! known names behave alike.

use crate::auth::rate_limit::Limited;
use crate::db::{self, audit};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use shouwang_api::FieldError;
use shouwang_api::auth::{Account, LoginRequest, Username};
use std::net::IpAddr;
use std::time::Duration;

pub struct SignedIn {
    pub account: Account,
    /// The session token, for the cookie; only its hash is stored.
    pub token: String,
}

impl From<Limited> for SignInError {
    fn from(limited: Limited) -> Self {
        match limited {
            Limited::Wait(wait) => SignInError::RateLimited(wait),
            Limited::Store(e) => SignInError::Database(e),
        }
    }
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
    state: &AppState,
    address: IpAddr,
    known_device: Option<i64>,
    request: LoginRequest,
    now: DateTime<Utc>,
) -> Result<SignedIn, SignInError> {
    let (db, hasher, limiters) = (&state.db, &state.hasher, state.limiters.as_ref());
    request.validate().map_err(SignInError::Field)?;
    // A name that cannot exist is simply an unknown user, but it still counts as an attempt.
    let username = Username::parse(&request.username)
        .map(Username::into_inner)
        .unwrap_or_else(|_| request.username.trim().to_lowercase());
    limiters.sign_in_by_address.check(&address).await?;
    let pair = (username.clone(), address);
    limiters.sign_in_failures.check(&pair).await?;

    let record = db::users::find_for_login(db, &username).await?;
    let trusted = record
        .as_ref()
        .is_some_and(|r| known_device == Some(r.account.id));
    if !trusted {
        for (counted, tier) in limiters.account_failures.iter().enumerate() {
            if let Err(limited) = tier.check(&username).await {
                for earlier in &limiters.account_failures[..counted] {
                    earlier.refund(&username).await?;
                }
                limiters.sign_in_failures.refund(&pair).await?;
                return Err(limited.into());
            }
        }
    }
    let stored = record.as_ref().map(|r| r.password_hash.clone());
    let valid = hasher.verify(request.password, stored).await?;
    if valid {
        limiters.sign_in_failures.refund(&pair).await?;
        if !trusted {
            for tier in &limiters.account_failures {
                tier.refund(&username).await?;
            }
        }
    }
    let Some(record) = record.filter(|_| valid) else {
        let actor = None;
        audit::record_alone(db, audit::Entry::new(actor, "login.failure"), now).await?;
        return Err(SignInError::InvalidCredentials);
    };
    if record.disabled {
        audit::record_alone(
            db,
            audit::Entry::new(Some(record.account.id), "login.disabled"),
            now,
        )
        .await?;
        return Err(SignInError::Disabled);
    }

    let token =
        super::sessions::issue(db, record.account.id, state.settings.session_ttl, now).await?;
    audit::record_alone(
        db,
        audit::Entry::new(Some(record.account.id), "login.success"),
        now,
    )
    .await?;
    Ok(SignedIn {
        account: record.account,
        token,
    })
}
