//! Testing rounds (核酸检测): staff schedule a round for their buildings with a slot per
//! unit, residents are told and see their slot, staff mark who was sampled (at the site or
//! at the door) and follow progress per unit. Lists of people are audited views.

use crate::auth::{CurrentUser, RequireStaff};
use crate::db::testing::People;
use crate::db::{self, audit};
use crate::domain::testing::{self as rules, BuildingsCheck};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shouwang_api::community::Created;
use shouwang_api::notifications::Message;
use shouwang_api::testing::{
    MarkInput, MyRound, MyTesting, PeopleQuery, Phase, RoundDetail, RoundInput, RoundPerson,
    RoundSummary, Slot, TestResult,
};
use shouwang_api::{ErrorBody, ErrorCode, Page, PageQuery};

/// Schedule a round for buildings of the caller's grids (admins: any), a slot per unit.
/// Every resident account of those buildings is told its unit's slot.
#[utoipa::path(post, path = "/api/testing/rounds", tag = "testing", request_body = RoundInput,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody),
        (status = 403, description = "Not staff, or a building of another grid", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn create_round(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Json(input): Json<RoundInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let now = state.clock.now();
    let round = input.validate(state.clock.today())?;
    let mut tx = state.db.begin().await?;
    let buildings = db::testing::buildings(&mut tx, &round.building_ids, staff.scope()).await?;
    match rules::check_buildings(&round.building_ids, &buildings) {
        BuildingsCheck::Ok => {}
        BuildingsCheck::Unknown => {
            return Err(AppError::with_field(
                ErrorCode::InvalidValue,
                "building_ids",
                "No such building.",
            ));
        }
        BuildingsCheck::OutOfScope => return Err(AppError::forbidden()),
    }
    let slot_units: Vec<i64> = round.slots.iter().map(|s| s.unit_id).collect();
    let units = db::testing::units(&mut tx, &slot_units).await?;
    if !rules::slots_fit(&slot_units, &units, &round.building_ids) {
        return Err(AppError::with_field(
            ErrorCode::InvalidValue,
            "slots",
            "A slot names a unit outside the round's buildings.",
        ));
    }
    let id =
        db::testing::insert_round(&mut tx, &round, &buildings, &units, staff.id(), now).await?;
    let slots = db::testing::slots_of_round(&mut tx, id).await?;
    let accounts = db::testing::accounts_of_round(&mut tx, id).await?;
    for (account, unit) in &accounts {
        let (start, end) = slots
            .iter()
            .find(|(u, _, _)| u == unit)
            .map(|(_, s, e)| (s.clone(), e.clone()))
            .unwrap_or_default();
        db::notifications::notify(
            &mut tx,
            *account,
            &Message::TestingScheduled {
                name: round.name.clone(),
                date: round.date,
                place: round.place.clone(),
                start: start.clone(),
                end: end.clone(),
            },
            Some("/my-household"),
            now,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "testing.create")
            .target("testing_round", id)
            .detail(serde_json::json!({ "buildings": round.building_ids,
                "slots": round.slots.len(), "notified": accounts.len() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Rounds touching the caller's grids, newest day first, with 应检/已检 in those grids.
#[utoipa::path(get, path = "/api/testing/rounds", tag = "testing", params(PageQuery),
    responses((status = 200, body = Page<RoundSummary>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_rounds(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<RoundSummary>>> {
    let day = state.clock.today();
    let (rows, total) =
        db::testing::list_rounds(&state.db, staff.scope(), paging.per_page(), paging.offset())
            .await?;
    let items = rows
        .into_iter()
        .map(|r| RoundSummary {
            phase: Phase::of(r.round.state(), r.round.day, day),
            id: r.round.id,
            name: r.round.name,
            date: r.round.day,
            place: r.round.place,
            buildings: u32::try_from(r.buildings).unwrap_or(0),
            expected: u32::try_from(r.expected).unwrap_or(0),
            tested: u32::try_from(r.tested).unwrap_or(0),
        })
        .collect();
    Ok(Json(Page::new(items, paging, total)))
}

/// A round: its slots and progress per unit (应检 n / 已检 m) in the caller's grids.
#[utoipa::path(get, path = "/api/testing/rounds/{id}", tag = "testing",
    params(("id" = i64, Path, description = "Round id")),
    responses((status = 200, body = RoundDetail), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_round(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<RoundDetail>> {
    let round = db::testing::round_visible(&state.db, id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    let slots = db::testing::slots(&state.db, id, staff.scope())
        .await?
        .into_iter()
        .map(|(unit_id, building_id, building, unit, start, end)| Slot {
            unit_id,
            building_id,
            building,
            unit,
            start,
            end,
        })
        .collect();
    let progress = db::testing::progress(&state.db, id, staff.scope()).await?;
    Ok(Json(RoundDetail {
        phase: Phase::of(round.state(), round.day, state.clock.today()),
        expected: progress.iter().map(|p| p.expected).sum(),
        tested: progress.iter().map(|p| p.tested).sum(),
        id: round.id,
        name: round.name,
        date: round.day,
        place: round.place,
        notes: round.notes,
        slots,
        progress,
    }))
}

/// Cancel a round that has not yet happened; its residents are told. Only staff of all its
/// buildings' grids (or an admin) may.
#[utoipa::path(post, path = "/api/testing/rounds/{id}/cancel", tag = "testing",
    params(("id" = i64, Path, description = "Round id")),
    responses((status = 204, description = "Cancelled"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Already cancelled or over", body = ErrorBody)),
    security(("session" = [])))]
pub async fn cancel_round(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let round = db::testing::round_in_scope(&mut tx, id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    if !db::testing::all_buildings_in_scope(&mut tx, id, staff.scope()).await? {
        return Err(AppError::forbidden());
    }
    if !Phase::of(round.state(), round.day, state.clock.today()).may_cancel()
        || !db::testing::cancel(&mut tx, id, now).await?
    {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    for (account, _) in db::testing::accounts_of_round(&mut tx, id).await? {
        db::notifications::notify(
            &mut tx,
            account,
            &Message::TestingCancelled {
                name: round.name.clone(),
                date: round.day,
            },
            Some("/my-household"),
            now,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "testing.cancel").target("testing_round", id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn people_page(
    state: &AppState,
    staff: &CurrentUser,
    id: i64,
    which: People,
    query: PeopleQuery,
) -> AppResult<Page<RoundPerson>> {
    let mut tx = state.db.begin().await?;
    db::testing::round_in_scope(&mut tx, id, staff.scope())
        .await?
        .ok_or_else(AppError::not_found)?;
    let paging = query.paging();
    let day = state.clock.today();
    let (rows, total) =
        db::testing::people(&state.db, id, staff.scope(), which, &query, day).await?;
    let action = match which {
        People::Untested => "testing.view_untested",
        People::Door => "testing.view_door",
    };
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), action)
            .target("testing_round", id)
            .detail(
                serde_json::json!({ "count": rows.len(), "page": paging.page(),
                "building_id": query.building_id }),
            ),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    let items = rows
        .into_iter()
        .map(|r| rules::person_view(r, day))
        .collect();
    Ok(Page::new(items, paging, total))
}

/// People of the round in the caller's grids not yet sampled, by building, unit and room.
/// Phones masked; the view is audited.
#[utoipa::path(get, path = "/api/testing/rounds/{id}/untested", tag = "testing",
    params(("id" = i64, Path, description = "Round id"), PeopleQuery),
    responses((status = 200, body = Page<RoundPerson>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn untested(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Query(query): Query<PeopleQuery>,
) -> AppResult<Json<Page<RoundPerson>>> {
    Ok(Json(
        people_page(&state, &staff, id, People::Untested, query).await?,
    ))
}

/// 入户采样: people who cannot come down (elderly living alone, disabled, seriously ill,
/// under home observation, in a sealed building), sampled or not, by building, unit and
/// room. Phones masked; the view is audited.
#[utoipa::path(get, path = "/api/testing/rounds/{id}/door", tag = "testing",
    params(("id" = i64, Path, description = "Round id"), PeopleQuery),
    responses((status = 200, body = Page<RoundPerson>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn door_list(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Query(query): Query<PeopleQuery>,
) -> AppResult<Json<Page<RoundPerson>>> {
    Ok(Json(
        people_page(&state, &staff, id, People::Door, query).await?,
    ))
}

/// Mark a person sampled, at the site or at the door. Marking again keeps the first mark.
/// Only on the round's day.
#[utoipa::path(post, path = "/api/testing/rounds/{id}/results", tag = "testing", request_body = MarkInput,
    params(("id" = i64, Path, description = "Round id")),
    responses((status = 200, body = TestResult), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The round is cancelled, over, or not today", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn mark(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<MarkInput>,
) -> AppResult<Json<TestResult>> {
    let result = ops::testing::mark(
        &state.db,
        &staff,
        id,
        &input,
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    Ok(Json(result))
}

/// Undo a mistaken mark (on the round's day).
#[utoipa::path(post, path = "/api/testing/rounds/{id}/results/{member_id}/undo", tag = "testing",
    params(("id" = i64, Path, description = "Round id"), ("member_id" = i64, Path, description = "Member id")),
    responses((status = 204, description = "Undone"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, description = "Not marked", body = ErrorBody),
        (status = 409, body = ErrorBody)),
    security(("session" = [])))]
pub async fn undo_mark(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path((id, member_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    ops::testing::undo_mark(
        &state.db,
        &staff,
        id,
        member_id,
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in resident's next round (today's or the nearest upcoming): the unit's slot,
/// the place, and which members are sampled already or at the door.
#[utoipa::path(get, path = "/api/testing/me", tag = "testing",
    responses((status = 200, body = MyTesting), (status = 401, body = ErrorBody),
        (status = 404, description = "This account has no household", body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_testing(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<MyTesting>> {
    let household = db::residents::household_of_account(&state.db, user.id())
        .await?
        .ok_or_else(AppError::not_found)?;
    let Some((building, unit)) = db::testing::household_place(&state.db, household).await? else {
        return Ok(Json(MyTesting { round: None }));
    };
    let day = state.clock.today();
    let Some(round) = db::testing::next_round_of_building(&state.db, building, day).await? else {
        return Ok(Json(MyTesting { round: None }));
    };
    let (start, end) = db::testing::slot_of_unit(&state.db, round.id, unit)
        .await?
        .unwrap_or_default();
    let members = db::testing::household_people(&state.db, round.id, household)
        .await?
        .into_iter()
        .map(|r| rules::my_member(r, day))
        .collect();
    Ok(Json(MyTesting {
        round: Some(MyRound {
            phase: Phase::of(round.state(), round.day, day),
            id: round.id,
            name: round.name,
            date: round.day,
            place: round.place,
            notes: round.notes,
            start,
            end,
            members,
        }),
    }))
}
