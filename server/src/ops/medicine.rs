//! Medicine runs (代配药): asking, the hand-overs of the cards, the bag photo, the check of
//! what arrived, and telling staff of a card not back in time.

use crate::auth::CurrentUser;
use crate::db::{self, Tx, audit, notifications::notify};
use crate::domain::medicine as rules;
use crate::domain::photos::Photo;
use crate::domain::supplies::{self as supply_rules, Party};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use shouwang_api::medicine::{
    ArrivalInput, CUSTODY_LIMIT_HOURS, CustodyInput, CustodyOut, CustodyRefusal, CustodySide,
    CustodyStep, MedicineRun, ValidArrival, ValidMedicineRequest,
};
use shouwang_api::notifications::Message;
use shouwang_api::supplies::{RequestKind, RequestState, ValidRequest};
use shouwang_api::{ErrorCode, Page, PageQuery};

/// A resident asks for their regular medicine: a supply request of kind `prescription`
/// (priority, states and pickup code as any request) with its lines and the items they
/// will hand over. Answers the request's id.
pub async fn ask(
    state: &AppState,
    user: &CurrentUser,
    request: &ValidMedicineRequest,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    let supply = ValidRequest {
        kind: RequestKind::Prescription,
        urgency: request.urgency,
        items: request.summary(),
        notes: request.notes.clone(),
        contact_phone: request.contact_phone.clone(),
    };
    let mut tx = state.db.begin().await?;
    let id = super::supplies::create_in(&mut tx, user, &supply, now).await?;
    db::medicine::insert(&mut tx, id, request).await?;
    tx.commit().await?;
    Ok(id)
}

