//! Issuing sessions: signing in, signing up as a volunteer and registering a household
//! all end here.

use crate::db::{self, Db};
use crate::domain::sessions::new_token;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Starts a session for `account`, valid for `ttl` from `now`. Returns the token, for
/// the cookie; only its hash is stored.
pub async fn issue(
    db: &Db,
    account: i64,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let (token, token_hash) = new_token();
    let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(7));
    db::sessions::insert(db, &token_hash, account, now + ttl, now).await?;
    Ok(token)
}
