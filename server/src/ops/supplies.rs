//! Moving a supply request on: who may take which action, whether a volunteer may carry
//! it, the pickup code's lock, and telling the household and the volunteer.

use crate::auth::CurrentUser;
use crate::db::supplies::{Carrier, Core, EventText, NewRequest};
use crate::db::{self, Tx, audit, notifications::notify};
use crate::domain::supplies::{self as rules, Party};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Datelike, Utc};
use serde_json::json;
use shouwang_api::auth::Role;
use shouwang_api::notifications::Message;
use shouwang_api::personal::Phone;
use shouwang_api::supplies::{
    EventDetail, RequestKind, RequestState, SupplyRequest, ValidAction, ValidRequest,
};
use shouwang_api::text::is_mainland_mobile;
use shouwang_api::volunteers::VolunteerStatus;
use shouwang_api::{ErrorCode, FieldError};

/// A resident asks for something, in `tx`: the request of the caller's household, marked
/// priority for sealed buildings and special-group households, refused when its kind is
/// not open in the building's zone. Answers the new request's id.
pub async fn create_in(
    tx: &mut Tx,
    user: &CurrentUser,
    request: &ValidRequest,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    let place = db::supplies::place_of_account(tx, user.id())
        .await?
        .ok_or_else(AppError::not_found)?;
    let zone = place.zone;
    if !request.kind.open_in(zone) {
        return Err(AppError::with_field(
            ErrorCode::InvalidValue,
            "kind",
            "This kind of request is not open in this building's zone.",
        ));
    }
    let contact = request
        .contact_phone
        .clone()
        .map(Phone::into_string)
        .or_else(|| {
            Some(place.account_username.clone())
                .filter(|u| is_mainland_mobile(u))
                .or_else(|| place.head_phone.clone())
        });
    let code = rules::pickup_code();
    let id = db::supplies::insert(
        tx,
        NewRequest {
            place: &place,
            request,
            contact_phone: contact.as_deref(),
            priority: rules::is_priority(zone, place.special_group),
            pickup_code: &code,
            requested_by: user.id(),
        },
        now,
    )
    .await?;
    audit::record(
        tx,
        audit::Entry::new(Some(user.id()), "supply.request")
            .target("supply_request", id)
            .detail(json!({ "kind": request.kind, "household_id": place.household_id })),
        now,
    )
    .await?;
    Ok(id)
}

/// How the caller relates to a request; 404 when they have nothing to do with it (staff of
/// another grid, another volunteer, another household).
pub async fn party_of(tx: &mut Tx, user: &CurrentUser, core: &Core) -> AppResult<Party> {
    let party = match user.role() {
        Role::Admin | Role::Staff => db::supplies::grid_in_scope(tx, core.grid_id, user.scope())
            .await?
            .then_some(Party::Staff),
        Role::Volunteer => (core.volunteer_id == Some(user.id())).then_some(Party::Volunteer),
        Role::Resident => db::supplies::is_member_account(tx, user.id(), core.household_id)
            .await?
            .then_some(Party::Requester),
    };
    party.ok_or_else(AppError::not_found)
}

/// Checks that a volunteer may carry a request of this kind now.
pub async fn check_carrier(
    tx: &mut Tx,
    state: &AppState,
    volunteer_id: i64,
    kinds: &[RequestKind],
) -> AppResult<Carrier> {
    let now = state.clock.now();
    let clock = state.clock.community();
    let today = clock.today(now);
    let (_, day_end) = clock.day_bounds(today);
    let refused = |message: &str| {
        AppError::with_field(ErrorCode::InvalidValue, "volunteer_id", message.to_owned())
    };
    let carrier = db::supplies::carrier(tx, volunteer_id, now, day_end)
        .await?
        .ok_or_else(|| refused("No such volunteer."))?;
    if carrier.status != Some(VolunteerStatus::Approved) {
        return Err(refused("Only approved volunteers can be assigned."));
    }
    let weekday = u8::try_from(today.weekday().number_from_monday()).unwrap_or(1);
    if !kinds.iter().all(|kind| {
        rules::can_take(
            *kind,
            carrier.on_delivery_shift,
            &carrier.availability,
            weekday,
        )
    }) {
        return Err(refused(
            "This volunteer is neither on a delivery shift today nor available today.",
        ));
    }
    Ok(carrier)
}

