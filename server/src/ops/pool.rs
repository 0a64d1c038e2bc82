//! The street's volunteer pool (跨社区支援): a community's staff open a shift to the
//! volunteers of the street's other communities; an approved volunteer joins the pool from
//! their own community's page, sees those shifts and takes seats on them.
//!
//! How a volunteer of community A is represented in community B's file: as a *visiting
//! profile*, a row of B's own `volunteers` (with an account of B that cannot sign in),
//! marked with A's catalog id and name and the volunteer's id in A (`home_community_id`,
//! `home_community_name`, `home_volunteer_id`; migration 0032). B's file is made the first
//! time they sign up for one of B's shifts, and refreshed at each sign-up. Why:
//! - every rule of a seat lives in B's file and runs in B's single writer transaction:
//!   capacity, the waitlist and its promotion, check-in, no-show, the roster, the hours
//!   report. With a row of its own, a visiting volunteer goes through exactly the same
//!   `ops::shifts::take_seat` and is counted like a local one; a sign-up that referenced A
//!   could not be checked or joined by B's SQL, nor kept consistent by one transaction;
//! - each file stays whole on its own (backups, restores, the isolation proof): B's
//!   records name nothing B does not hold;
//! - B receives the minimum: the name, the phone (masked in every list; in full only
//!   through B's audited reveal, to B's admins and the staff who set up the shift) and
//!   the skills and trainings eligibility checks. Nothing else of A's profile leaves A.
//!
//! A volunteer acts only from A (their session is A's): the calls here run at A's address
//! and reach B through the deployment. Each crossing (sign-up, cancellation, leaving the
//! pool) is audited in both files. The rotation rules (overlap, rest, weekly hours) count
//! a pool member's seats in every community of the street; the reads of the other files
//! happen before B's transaction, so each sign-up of a pool member (in the pool or at
//! home) first waits for the volunteer's turn in the deployment and holds it until its seat
//! is committed: two sign-ups at the same instant are checked one after the other.
//!
//! Leaving the pool: seats already taken on other communities' coming shifts are kept
//! (their hosts count on them; the volunteer cancels each one if need be), places on their
//! waitlists are withdrawn (nobody counted on them yet); the answer says how many of each.
//! A pause or removal by the volunteer's own community gives up everything elsewhere too,
//! as it does at home.

use super::shifts::{release_seat, take_seat};
use crate::db::catalog::{self, StoredCommunity};
use crate::db::volunteers::Visiting;
use crate::db::{self, audit};
use crate::domain::shifts::{Interval, Refusal, Requirements, check_eligibility, rotation_window};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tenancy::{Deployment, Tenant, VolunteerTurn};
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::ErrorCode;
use shouwang_api::pool::{CommunityHours, LeftPool, PoolHours, PoolShift, PoolSignup, PoolStatus};
use shouwang_api::shifts::MySignup;
use shouwang_api::volunteers::{Volunteer, VolunteerStatus};
use std::sync::Arc;

/// Open shifts shown to a member at once, all communities together.
const SHIFTS_MAX: usize = 100;

/// The caller's community and the other communities of its street, opened.
struct Street {
    home: StoredCommunity,
    others: Vec<Tenant>,
}

async fn street_of(deployment: &Arc<Deployment>, state: &AppState) -> AppResult<Street> {
    let home = catalog::communities(deployment.catalog())
        .await?
        .into_iter()
        .find(|c| c.id == state.community.id)
        .ok_or_else(AppError::not_found)?;
    let others = deployment
        .of_street(home.street_id)
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .into_iter()
        .filter(|t| t.community.id != home.id)
        .collect();
    Ok(Street { home, others })
}

