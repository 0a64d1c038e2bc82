//! Seats on shifts: releasing one and filling free seats from the waitlist. Used by
//! shift changes, sign-up cancellations and volunteers' status changes.

use crate::db::{self, Tx, notifications};
use crate::domain::shifts::{CommunityClock, check_eligibility, check_rotation, rotation_window};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use shouwang_api::notifications::Message;
use shouwang_api::shifts::{SignupAction, SignupStatus};

/// Cancels a live sign-up; a freed seat goes to the first in line who may take it.
/// Returns false when the sign-up was not live.
pub async fn release_seat(tx: &mut Tx, signup_id: i64, now: DateTime<Utc>) -> AppResult<bool> {
    let Some(signup) = db::shifts::signup_in(tx, signup_id).await? else {
        return Ok(false);
    };
    let Some(next) = signup.status.after(SignupAction::Cancel) else {
        return Ok(false);
    };
    if !db::shifts::change_signup(tx, signup_id, signup.status, next, now).await? {
        return Ok(false);
    }
    if signup.status == SignupStatus::SignedUp {
        promote(tx, signup.shift_id, now).await?;
    }
    Ok(true)
}

/// Fills free seats from the waitlist, first in line first, skipping anyone who may no
/// longer take the shift (paused, or it now breaks their rotation); tells each promoted
/// volunteer. Returns how many moved up.
pub async fn promote(tx: &mut Tx, shift_id: i64, now: DateTime<Utc>) -> AppResult<u32> {
    let Some(shift) = db::shifts::core_in(tx, shift_id).await? else {
        return Ok(0);
    };
    if shift.cancelled || shift.at.starts_at <= now {
        return Ok(0);
    }
    let settings = db::shifts::settings(&mut **tx).await?;
    let clock = CommunityClock::of(&settings);
    let mut taken = db::shifts::taken_in(tx, shift_id).await?;
    let mut promoted = 0;
    for (signup_id, volunteer_id) in db::shifts::waitlist_in(tx, shift_id).await? {
        if taken >= shift.capacity {
            break;
        }
        let who = db::volunteers::qualifications(tx, volunteer_id).await?;
        let others =
            db::shifts::seats_near(tx, volunteer_id, rotation_window(shift.at), shift_id).await?;
        if check_eligibility(&who, &shift.requirements).is_err()
            || check_rotation(shift.at, &others, &settings).is_err()
        {
            continue;
        }
        if db::shifts::change_signup(
            tx,
            signup_id,
            SignupStatus::Waitlisted,
            SignupStatus::SignedUp,
            now,
        )
        .await?
        {
            taken += 1;
            promoted += 1;
            notifications::notify(
                tx,
                volunteer_id,
                &Message::ShiftPromoted(shift.notice(clock)),
                Some("/volunteer"),
                now,
            )
            .await?;
        }
    }
    Ok(promoted)
}