/// `user` takes `action` on request `id`. Each party may take only its own actions (403);
/// an action the state does not allow is 409 `illegal_transition`. Answers the request as
/// the caller may read it.
pub async fn act(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: &ValidAction,
    now: DateTime<Utc>,
) -> AppResult<SupplyRequest> {
    let mut tx = state.db.begin().await?;
    let core = db::supplies::core_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let party = party_of(&mut tx, user, &core).await?;
    if !rules::may(party, action.action()) {
        return Err(AppError::forbidden());
    }
    let from = core.state;
    let to = from
        .after(action.action())
        .ok_or_else(|| AppError::code(ErrorCode::IllegalTransition))?;
    let mut volunteer = None;
    let mut detail = None;
    match action {
        ValidAction::Assign { volunteer_id, .. } => {
            let carrier = check_carrier(&mut tx, state, *volunteer_id, &[core.kind]).await?;
            volunteer = Some(*volunteer_id);
            detail = Some(EventDetail::AssignedTo {
                volunteer: carrier.name,
            });
        }
        // The resident's own withdrawal is recorded as such; staff say why they cancel.
        ValidAction::Cancel { reason: None } if party == Party::Requester => {
            detail = Some(EventDetail::CancelledByResident);
        }
        ValidAction::Cancel { reason: None } => {
            return Err(FieldError::new("note", ErrorCode::Required).into());
        }
        ValidAction::Deliver { pickup_code, .. } => {
            if let Some(wait) = rules::pickup_lock_left(core.pickup_locked_until, now) {
                return Err(AppError::RateLimited(wait));
            }
            if !rules::code_matches(&core.pickup_code, pickup_code) {
                wrong_pickup_code(tx, &core, user, now).await?;
                return Err(AppError::with_field(
                    ErrorCode::InvalidValue,
                    "pickup_code",
                    "This is not the resident's pickup code.",
                ));
            }
            if core.pickup_failures > 0 {
                db::supplies::set_pickup_failures(&mut tx, id, 0, None).await?;
            }
        }
        _ => {}
    }
    if !db::supplies::change_state(&mut tx, id, from, to, volunteer, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    let text = EventText {
        note: action.note(),
        detail: detail.as_ref(),
    };
    db::supplies::insert_event(&mut tx, id, user.id(), Some(from), to, text, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "supply.transition")
            .target("supply_request", id)
            .detail(json!({ "from": from, "to": to, "volunteer_id": volunteer })),
        now,
    )
    .await?;
    tell(&mut tx, &core, party, to, volunteer, now).await?;
    tx.commit().await?;
    let request = db::supplies::find(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(match party {
        Party::Staff => rules::staff_view(request, now),
        Party::Requester => rules::resident_view(request),
        Party::Volunteer => rules::volunteer_view(request),
    })
}

/// Counts a wrong pickup code (committed, although the action fails) and, when it locks
/// the check, tells the grid's staff: someone may be guessing.
pub async fn wrong_pickup_code(
    mut tx: Tx,
    core: &Core,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (failures, locked_until) = rules::after_wrong_code(core.pickup_failures, now);
    db::supplies::set_pickup_failures(&mut tx, core.id, failures, locked_until).await?;
    if let Some(until) = locked_until {
        audit::record(
            &mut tx,
            audit::Entry::new(Some(user.id()), "supply.pickup_locked")
                .target("supply_request", core.id)
                .detail(json!({ "until": until })),
            now,
        )
        .await?;
        for staff in db::scope::staff_of_grid(&mut tx, core.grid_id).await? {
            notify(
                &mut tx,
                staff,
                &Message::SupplyPickupLocked { id: core.id },
                Some("/staff/supplies"),
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Tells the household of a change it did not make, and a volunteer of a new assignment.
pub async fn tell(
    tx: &mut Tx,
    core: &Core,
    party: Party,
    to: RequestState,
    volunteer: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if party != Party::Requester && rules::tells_resident(to) {
        for account in db::supplies::accounts_of(tx, core.household_id).await? {
            notify(
                tx,
                account,
                &Message::SupplyState {
                    id: core.id,
                    state: to,
                },
                Some("/my-household"),
                now,
            )
            .await?;
        }
    }
    if let Some(volunteer) = volunteer {
        notify(
            tx,
            volunteer,
            &Message::SupplyAssignment {
                id: core.id,
                kind: core.kind,
            },
            Some("/volunteer/deliveries"),
            now,
        )
        .await?;
    }
    Ok(())
}