/// The caller's own profile, approved and in the pool; else refused.
async fn member(state: &AppState, id: i64) -> AppResult<Volunteer> {
    let Some((status, in_pool, _)) = db::volunteers::pool_membership(&state.db, id).await? else {
        return Err(AppError::not_found());
    };
    if status != VolunteerStatus::Approved {
        return Err(Refusal::NotApproved.into());
    }
    if !in_pool {
        return Err(AppError::Refused {
            code: ErrorCode::Forbidden,
            field: None,
            message: Some("Join the street's volunteer pool first.".into()),
        });
    }
    let volunteer = db::volunteers::find(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(volunteer.0)
}

pub async fn status(
    deployment: &Arc<Deployment>,
    state: &AppState,
    id: i64,
) -> AppResult<PoolStatus> {
    let (_, in_pool, _) = db::volunteers::pool_membership(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let street = street_of(deployment, state).await?;
    Ok(PoolStatus {
        in_pool,
        street_name: street.home.street_name.clone(),
        communities: street
            .others
            .iter()
            .map(|t| t.community.name.clone())
            .collect(),
    })
}

/// An approved volunteer joins the street's pool.
pub async fn join(
    deployment: &Arc<Deployment>,
    state: &AppState,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<PoolStatus> {
    let (status, _, _) = db::volunteers::pool_membership(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if status != VolunteerStatus::Approved {
        return Err(Refusal::NotApproved.into());
    }
    let mut tx = state.db.begin().await?;
    if !db::volunteers::set_in_pool(&mut tx, id, true, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(id), "volunteer.pool_join").target("volunteer", id),
        now,
    )
    .await?;
    tx.commit().await?;
    self::status(deployment, state, id).await
}

/// A member leaves the pool: see the module comment for what happens to their sign-ups.
pub async fn leave(
    deployment: &Arc<Deployment>,
    state: &AppState,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<LeftPool> {
    let street = street_of(deployment, state).await?;
    let mut tx = state.db.begin().await?;
    if !db::volunteers::set_in_pool(&mut tx, id, false, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    tx.commit().await?;
    let given_up = give_up_elsewhere(&street, id, Keep::Seats, now, |visiting, given_up| {
        Some(
            audit::Entry::new(Some(visiting), "pool.leave")
                .target("volunteer", visiting)
                .detail(serde_json::json!({
                    "home_community": street.home.id,
                    "seats_kept": given_up.kept,
                    "waitlist_withdrawn": given_up.released,
                })),
        )
    })
    .await?;
    let left = LeftPool {
        seats_kept: given_up.kept,
        waitlist_withdrawn: given_up.released,
    };
    audit::record_alone(
        &state.db,
        audit::Entry::new(Some(id), "volunteer.pool_leave")
            .target("volunteer", id)
            .detail(serde_json::json!({
                "seats_kept": left.seats_kept,
                "waitlist_withdrawn": left.waitlist_withdrawn,
            })),
        now,
    )
    .await?;
    Ok(left)
}

/// Volunteer `id` was paused or removed by their own community: their coming seats and
/// waitlist places in the street's other communities are given up too (the hosts'
/// waitlists move up), audited in each host. Answers how many.
pub async fn release_elsewhere(
    deployment: &Arc<Deployment>,
    state: &AppState,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<u32> {
    let street = street_of(deployment, state).await?;
    let given_up = give_up_elsewhere(&street, id, Keep::Nothing, now, |visiting, given_up| {
        (given_up.released > 0).then(|| {
            audit::Entry::new(None, "pool.released_by_home")
                .target("volunteer", visiting)
                .detail(serde_json::json!({
                    "home_community": street.home.id,
                    "cancelled_signups": given_up.released,
                }))
        })
    })
    .await?;
    Ok(given_up.released)
}

/// What a volunteer gives up elsewhere keeps: their seats (leaving the pool), or nothing.
#[derive(Clone, Copy, PartialEq)]
enum Keep {
    Seats,
    Nothing,
}

/// Coming sign-ups kept and released.
#[derive(Clone, Copy, Default)]
struct GivenUp {
    kept: u32,
    released: u32,
}

/// In each other community of the street where volunteer `id` has a visiting profile:
/// their places on coming shifts released (but seats, with [`Keep::Seats`]), and
/// `audit_entry` recorded there in the same transaction when it gives one. Answers the
/// sums over the communities.
async fn give_up_elsewhere(
    street: &Street,
    id: i64,
    keep: Keep,
    now: DateTime<Utc>,
    audit_entry: impl Fn(i64, GivenUp) -> Option<audit::Entry<'static>>,
) -> AppResult<GivenUp> {
    let mut total = GivenUp::default();
    for host in &street.others {
        let db = &host.state.db;
        let Some(visiting) = db::volunteers::visiting_id(db.reader(), street.home.id, id).await?
        else {
            continue;
        };
        let mut tx = db.begin().await?;
        let (seats, waiting) = db::shifts::future_signup_ids(&mut tx, visiting, now).await?;
        let mut here = GivenUp::default();
        let released = match keep {
            Keep::Seats => {
                here.kept = u32::try_from(seats.len()).unwrap_or(u32::MAX);
                waiting
            }
            Keep::Nothing => seats.into_iter().chain(waiting).collect(),
        };
        for signup in released {
            if release_seat(&mut tx, signup, now).await? {
                here.released += 1;
            }
        }
        if let Some(entry) = audit_entry(visiting, here) {
            audit::record(&mut tx, entry, now).await?;
        }
        tx.commit().await?;
        total.kept += here.kept;
        total.released += here.released;
    }
    Ok(total)
}

/// The coming shifts the other communities of the street open to the pool, that the member
/// qualifies for, soonest first.
pub async fn shifts(
    deployment: &Arc<Deployment>,
    state: &AppState,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<Vec<PoolShift>> {
    let me = member(state, id).await?;
    let street = street_of(deployment, state).await?;
    let qualifications = crate::domain::shifts::Qualifications {
        status: Some(me.status),
        skills: me.skills.clone(),
        trainings: me.trainings.iter().map(|t| t.training).collect(),
    };
    let mut all = Vec::new();
    for host in &street.others {
        let db = &host.state.db;
        let visiting = db::volunteers::visiting_id(db.reader(), street.home.id, id).await?;
        let clock = host.state.clock.community();
        let limit = u32::try_from(SHIFTS_MAX).unwrap_or(u32::MAX);
        for shift in db::shifts::open_to_street(db, visiting, now, clock, limit).await? {
            let requirements = Requirements {
                skill: shift.required_skill.clone(),
                training: shift.required_training,
            };
            if check_eligibility(&qualifications, &requirements).is_ok() {
                all.push(PoolShift {
                    community_slug: host.community.slug.clone(),
                    community_name: host.community.name.clone(),
                    shift,
                });
            }
        }
    }
    all.sort_by_key(|s| (s.shift.starts_at, s.shift.id));
    all.truncate(SHIFTS_MAX);
    Ok(all)
}

/// The other community of the street at `slug`; 404 for any other address (the caller's
/// own community, another street's), so that nothing says whether it exists.
async fn host_at(street: &Street, slug: &str) -> AppResult<Tenant> {
    street
        .others
        .iter()
        .find(|t| t.community.slug == slug)
        .cloned()
        .ok_or_else(AppError::not_found)
}

/// A member takes a seat (or, when full and asked for, a waitlist place) on shift
/// `shift_id` of the community at `slug`, through the same use case as a local volunteer.
pub async fn sign_up(
    deployment: &Arc<Deployment>,
    state: &AppState,
    id: i64,
    slug: &str,
    shift_id: i64,
    join_waitlist: bool,
    now: DateTime<Utc>,
) -> AppResult<PoolSignup> {
    let me = member(state, id).await?;
    let street = street_of(deployment, state).await?;
    let host = host_at(&street, slug).await?;
    let clock = host.state.clock.community();
    let shift = db::shifts::find(&host.state.db, shift_id, None, clock)
        .await?
        .filter(|s| s.open_to_street)
        .ok_or_else(AppError::not_found)?;
    let window = rotation_window(Interval {
        starts_at: shift.starts_at,
        ends_at: shift.ends_at,
    });
    // Held until the seat below is committed (see the module comment).
    let _turn = deployment.volunteer_turn(street.home.id, id).await?;
    let elsewhere = seats_elsewhere(&street, state, id, host.community.id, window).await?;

    let mut tx = host.state.db.begin().await?;
    if !db::shifts::is_open_to_street(&mut tx, shift_id).await? {
        return Err(AppError::not_found());
    }
    let visiting = db::volunteers::upsert_visiting(
        &mut tx,
        &Visiting {
            home_community_id: street.home.id,
            home_community_name: &street.home.name,
            home_volunteer_id: id,
            name: &me.name,
            phone: &me.phone,
            skills: &me.skills,
            trainings: &me.trainings,
        },
        now,
    )
    .await?
    .ok_or_else(|| AppError::Refused {
        code: ErrorCode::Conflict,
        field: None,
        message: Some("This phone number is a volunteer of that community: sign up there.".into()),
    })?;
    let (signup_id, _) =
        take_seat(&mut tx, shift_id, visiting, join_waitlist, &elsewhere, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(visiting), "pool.signup")
            .target("shift", shift_id)
            .detail(serde_json::json!({
                "signup": signup_id,
                "home_community": street.home.id,
                "shared": ["name", "phone", "skills", "trainings"],
            })),
        now,
    )
    .await?;
    tx.commit().await?;
    audit::record_alone(
        &state.db,
        audit::Entry::new(Some(id), "volunteer.pool_signup")
            .target("volunteer", id)
            .detail(serde_json::json!({
                "community": host.community.id,
                "shift": shift_id,
                "signup": signup_id,
            })),
        now,
    )
    .await?;
    let signup = signup_of(&host, shift_id, visiting).await?;
    Ok(PoolSignup {
        community_slug: host.community.slug.clone(),
        community_name: host.community.name.clone(),
        signup,
    })
}

async fn signup_of(host: &Tenant, shift_id: i64, visiting: i64) -> AppResult<MySignup> {
    let clock = host.state.clock.community();
    let shift = db::shifts::find(&host.state.db, shift_id, Some(visiting), clock)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mine = shift.my_signup.ok_or_else(AppError::not_found)?;
    Ok(MySignup {
        id: mine.id,
        status: mine.status,
        checked_in_at: None,
        checked_out_at: None,
        shift,
    })
}

/// A member gives up their seat or waitlist place on another community's shift (before
/// it starts); that community's waitlist moves up. Allowed after leaving the pool.
pub async fn cancel(
    deployment: &Arc<Deployment>,
    state: &AppState,
    id: i64,
    slug: &str,
    shift_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let street = street_of(deployment, state).await?;
    let host = host_at(&street, slug).await?;
    let db = &host.state.db;
    let visiting = db::volunteers::visiting_id(db.reader(), street.home.id, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut tx = db.begin().await?;
    let signup_id = db::shifts::live_signup_id(&mut tx, shift_id, visiting)
        .await?
        .ok_or_else(AppError::not_found)?;
    let shift = db::shifts::core_in(&mut tx, shift_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if shift.at.starts_at <= now {
        return Err(Refusal::Closed.into());
    }
    if !release_seat(&mut tx, signup_id, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(visiting), "pool.signup_cancel")
            .target("shift", shift_id)
            .detail(serde_json::json!({ "signup": signup_id, "home_community": street.home.id })),
        now,
    )
    .await?;
    tx.commit().await?;
    audit::record_alone(
        &state.db,
        audit::Entry::new(Some(id), "volunteer.pool_signup_cancel")
            .target("volunteer", id)
            .detail(serde_json::json!({
                "community": host.community.id, "shift": shift_id, "signup": signup_id,
            })),
        now,
    )
    .await?;
    Ok(())
}

/// The volunteer's live sign-ups on other communities' shifts that have not ended.
pub async fn my_signups(
    deployment: &Arc<Deployment>,
    state: &AppState,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<Vec<PoolSignup>> {
    let street = street_of(deployment, state).await?;
    let mut all = Vec::new();
    for host in &street.others {
        let db = &host.state.db;
        let Some(visiting) = db::volunteers::visiting_id(db.reader(), street.home.id, id).await?
        else {
            continue;
        };
        let clock = host.state.clock.community();
        let (items, _) = db::shifts::my_signups(db, visiting, false, now, clock, 50, 0).await?;
        all.extend(items.into_iter().map(|signup| PoolSignup {
            community_slug: host.community.slug.clone(),
            community_name: host.community.name.clone(),
            signup,
        }));
    }
    all.sort_by_key(|s| (s.signup.shift.starts_at, s.signup.shift.id));
    Ok(all)
}

/// The volunteer's completed hours in `[from, to]` (local days of each community), by
/// community: their own first, then those they served through the pool.
pub async fn hours(
    deployment: &Arc<Deployment>,
    state: &AppState,
    id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<PoolHours> {
    let street = street_of(deployment, state).await?;
    let mut communities =
        vec![community_hours(state, id, from, to, &street.home.name, true).await?];
    for host in &street.others {
        let db = &host.state.db;
        if let Some(visiting) = db::volunteers::visiting_id(db.reader(), street.home.id, id).await?
        {
            let hours =
                community_hours(&host.state, visiting, from, to, &host.community.name, false)
                    .await?;
            if hours.shifts > 0 {
                communities.push(hours);
            }
        }
    }
    Ok(PoolHours {
        from,
        to,
        total_minutes: communities.iter().map(|c| c.minutes).sum(),
        communities,
    })
}

async fn community_hours(
    state: &AppState,
    volunteer: i64,
    from: NaiveDate,
    to: NaiveDate,
    name: &str,
    home: bool,
) -> AppResult<CommunityHours> {
    let clock = state.clock.community();
    let (start, _) = clock.day_bounds(from);
    let (_, end) = clock.day_bounds(to);
    let entries = db::volunteers::hours_entries(&state.db, volunteer, start, end).await?;
    Ok(CommunityHours {
        community_name: name.to_owned(),
        home,
        shifts: u32::try_from(entries.len()).unwrap_or(u32::MAX),
        minutes: entries.iter().map(|e| e.minutes).sum(),
    })
}

/// A volunteer's seats within `window` in every community of the street but `except`:
/// their own community's and those of their visiting profiles. Nothing to read for one
/// who never joined the pool.
async fn seats_elsewhere(
    street: &Street,
    home: &AppState,
    id: i64,
    except: i64,
    window: Interval,
) -> AppResult<Vec<Interval>> {
    let Some((_, _, Some(_joined))) = db::volunteers::pool_membership(&home.db, id).await? else {
        return Ok(Vec::new());
    };
    let mut seats = Vec::new();
    if street.home.id != except {
        seats.extend(db::shifts::seats_within(&home.db, id, window).await?);
    }
    for host in street.others.iter().filter(|t| t.community.id != except) {
        let db = &host.state.db;
        if let Some(visiting) = db::volunteers::visiting_id(db.reader(), street.home.id, id).await?
        {
            seats.extend(db::shifts::seats_within(db, visiting, window).await?);
        }
    }
    Ok(seats)
}

/// A volunteer's seats in the street's other communities, read during their turn: the
/// caller holds it (this value) until the seat it takes is committed.
#[derive(Default)]
pub struct SeatsElsewhere {
    pub seats: Vec<Interval>,
    _turn: Option<VolunteerTurn>,
}

/// For a sign-up in the volunteer's own community (theirs, or staff's assignment): their
/// seats on the shifts of the street's other communities near shift `shift_id`.
pub async fn local_seats_elsewhere(
    deployment: Option<&Arc<Deployment>>,
    state: &AppState,
    id: i64,
    shift_id: i64,
) -> AppResult<SeatsElsewhere> {
    let Some(deployment) = deployment else {
        return Ok(SeatsElsewhere::default());
    };
    if !matches!(
        db::volunteers::pool_membership(&state.db, id).await?,
        Some((_, _, Some(_)))
    ) {
        return Ok(SeatsElsewhere::default());
    }
    // A missing shift is take_seat's to refuse.
    let Some(shift) = db::shifts::find(&state.db, shift_id, None, state.clock.community()).await?
    else {
        return Ok(SeatsElsewhere::default());
    };
    let window = rotation_window(Interval {
        starts_at: shift.starts_at,
        ends_at: shift.ends_at,
    });
    let street = street_of(deployment, state).await?;
    let home = street.home.id;
    let turn = deployment.volunteer_turn(home, id).await?;
    Ok(SeatsElsewhere {
        seats: seats_elsewhere(&street, state, id, home, window).await?,
        _turn: Some(turn),
    })
}
