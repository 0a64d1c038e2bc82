//! Accounts people make for themselves from a phone (a household registering, a volunteer
//! signing up): the phone number is the username.

use crate::auth::rate_limit::Limiters;
use crate::db::{self, Tx, users::InsertUserError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use shouwang_api::ErrorCode;
use shouwang_api::auth::NewPassword;
use shouwang_api::auth::Role;
use shouwang_api::personal::Phone;
use std::net::IpAddr;

pub struct NewAccount<'a> {
    pub phone: &'a Phone,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

/// Counts a sign-up from `address` (refused when it has made too many) and hashes the
/// new password: the work before the account's transaction.
pub async fn admit(state: &AppState, address: IpAddr, password: &NewPassword) -> AppResult<String> {
    state.limiters.check_sign_up(address).await?;
    Ok(state.hasher.hash(password.expose().to_owned()).await?)
}

/// Creates the account in the caller's transaction and answers its id. A phone that
/// already has an account is refused on `phone` (409 `username_taken`), and the answer is
/// charged to `address`: it tells whether a number is registered, so an address gets few.
pub async fn create(
    tx: &mut Tx,
    limiters: &Limiters,
    address: IpAddr,
    account: NewAccount<'_>,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    let inserted = db::users::insert_in(
        tx,
        account.phone.as_str(),
        account.display_name,
        account.role,
        account.password_hash,
        now,
    )
    .await;
    match inserted {
        Ok(id) => Ok(id),
        Err(InsertUserError::UsernameTaken) => {
            limiters.existence.charge(&address).await?;
            Err(AppError::with_field(
                ErrorCode::UsernameTaken,
                "phone",
                "This phone number already has an account: sign in instead.",
            ))
        }
        Err(InsertUserError::Database(e)) => Err(AppError::Database(e)),
    }
}
