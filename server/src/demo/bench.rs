//! `shouwang bench-seed`: a community the size of a district's surge, for the benchmark;
//! with `--communities N`, a street of N such communities in one deployment.
//!
//! Not the demo: thousands of rows written through the same functions the API uses, a
//! staff and an admin account, and a JSON file telling the benchmark how to sign in and
//! which rooms are still free for its registration load. Each community is written in one
//! transaction (one commit, one fsync, however many rows).

use crate::auth::cookies::{OPERATOR_COOKIE, SESSION_COOKIE};
use crate::clock::Clock;
use crate::db::catalog::{self, NewOperatorRow};
use crate::db::sql;
use crate::db::{self, Db, Tx, community, residents::NewHousehold};
use crate::domain::sessions::new_token;
use crate::domain::shifts::{CommunityClock, occurrences};
use crate::domain::{passwords, sessions::random_password};
use crate::tenancy::Deployment;
use futures_util::{StreamExt, TryStreamExt, stream};
use serde::Serialize;
use shouwang_api::auth::Role;
use shouwang_api::deployment::{CommunityKind, OperatorRole};
use shouwang_api::notices::{NoticeCategory, NoticeInput};
use shouwang_api::residents::{
    MemberInput, Relation, RiskCategory, RiskInfo, Source, SpecialGroup, ValidMember, VisitOutcome,
};
use shouwang_api::shifts::{PostType, Repeat, ShiftInput};
use shouwang_api::volunteers::{VolunteerProfileInput, VolunteerStatus};
use std::sync::Arc;

#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub notices: usize,
    /// Registered households; the community has twice as many rooms again left free.
    pub households: usize,
    /// Approved volunteers, each with a live session, all free for one shift.
    pub volunteers: usize,
}

/// Seats on the shift the volunteers race for.
const SHIFT_CAPACITY: u32 = 50;

/// Rooms per unit that hold a household, and rooms per unit left free for the write load.
const OCCUPIED_PER_UNIT: usize = 25;
const FREE_PER_UNIT: usize = 50;
const UNITS_PER_BUILDING: usize = 4;
const BUILDINGS_PER_GRID: usize = 10;

/// What the benchmark needs to drive the seeded server.
#[derive(Debug, Serialize)]
pub struct Seeded {
    /// A grid worker assigned to every grid.
    pub staff_username: String,
    pub staff_password: String,
    pub admin_username: String,
    pub admin_password: String,
    pub notices: usize,
    pub households: usize,
    pub grids: usize,
    /// Free rooms have consecutive ids: `free_rooms_from ..= free_rooms_to`.
    pub free_rooms_from: i64,
    pub free_rooms_to: i64,
    /// A grid and a building to filter the ledger by.
    pub sample_grid_id: i64,
    pub sample_building_id: i64,
    /// Session cookies of the approved volunteers (the benchmark does not spend 200
    /// password checks, nor trip the sign-in limits, to get them).
    pub volunteer_sessions: Vec<String>,
    pub shift_id: i64,
    pub shift_capacity: u32,
    /// With `--communities N` (N > 1): the street they make.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<SeededStreet>,
}

/// The benchmark's two accounts, the same in every community of a seeded street (one
/// password hashing each, not two per community).
pub struct Credentials {
    staff_password: String,
    staff_hash: String,
    admin_password: String,
    admin_hash: String,
}

impl Credentials {
    pub fn new() -> anyhow::Result<Credentials> {
        let staff_password = random_password();
        let admin_password = random_password();
        Ok(Credentials {
            staff_hash: passwords::hash_blocking(&staff_password)?,
            admin_hash: passwords::hash_blocking(&admin_password)?,
            staff_password,
            admin_password,
        })
    }
}

