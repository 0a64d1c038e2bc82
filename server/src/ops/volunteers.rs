//! A volunteer's status changes (approve, pause, remove): a paused or removed volunteer's
//! coming shifts are given up, and their seats go to the waitlist.

use super::shifts::release_seat;
use crate::db::{self, Db, audit, notifications};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use shouwang_api::ErrorCode;
use shouwang_api::notifications::Message;
use shouwang_api::volunteers::{VolunteerAction, VolunteerStatus};

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
