//! A household registering itself: its account, the household (or a merge request when
//! the room already has one), staff told, all in one transaction; then its session.

use crate::db::residents::NewHousehold;
use crate::db::{self, audit};
use crate::error::{AppError, AppResult};
use crate::ops::{accounts, sessions};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use shouwang_api::ErrorCode;
use shouwang_api::auth::Role;
use shouwang_api::notifications::Message;
use shouwang_api::residents::{RegistrationOutcome, Source, ValidRegistration};
use std::net::IpAddr;

pub struct Registered {
    pub outcome: RegistrationOutcome,
    /// The new account's session token, for the cookie.
    pub token: String,
}

/// Registers `valid` from client `address` (whose sign-ups are limited). A room that
/// already has a household gets a merge request for its grid's staff instead of a
/// second household.
pub async fn register(
    state: &AppState,
    address: IpAddr,
    valid: &ValidRegistration,
    now: DateTime<Utc>,
) -> AppResult<Registered> {
    let hash = accounts::admit(state, address, &valid.password).await?;
    let display_name = valid
        .members
        .iter()
        .find(|m| m.phone.as_ref() == Some(&valid.phone))
        .or(valid.members.first())
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let mut tx = state.db.begin().await?;
    let place = db::community::room_place(&mut tx, valid.room_id)
        .await?
        .ok_or_else(|| AppError::with_field(ErrorCode::NotFound, "room_id", "No such room."))?;
    let account = accounts::NewAccount {
        phone: &valid.phone,
        display_name: &display_name,
        role: Role::Resident,
        password_hash: &hash,
    };
    let user_id = accounts::create(&mut tx, &state.limiters, address, account, now).await?;
    let existing = db::residents::active_in_room(&mut tx, place.room_id).await?;
    let new = NewHousehold {
        place: &place,
        source: Source::SelfRegistered,
        pending: existing.is_some(),
        consent_sensitive: valid.consent_sensitive,
        created_by: Some(user_id),
    };
    let household_id = db::residents::insert_household(&mut tx, new, &valid.members, now).await?;
    db::residents::link_account(&mut tx, user_id, household_id).await?;
    if let Some(existing) = existing {
        let request_id =
            db::residents::insert_merge_request(&mut tx, &place, existing, household_id, now)
                .await?;
        for staff in db::scope::staff_of_grid(&mut tx, place.grid_id).await? {
            db::notifications::notify(
                &mut tx,
                staff,
                &Message::MergeRequest { id: request_id },
                Some("/staff/residents"),
                now,
            )
            .await?;
        }
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user_id), "household.register")
            .target("household", household_id)
            .detail(serde_json::json!({
                "members": valid.members.len(),
                "consent_sensitive": valid.consent_sensitive,
                "merge_pending": existing.is_some(),
            })),
        now,
    )
    .await?;
    tx.commit().await?;

    let token = sessions::issue(&state.db, user_id, state.settings.session_ttl, now).await?;
    Ok(Registered {
        outcome: RegistrationOutcome {
            household_id,
            merge_pending: existing.is_some(),
        },
        token,
    })
}
