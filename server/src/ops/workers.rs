//! Caring for the workers: drawing the staff's duty roster (with warnings where it goes
//! past the rest rules), the duty hours for the subsidy, and the private wellbeing check.

use crate::auth::CurrentUser;
use crate::db::workers::{self as store, NewDuty, StoredDuty};
use crate::db::{audit, notifications::notify};
use crate::domain::workers::{self as rules, LOOK_BACK_DAYS};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, SubsecRound, Utc};
use serde_json::json;
use shouwang_api::notifications::Message;
use shouwang_api::workers::{
    Duty, DutyHoursRow, DutyRoster, DutyRules, SUMMARY_DAYS, ValidDuty, WellbeingAnswers,
    WellbeingResult, WellbeingSummary,
};
use shouwang_api::{ErrorCode, Page, PageQuery};

/// The duties starting on the local days `from`..=`to` (of one worker or all), each with
/// its warnings, and who can be put on duty.
pub async fn roster(
    state: &AppState,
    from: NaiveDate,
    to: NaiveDate,
    worker_id: Option<i64>,
) -> AppResult<DutyRoster> {
    let clock = state.clock.community();
    let (start, _) = clock.day_bounds(from);
    let (_, end) = clock.day_bounds(to);
    let (duties, warnings, duty_rules) = with_warnings(state, start, end, worker_id).await?;
    let duties = duties
        .iter()
        .filter(|d| d.starts_at >= start)
        .map(|d| rules::duty_view(d, &warnings, clock))
        .collect();
    Ok(DutyRoster {
        from,
        to,
        duties,
        workers: store::workers(&state.db).await?,
        rules: duty_rules,
    })
}

/// Every duty starting in `[start, end)` and the ones before them the rules look at, with
/// the warnings of each.
async fn with_warnings(
    state: &AppState,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    worker_id: Option<i64>,
) -> AppResult<(
    Vec<StoredDuty>,
    std::collections::HashMap<i64, Vec<shouwang_api::workers::RestWarning>>,
    DutyRules,
)> {
    let duty_rules = store::rules(&state.db).await?;
    let duties = store::duties_starting(
        &state.db,
        start - Duration::days(LOOK_BACK_DAYS),
        end,
        worker_id,
    )
    .await?;
    let warnings = rules::warnings(&duties, &duty_rules, state.clock.community());
    Ok((duties, warnings, duty_rules))
}

/// Puts a duty on the roster and tells the worker. Refused when the worker already has a
/// duty at that time (no one is in two places); past the rest rules it is added with its
/// warnings, for the person drawing the roster to see.
pub async fn add_duty(
    state: &AppState,
    by: &CurrentUser,
    duty: &ValidDuty,
    now: DateTime<Utc>,
) -> AppResult<Duty> {
    let clock = state.clock.community();
    let starts_at = clock.to_utc(duty.starts_local);
    let ends_at = clock.to_utc(duty.ends_local);
    let mut tx = state.db.begin().await?;
    if !store::is_worker(&mut tx, duty.worker_id).await? {
        return Err(AppError::with_field(
            ErrorCode::InvalidValue,
            "worker_id",
            "Not a staff member or admin of this community.",
        ));
    }
    if store::overlaps(&mut tx, duty.worker_id, starts_at, ends_at).await? {
        return Err(AppError::code(ErrorCode::ShiftOverlap));
    }
    let id = store::insert(
        &mut tx,
        &NewDuty {
            worker_id: duty.worker_id,
            starts_at,
            ends_at,
            post: &duty.post,
            note: duty.note.as_deref(),
            created_by: by.id(),
        },
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(by.id()), "duty.add")
            .target("staff_duty", id)
            .detail(json!({ "worker_id": duty.worker_id })),
        now,
    )
    .await?;
    if duty.worker_id != by.id() {
        notify(
            &mut tx,
            duty.worker_id,
            &Message::DutyAssigned {
                id,
                post: duty.post.clone(),
                starts: duty.starts_local.format("%m-%d %H:%M").to_string(),
            },
            Some("/staff/roster"),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    let (duties, warnings, _) =
        with_warnings(state, starts_at, ends_at, Some(duty.worker_id)).await?;
    duties
        .iter()
        .find(|d| d.id == id)
        .map(|d| rules::duty_view(d, &warnings, clock))
        .ok_or_else(AppError::not_found)
}

pub async fn remove_duty(
    state: &AppState,
    by: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let worker_id = store::delete(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(by.id()), "duty.remove")
            .target("staff_duty", id)
            .detail(json!({ "worker_id": worker_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Hours per worker of the duties starting on the local days `from`..=`to`.
pub async fn hours(
    state: &AppState,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DutyHoursRow>> {
    let clock = state.clock.community();
    let (start, _) = clock.day_bounds(from);
    let (_, end) = clock.day_bounds(to);
    let (duties, warnings, _) = with_warnings(state, start, end, None).await?;
    Ok(rules::hours(&duties, &warnings, start, end))
}

pub async fn set_rules(
    state: &AppState,
    by: &CurrentUser,
    duty_rules: &DutyRules,
    now: DateTime<Utc>,
) -> AppResult<DutyRules> {
    let mut tx = state.db.begin().await?;
    store::update_rules(&mut tx, duty_rules, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(by.id()), "duty.rules").detail(json!(duty_rules)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(store::rules(&state.db).await?)
}

/// Records the caller's own check and answers their result. Nothing of it is audited or
/// logged: the audit log is read by admins, and even *that* someone took it is private.
pub async fn take_check(
    state: &AppState,
    user: &CurrentUser,
    answers: &WellbeingAnswers,
    now: DateTime<Utc>,
) -> AppResult<WellbeingResult> {
    // The time as both backends store it (PostgreSQL keeps microseconds), so the reply
    // and a later read of the same check agree.
    let now = now.trunc_subsecs(6);
    let id = store::insert_check(&state.db, user.id(), answers, now).await?;
    Ok(answers.result(id, now))
}

pub async fn own_checks(
    state: &AppState,
    user: &CurrentUser,
    paging: PageQuery,
) -> AppResult<Page<WellbeingResult>> {
    let (rows, total) =
        store::own_checks(&state.db, user.id(), paging.per_page(), paging.offset()).await?;
    let items = rows
        .iter()
        .map(|row| Ok(row.answers()?.result(row.id, row.taken_at)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Page::new(items, paging, total))
}

pub async fn erase_own(state: &AppState, user: &CurrentUser) -> AppResult<u64> {
    Ok(store::erase_own(&state.db, user.id()).await?)
}

/// Counts of workers per band of their latest check in the last [`SUMMARY_DAYS`] days,
/// withheld for a small team.
pub async fn summary(state: &AppState, now: DateTime<Utc>) -> AppResult<WellbeingSummary> {
    let since = now - Duration::days(SUMMARY_DAYS);
    let latest = store::latest_checks(&state.db, since).await?;
    let bands = latest
        .iter()
        .map(|row| Ok(row.answers()?.band()))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(WellbeingSummary::of(since, &bands))
}