/// How the caller relates to run `id`: 404 when it is not a medicine run or not theirs.
async fn party_in(
    tx: &mut Tx,
    user: &CurrentUser,
    id: i64,
) -> AppResult<(db::supplies::Core, Party)> {
    let core = db::supplies::core_in(tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !db::medicine::is_run(tx, id).await? {
        return Err(AppError::not_found());
    }
    let party = super::supplies::party_of(tx, user, &core).await?;
    Ok((core, party))
}

/// The run as the caller may read it.
pub async fn read(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<MedicineRun> {
    let mut tx = state.db.begin().await?;
    let (_, party) = party_in(&mut tx, user, id).await?;
    tx.rollback().await?;
    load(state, id, party).await
}

async fn load(state: &AppState, id: i64, party: Party) -> AppResult<MedicineRun> {
    let run = db::medicine::find(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(rules::run_view(run, party, state.clock.now()))
}

/// One side confirms a hand-over of one item. The volunteer may give the resident's pickup
/// code, which confirms the resident's side too (wrong codes count towards the same lock
/// as deliveries).
pub async fn confirm_custody(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: &CustodyInput,
    now: DateTime<Utc>,
) -> AppResult<MedicineRun> {
    let code = input.validate()?;
    let mut tx = state.db.begin().await?;
    let core = db::supplies::core_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !db::medicine::is_run(&mut tx, id).await? {
        return Err(AppError::not_found());
    }
    let item = db::medicine::item_in(&mut tx, id, input.item_id)
        .await?
        .ok_or_else(|| {
            AppError::with_field(
                ErrorCode::InvalidValue,
                "item_id",
                "No such item in this run.",
            )
        });
    // The volunteer who holds a card gives it back even if the run was handed to someone
    // else since.
    let party = match super::supplies::party_of(&mut tx, user, &core).await {
        Ok(party) => party,
        Err(refused) => match &item {
            Ok(item) if input.step == CustodyStep::Return && item.holder_id == Some(user.id()) => {
                Party::Volunteer
            }
            _ => return Err(refused),
        },
    };
    let item = item?;
    let side = rules::side_of(party);
    if code.is_some() && side != CustodySide::Volunteer {
        return Err(AppError::with_field(
            ErrorCode::InvalidValue,
            "pickup_code",
            "Only the volunteer gives the resident's pickup code.",
        ));
    }
    if !rules::step_open(input.step, core.state, item.marks().state()) {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    let both = match &code {
        Some(code) => {
            if let Some(wait) = supply_rules::pickup_lock_left(core.pickup_locked_until, now) {
                return Err(AppError::RateLimited(wait));
            }
            if !supply_rules::code_matches(&core.pickup_code, code) {
                super::supplies::wrong_pickup_code(tx, &core, user, now).await?;
                return Err(AppError::with_field(
                    ErrorCode::InvalidValue,
                    "pickup_code",
                    "This is not the resident's pickup code.",
                ));
            }
            true
        }
        None => false,
    };
    let before = item.marks();
    let after = before
        .confirm(input.step, side, both, now)
        .map_err(|refusal| match refusal {
            CustodyRefusal::AlreadyConfirmed | CustodyRefusal::NotHeld => {
                AppError::code(ErrorCode::IllegalTransition)
            }
        })?;
    let holder =
        (side == CustodySide::Volunteer && input.step == CustodyStep::Take).then_some(user.id());
    if !db::medicine::set_marks(&mut tx, item.id, &before, &after, holder).await? {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "medicine.custody")
            .target("supply_request", id)
            .detail(json!({
                "item": item.kind, "step": input.step, "side": side, "with_code": both,
                "state": after.state(),
            })),
        now,
    )
    .await?;
    tx.commit().await?;
    load(state, id, party).await
}

/// The volunteer stores the photo of the medicine bag, taken at the pharmacy.
pub async fn store_bag_photo(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    photo: &Photo,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let (core, party) = party_in(&mut tx, user, id).await?;
    if party != Party::Volunteer {
        return Err(AppError::forbidden());
    }
    if !rules::bag_photo_open(core.state) {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    db::medicine::store_bag_photo(
        &mut tx,
        id,
        &photo.jpeg,
        photo.width,
        photo.height,
        user.id(),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "medicine.bag_photo")
            .target("supply_request", id)
            .detail(json!({ "bytes": photo.jpeg.len() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The bag photo, to the three parties of the run.
pub async fn bag_photo(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Vec<u8>> {
    let mut tx = state.db.begin().await?;
    party_in(&mut tx, user, id).await?;
    tx.rollback().await?;
    db::medicine::bag_photo(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The resident checks what arrived against the request, line by line, and so confirms
/// the delivery. Something short or missing tells the grid's staff.
pub async fn check_arrival(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: &ArrivalInput,
    now: DateTime<Utc>,
) -> AppResult<MedicineRun> {
    let mut tx = state.db.begin().await?;
    let (core, party) = party_in(&mut tx, user, id).await?;
    if party != Party::Requester {
        return Err(AppError::forbidden());
    }
    let line_ids = db::medicine::line_ids(&mut tx, id).await?;
    let arrival: ValidArrival = input.validate(&line_ids)?;
    let to = core
        .state
        .after(shouwang_api::supplies::RequestAction::Confirm)
        .ok_or_else(|| AppError::code(ErrorCode::IllegalTransition))?;
    if !db::medicine::record_arrival(&mut tx, id, &arrival, now).await?
        || !db::supplies::change_state(&mut tx, id, core.state, to, None, now).await?
    {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    db::supplies::insert_event(
        &mut tx,
        id,
        user.id(),
        Some(core.state),
        to,
        db::supplies::EventText {
            note: arrival.note.as_deref(),
            detail: None,
        },
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "medicine.arrival")
            .target("supply_request", id)
            .detail(json!({ "complete": arrival.all_complete() })),
        now,
    )
    .await?;
    if !arrival.all_complete() {
        for staff in db::scope::staff_of_grid(&mut tx, core.grid_id).await? {
            notify(
                &mut tx,
                staff,
                &Message::MedicineShort { id },
                Some("/staff/supplies"),
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    debug_assert_eq!(to, RequestState::Confirmed);
    load(state, id, party).await
}

/// Staff's list of cards and books out of residents' hands in their grids.
pub async fn out_list(
    state: &AppState,
    user: &CurrentUser,
    paging: PageQuery,
) -> AppResult<Page<CustodyOut>> {
    let now = state.clock.now();
    let (items, total) =
        db::medicine::out_in_scope(&state.db, user.scope(), paging.per_page(), paging.offset())
            .await?;
    let items = items
        .into_iter()
        .map(|out| rules::out_view(out, now))
        .collect();
    Ok(Page::new(items, paging, total))
}

/// The job: tells the grid's staff and the volunteer holding it, once, of every item out
/// past the time limit. Answers how many items it told of.
pub async fn escalate_overdue(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let mut tx = state.db.begin().await?;
    let overdue =
        db::medicine::overdue_untold(&mut tx, now - Duration::hours(CUSTODY_LIMIT_HOURS)).await?;
    for item in &overdue {
        let message = Message::MedicineCustodyOverdue {
            id: item.request_id,
            item: item.kind,
        };
        for staff in db::scope::staff_of_grid(&mut tx, item.grid_id).await? {
            notify(&mut tx, staff, &message, Some("/staff/medicine"), now).await?;
        }
        if let Some(holder) = item.holder_id {
            notify(
                &mut tx,
                holder,
                &message,
                Some("/volunteer/deliveries"),
                now,
            )
            .await?;
        }
        db::medicine::mark_escalated(&mut tx, item.id, now).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(None, "medicine.custody_overdue")
                .target("supply_request", item.request_id)
                .detail(json!({ "item": item.kind })),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(overdue.len())
}
