//! Volunteers: signing up (an account, a profile, a session), editing the profile, and
//! status changes (approve, pause, remove): a paused or removed volunteer's coming shifts
//! are given up, and their seats go to the waitlist.

use super::shifts::release_seat;
use super::{accounts, sessions};
use crate::db::volunteers::StoredVolunteer;
use crate::db::{self, Db, audit, notifications};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use shouwang_api::auth::Role;
use shouwang_api::notifications::Message;
use shouwang_api::volunteers::{ValidProfile, ValidSignUp, VolunteerAction, VolunteerStatus};
use shouwang_api::{ErrorCode, FieldError};
use std::net::IpAddr;

/// Signs `valid` up from client `address` (whose sign-ups are limited): a `volunteer`
/// account named by the phone, the profile waiting for approval, and a session. Answers
/// the stored profile and the session token.
pub async fn sign_up(
    state: &AppState,
    address: IpAddr,
    valid: &ValidSignUp,
    now: DateTime<Utc>,
) -> AppResult<(StoredVolunteer, String)> {
    let hash = accounts::admit(state, address, &valid.password).await?;
    let mut tx = state.db.begin().await?;
    check_skills(&mut tx, &valid.profile).await?;
    let account = accounts::NewAccount {
        phone: &valid.phone,
        display_name: &valid.profile.name,
        role: Role::Volunteer,
        password_hash: &hash,
    };
    let id = accounts::create(&mut tx, &state.limiters, address, account, now).await?;
    db::volunteers::insert(&mut tx, id, valid.phone.as_str(), &valid.profile, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(id), "volunteer.sign_up").target("volunteer", id),
        now,
    )
    .await?;
    tx.commit().await?;

    let token = sessions::issue(&state.db, id, state.settings.session_ttl, now).await?;
    Ok((load(&state.db, id).await?, token))
}

/// Volunteer `id` edits their own profile; answers it as stored.
pub async fn update_profile(
    db: &Db,
    id: i64,
    profile: &ValidProfile,
    now: DateTime<Utc>,
) -> AppResult<StoredVolunteer> {
    let mut tx = db.begin().await?;
    check_skills(&mut tx, profile).await?;
    if !db::volunteers::update_profile(&mut tx, id, profile, now).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(id), "volunteer.update").target("volunteer", id),
        now,
    )
    .await?;
    tx.commit().await?;
    load(db, id).await
}

async fn check_skills(tx: &mut db::Tx, profile: &ValidProfile) -> AppResult<()> {
    if db::volunteers::skills_exist(&mut **tx, &profile.skills).await? {
        Ok(())
    } else {
        Err(FieldError::new("skills", ErrorCode::InvalidValue).into())
    }
}

async fn load(db: &Db, id: i64) -> AppResult<StoredVolunteer> {
    db::volunteers::find(db, id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// Applies `action` by `actor` to volunteer `id`; the volunteer is told, with how many
/// of their coming sign-ups were cancelled.
pub async fn change_status(
    db: &Db,
    actor: i64,
    id: i64,
    action: VolunteerAction,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let current = db::volunteers::status_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let next = current
        .after(action)
        .ok_or_else(|| AppError::code(ErrorCode::IllegalTransition))?;
    if !db::volunteers::change_status(&mut tx, id, current, next, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    let mut cancelled = 0;
    if action != VolunteerAction::Approve {
        for (signup_id, _) in db::shifts::future_signups_in(&mut tx, id, now).await? {
            if release_seat(&mut tx, signup_id, now).await? {
                cancelled += 1;
            }
        }
    }
    let message = match next {
        VolunteerStatus::Approved => Message::VolunteerApproved { cancelled },
        VolunteerStatus::Paused => Message::VolunteerPaused { cancelled },
        _ => Message::VolunteerRemoved { cancelled },
    };
    notifications::notify(&mut tx, id, &message, Some("/volunteer"), now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(actor), &format!("volunteer.{}", next.as_str()))
            .target("volunteer", id)
            .detail(
                serde_json::json!({ "from": current, "to": next, "cancelled_signups": cancelled }),
            ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