/// The grid worker (assigned to every grid) and the admin; returns the worker's id.
async fn accounts(
    tx: &mut Tx,
    credentials: &Credentials,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<i64> {
    let staff = db::users::insert_in(
        tx,
        "bench-staff",
        "压测网格员",
        Role::Staff,
        &credentials.staff_hash,
        now,
    )
    .await?;
    db::users::insert_in(
        tx,
        "bench-admin",
        "压测管理员",
        Role::Admin,
        &credentials.admin_hash,
        now,
    )
    .await?;
    Ok(staff)
}

async fn ensure_empty(db: &Db) -> anyhow::Result<()> {
    anyhow::ensure!(
        db::users::count(db).await? == 0,
        "bench-seed fills an empty database only"
    );
    Ok(())
}

pub async fn seed(
    db: &Db,
    clock: &Clock,
    sizes: Sizes,
    credentials: &Credentials,
) -> anyhow::Result<Seeded> {
    let now = clock.now();
    ensure_empty(db).await?;
    let mut tx = db.begin().await?;
    let staff = accounts(&mut tx, credentials, now).await?;
    let body = include_str!("notices.json");
    let seeds: Vec<serde_json::Value> = serde_json::from_str(body)?;
    for i in 0..sizes.notices {
        let seed = &seeds[i % seeds.len()];
        let input = NoticeInput {
            title: format!(
                "{}（第{}号）",
                seed["title"].as_str().unwrap_or("通知"),
                i + 1
            ),
            body: seed["body"].as_str().unwrap_or("正文").to_owned(),
            category: NoticeCategory::ALL[i % NoticeCategory::ALL.len()],
            issuing_body: seed["issuing_body"].as_str().map(str::to_owned),
            doc_number: None,
            issued_on: None,
            expires_at: None,
            pinned: i % 97 == 0,
        };
        let notice = input
            .validate()
            .map_err(|e| anyhow::anyhow!("synthetic notice: {e}"))?;
        db::notices::insert_published(&mut tx, &notice, staff, now).await?;
    }
    let community = seed_households(&mut tx, staff, sizes.households, clock).await?;
    let (volunteer_sessions, shift_id) =
        seed_volunteers(&mut tx, staff, sizes.volunteers, now).await?;
    tx.commit().await?;
    sql::query("ANALYZE").execute(db.writer()).await?;
    Ok(Seeded {
        staff_username: "bench-staff".into(),
        staff_password: credentials.staff_password.clone(),
        admin_username: "bench-admin".into(),
        admin_password: credentials.admin_password.clone(),
        notices: sizes.notices,
        households: sizes.households,
        grids: community.grids,
        free_rooms_from: community.free_rooms.0,
        free_rooms_to: community.free_rooms.1,
        sample_grid_id: community.sample_grid_id,
        sample_building_id: community.sample_building_id,
        volunteer_sessions,
        shift_id,
        shift_capacity: SHIFT_CAPACITY,
        street: None,
    })
}

/// Another community of a seeded street: the two accounts and `households` households,
/// nothing else (the first community carries the board and the volunteers).
pub async fn seed_households_only(
    db: &Db,
    clock: &Clock,
    households: usize,
    credentials: &Credentials,
) -> anyhow::Result<()> {
    ensure_empty(db).await?;
    let mut tx = db.begin().await?;
    let staff = accounts(&mut tx, credentials, clock.now()).await?;
    seed_households(&mut tx, staff, households, clock).await?;
    tx.commit().await?;
    sql::query("ANALYZE").execute(db.writer()).await?;
    Ok(())
}

/// Communities filled at the same time: each is its own file with its own writer, so two
/// keep both cores of a small machine busy.
const SEEDING_AT_ONCE: usize = 2;

/// A street of `communities` communities: the deployment's first community as [`seed`]
/// makes it, the others with households only, and a street staff member with a session.
pub async fn seed_street(
    deployment: &Arc<Deployment>,
    sizes: Sizes,
    communities: usize,
    credentials: &Credentials,
) -> anyhow::Result<Seeded> {
    let started = std::time::Instant::now();
    let first = deployment.root().await?;
    let street_id = first.community.street_id;
    let mut seeded = seed(&first.state.db, &first.state.clock, sizes, credentials).await?;
    let mut others = Vec::with_capacity(communities.saturating_sub(1));
    for n in 2..=communities {
        let slug = format!("bench-{n}");
        let tenant = deployment
            .add_community(
                street_id,
                &slug,
                &format!("压测社区{n}"),
                CommunityKind::Community,
            )
            .await?
            .ok_or_else(|| anyhow::anyhow!("the community {slug} exists already"))?;
        others.push(tenant);
    }
    stream::iter(others)
        .map(|tenant| async move {
            seed_households_only(
                &tenant.state.db,
                &tenant.state.clock,
                sizes.households,
                credentials,
            )
            .await?;
            // Done with it: its connections' page caches, kept for a hundred
            // communities, would hold a gigabyte until the end.
            tenant.state.db.close().await;
            anyhow::Ok(())
        })
        .buffer_unordered(SEEDING_AT_ONCE)
        .try_collect::<Vec<()>>()
        .await?;
    let now = deployment.now();
    let operator = catalog::insert_operator(
        deployment.catalog(),
        &NewOperatorRow {
            username: "bench-street",
            display_name: "压测街道干部",
            // Nobody signs in with it: the benchmark uses the session below.
            password_hash: &credentials.admin_hash,
            role: OperatorRole::StreetStaff,
            street_id: Some(street_id),
        },
        now,
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("bench-seed fills an empty deployment only"))?;
    let (token, token_hash) = new_token();
    catalog::insert_session(
        deployment.catalog(),
        &token_hash,
        operator,
        now + chrono::Duration::days(1),
        now,
    )
    .await?;
    seeded.street = Some(SeededStreet {
        street_id,
        communities,
        households_per_community: sizes.households,
        operator_session: format!("{OPERATOR_COOKIE}={token}"),
        seconds: started.elapsed().as_secs_f64(),
    });
    Ok(seeded)
}

/// A street of many communities, for the benchmark at scale.
#[derive(Debug, Serialize)]
pub struct SeededStreet {
    pub street_id: i64,
    pub communities: usize,
    pub households_per_community: usize,
    /// A street staff member's session cookie (operators sign in at the site's root).
    pub operator_session: String,
    /// How long seeding took, in seconds.
    pub seconds: f64,
}

/// Approved volunteers with sessions, and tomorrow morning's entrance shift for them.
async fn seed_volunteers(
    tx: &mut Tx,
    staff: i64,
    volunteers: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<(Vec<String>, i64)> {
    let hash = passwords::hash_blocking(&random_password())?;
    let profile = VolunteerProfileInput {
        name: "压测志愿者".into(),
        service_area: "全社区".into(),
        skills: vec![],
        availability: vec![],
        trainings: vec![],
    }
    .validate()
    .map_err(|e| anyhow::anyhow!("synthetic volunteer: {e}"))?;
    let expires = now + chrono::Duration::days(1);
    let mut sessions = Vec::with_capacity(volunteers);
    for n in 0..volunteers {
        let phone = format!("137{:08}", n);
        let id =
            db::users::insert_in(tx, &phone, "压测志愿者", Role::Volunteer, &hash, now).await?;
        db::volunteers::insert(tx, id, &phone, &profile, now).await?;
        db::volunteers::change_status(
            tx,
            id,
            VolunteerStatus::Pending,
            VolunteerStatus::Approved,
            now,
        )
        .await?;
        let (token, token_hash) = new_token();
        sql::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(id)
        .bind(now)
        .bind(expires)
        .execute(&mut **tx)
        .await?;
        sessions.push(format!("{SESSION_COOKIE}={token}"));
    }
    let clock = CommunityClock::new(480);
    let tomorrow = clock.today(now) + chrono::Duration::days(1);
    let shift = ShiftInput {
        post: PostType::Entrance,
        post_custom: None,
        place: "东门".into(),
        date: tomorrow,
        start: chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap_or(chrono::NaiveTime::MIN),
        end: chrono::NaiveTime::from_hms_opt(11, 0, 0).unwrap_or(chrono::NaiveTime::MIN),
        capacity: SHIFT_CAPACITY,
        required_skill: None,
        required_training: None,
        notes: None,
        repeat: Repeat::Once,
        repeat_until: None,
        open_to_street: false,
    }
    .validate()
    .map_err(|e| anyhow::anyhow!("synthetic shift: {e}"))?;
    let at = occurrences(&shift, clock)
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("a shift occurrence"))?;
    let shift_id = db::shifts::insert(tx, &shift, at, None, staff, now).await?;
    Ok((sessions, shift_id))
}

struct SeededCommunity {
    grids: usize,
    free_rooms: (i64, i64),
    sample_grid_id: i64,
    sample_building_id: i64,
}

/// Grids of ten buildings of four units; in each unit 25 rooms hold a household and 50
/// are free. Occupied rooms are made first so the free ones have consecutive ids.
async fn seed_households(
    tx: &mut Tx,
    worker: i64,
    households: usize,
    clock: &Clock,
) -> anyhow::Result<SeededCommunity> {
    let now = clock.now();
    let units_needed = households.div_ceil(OCCUPIED_PER_UNIT).max(1);
    let grids = units_needed.div_ceil(UNITS_PER_BUILDING * BUILDINGS_PER_GRID);
    let mut units = Vec::new();
    let mut sample = (0, 0);
    for g in 0..grids {
        let grid = community::insert_grid(tx, &format!("压测网格{}", g + 1), now).await?;
        community::set_grid_staff(tx, grid, &[worker]).await?;
        for b in 0..BUILDINGS_PER_GRID {
            let building =
                community::insert_building(tx, grid, &format!("{}-{}号楼", g + 1, b + 1), now)
                    .await?;
            if g == grids / 2 && b == 3 {
                sample = (grid, building);
            }
            for u in 0..UNITS_PER_BUILDING {
                units.push(
                    community::insert_unit(tx, building, &format!("{}单元", u + 1), now).await?,
                );
            }
        }
    }
    let room_names = |range: std::ops::Range<usize>| -> Vec<String> {
        range
            .map(|r| format!("{}{:02}", r / 4 + 1, r % 4 + 1))
            .collect()
    };
    for unit in &units {
        community::insert_rooms(tx, *unit, &room_names(0..OCCUPIED_PER_UNIT), now).await?;
    }
    let today = clock.today();
    let occupied: Vec<i64> = sql::query_scalar("SELECT id FROM rooms ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    for (n, room) in occupied.iter().take(households).enumerate() {
        let place = community::room_place(tx, *room)
            .await?
            .ok_or_else(|| anyhow::anyhow!("a seeded room"))?;
        let members = synthetic_members(n, today)?;
        let source = if n.is_multiple_of(2) {
            Source::SelfRegistered
        } else {
            Source::Staff
        };
        let new = NewHousehold {
            place: &place,
            source,
            pending: false,
            consent_sensitive: true,
            created_by: Some(worker),
        };
        let household = db::residents::insert_household(tx, new, &members, now).await?;
        if !n.is_multiple_of(5) {
            let days = i64::try_from(n % 14).unwrap_or(0);
            db::residents::insert_visit(
                tx,
                &place,
                db::residents::NewVisit {
                    household_id: Some(household),
                    worker_id: worker,
                    visited_on: today - chrono::Duration::days(days),
                    outcome: VisitOutcome::Registered,
                    note: None,
                },
                now,
            )
            .await?;
        }
    }
    let free_from: i64 = sql::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM rooms")
        .fetch_one(&mut **tx)
        .await?;
    for unit in &units {
        community::insert_rooms(
            tx,
            *unit,
            &room_names(OCCUPIED_PER_UNIT..OCCUPIED_PER_UNIT + FREE_PER_UNIT),
            now,
        )
        .await?;
    }
    let free_to: i64 = sql::query_scalar("SELECT MAX(id) FROM rooms")
        .fetch_one(&mut **tx)
        .await?;
    Ok(SeededCommunity {
        grids,
        free_rooms: (free_from, free_to),
        sample_grid_id: sample.0,
        sample_building_id: sample.1,
    })
}

/// One to four people; about one in 23 in a special group, one in 37 back from a risk
/// area and under home observation.
fn synthetic_members(n: usize, today: chrono::NaiveDate) -> anyhow::Result<Vec<ValidMember>> {
    const FAMILY: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
    const GIVEN: [&str; 8] = ["建国", "秀英", "桂兰", "志强", "海燕", "明", "淑珍", "伟"];
    let count = 1 + n % 4;
    (0..count)
        .map(|m| {
            let k = n * 4 + m;
            let groups = match k % 23 {
                0 => vec![SpecialGroup::ElderlyAlone],
                1 => vec![SpecialGroup::ChildInDifficulty],
                2 => vec![SpecialGroup::Destitute],
                _ => vec![],
            };
            let returning = k.is_multiple_of(37);
            let input = MemberInput {
                name: format!("{}{}", FAMILY[k % 8], GIVEN[(k / 8) % 8]),
                phone: Some(format!("138{:08}", k % 100_000_000)),
                relation: if m == 0 {
                    Relation::SelfPerson
                } else {
                    Relation::Other
                },
                birth_year: 1940 + i32::try_from(k % 80).unwrap_or(0),
                id_number: None,
                groups,
                risk: if returning {
                    RiskInfo {
                        category: Some(RiskCategory::RiskAreaReturn),
                        observation_start: Some(today - chrono::Duration::days(3)),
                        observation_end: Some(today + chrono::Duration::days(11)),
                        ..RiskInfo::default()
                    }
                } else {
                    RiskInfo::default()
                },
            };
            input
                .validate(today, true)
                .map_err(|e| anyhow::anyhow!("synthetic member: {e}"))
        })
        .collect()
}
