//! Seats on shifts: taking one (a volunteer's own sign-up, staff's assignment, a sign-up
//! through the street's pool), releasing one, and filling free seats from the waitlist.

use crate::db::{self, Tx, notifications};
use crate::domain::shifts::{
    CommunityClock, Interval, Refusal, check_eligibility, check_rotation, rotation_window, seat_for,
};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use shouwang_api::ErrorCode;
use shouwang_api::notifications::Message;
use shouwang_api::shifts::{SignupAction, SignupStatus};

/// The checks and the insert of a sign-up, inside the caller's write transaction: the
/// shift is open, the volunteer eligible, not on it yet, within the rotation rules (their
/// seats here and `elsewhere`, on other communities' shifts), and a seat or, when asked
/// for, a waitlist place is free. Answers the sign-up's id and where it landed.
pub async fn take_seat(
    tx: &mut Tx,
    shift_id: i64,
    volunteer_id: i64,
    join_waitlist: bool,
    elsewhere: &[Interval],
    now: DateTime<Utc>,
) -> AppResult<(i64, SignupStatus)> {
    let shift = db::shifts::core_in(tx, shift_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if shift.cancelled || shift.at.starts_at <= now {
        return Err(Refusal::Closed.into());
    }
    let who = db::volunteers::qualifications(tx, volunteer_id).await?;
    check_eligibility(&who, &shift.requirements)?;
    if db::shifts::has_live_signup(tx, shift_id, volunteer_id).await? {
        return Err(AppError::code(ErrorCode::AlreadySignedUp));
    }
    let settings = db::shifts::settings(&mut **tx).await?;
    let mut others =
        db::shifts::seats_near(tx, volunteer_id, rotation_window(shift.at), shift_id).await?;
    others.extend_from_slice(elsewhere);
    check_rotation(shift.at, &others, &settings)?;
    let taken = db::shifts::taken_in(tx, shift_id).await?;
    let status = seat_for(taken, shift.capacity, join_waitlist)
        .ok_or_else(|| AppError::code(ErrorCode::ShiftFull))?;
    let id = db::shifts::insert_signup(tx, shift_id, volunteer_id, status, now).await?;
    Ok((id, status))
}

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
