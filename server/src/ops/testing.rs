//! Marking who was sampled in a testing round, and undoing a mistaken mark: only for a
//! round and a person in the caller's grids, only on the round's day, audited.

use crate::auth::CurrentUser;
use crate::db::{self, Db, audit};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::ErrorCode;
use shouwang_api::testing::{MarkInput, Phase, TestResult};

/// `staff` marks a person of round `id` sampled. Marking again keeps the first mark.
pub async fn mark(
    db: &Db,
    staff: &CurrentUser,
    id: i64,
    input: &MarkInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<TestResult> {
    let mut tx = db.begin().await?;
    let round = db::testing::round_in_scope(&mut tx, id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    let member = db::testing::member_in_round(&mut tx, id, input.member_id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    if !Phase::of(round.state(), round.day, today).may_mark() {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    let (result, created) =
        db::testing::mark(&mut tx, id, member, input.place, staff.id(), now).await?;
    if created {
        audit::record(
            &mut tx,
            audit::Entry::new(Some(staff.id()), "testing.mark")
                .target("member", member.member_id)
                .detail(serde_json::json!({ "round": id, "place": input.place.as_str() })),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(result)
}

/// `staff` undoes the mark of `member_id` in round `id`.
pub async fn undo_mark(
    db: &Db,
    staff: &CurrentUser,
    id: i64,
    member_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let round = db::testing::round_in_scope(&mut tx, id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    db::testing::member_in_round(&mut tx, id, member_id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    if !Phase::of(round.state(), round.day, today).may_mark() {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    if !db::testing::undo(&mut tx, id, member_id).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "testing.undo")
            .target("member", member_id)
            .detail(serde_json::json!({ "round": id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
