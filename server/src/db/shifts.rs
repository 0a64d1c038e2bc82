//! Shifts, sign-ups and the community's rotation settings.

use super::sql;
use super::sql::IntoExec;
use super::{Db, Tx};
use crate::domain::shifts::{CommunityClock, Interval, Requirements};
use chrono::{DateTime, Utc};
use shouwang_api::notifications::{PostName, ShiftNotice};
use shouwang_api::shifts::{
    MySignup, MySignupRef, PostType, Shift, ShiftSettings, SignupStatus, ValidShift,
};
use shouwang_api::volunteers::Training;
use sqlx::FromRow;

pub async fn settings<'e, E>(executor: E) -> Result<ShiftSettings, sqlx::Error>
where
    E: IntoExec<'e>,
{
    #[derive(FromRow)]
    struct Row {
        time_zone: String,
        #[sqlx(try_from = "i64")]
        utc_offset_minutes: i32,
        #[sqlx(try_from = "i64")]
        max_hours_per_week: u32,
        #[sqlx(try_from = "i64")]
        min_rest_minutes: u32,
    }
    let row: Row = sql::query_as(
        "SELECT time_zone, utc_offset_minutes, max_hours_per_week, min_rest_minutes FROM shift_settings WHERE id = 1",
    )
    .fetch_one(executor)
    .await?;
    Ok(ShiftSettings {
        time_zone: row.time_zone,
        utc_offset_minutes: row.utc_offset_minutes,
        max_hours_per_week: row.max_hours_per_week,
        min_rest_minutes: row.min_rest_minutes,
    })
}

pub async fn update_settings(
    tx: &mut Tx,
    s: &ShiftSettings,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE shift_settings SET time_zone = ?, utc_offset_minutes = ?, max_hours_per_week = ?,
         min_rest_minutes = ?, updated_at = ? WHERE id = 1",
    )
    .bind(&s.time_zone)
    .bind(s.utc_offset_minutes)
    .bind(i64::from(s.max_hours_per_week))
    .bind(i64::from(s.min_rest_minutes))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inserts one occurrence of a shift.
pub async fn insert(
    tx: &mut Tx,
    shift: &ValidShift,
    at: Interval,
    series_id: Option<i64>,
    created_by: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>(
        "INSERT INTO shifts (series_id, post, post_custom, place, starts_at, ends_at, capacity,
            required_skill, required_training, notes, open_to_street, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(series_id)
    .bind(shift.post)
    .bind(&shift.post_custom)
    .bind(&shift.place)
    .bind(at.starts_at)
    .bind(at.ends_at)
    .bind(i64::from(shift.capacity))
    .bind(&shift.required_skill)
    .bind(shift.required_training)
    .bind(&shift.notes)
    .bind(shift.open_to_street)
    .bind(created_by)
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

pub async fn set_series(tx: &mut Tx, ids: &[i64], series_id: i64) -> Result<(), sqlx::Error> {
    sql::query("UPDATE shifts SET series_id = ? WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))")
        .bind(series_id)
        .bind(serde_json::to_string(ids).unwrap_or_default())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces one shift's details.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    shift: &ValidShift,
    at: Interval,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE shifts SET post = ?, post_custom = ?, place = ?, starts_at = ?, ends_at = ?, capacity = ?,
            required_skill = ?, required_training = ?, notes = ?, open_to_street = ?, updated_at = ?
         WHERE id = ? AND cancelled_at IS NULL",
    )
    .bind(shift.post)
    .bind(&shift.post_custom)
    .bind(&shift.place)
    .bind(at.starts_at)
    .bind(at.ends_at)
    .bind(i64::from(shift.capacity))
    .bind(&shift.required_skill)
    .bind(shift.required_training)
    .bind(&shift.notes)
    .bind(shift.open_to_street)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

pub async fn cancel(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE shifts SET cancelled_at = ?, updated_at = ? WHERE id = ? AND cancelled_at IS NULL",
    )
    .bind(now)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

const SHIFT_COLUMNS: &str = "sh.id, sh.series_id, sh.post, sh.post_custom, sh.place, sh.starts_at, sh.ends_at,
    sh.capacity, sh.required_skill, sh.required_training, sh.notes, sh.cancelled_at IS NOT NULL AS cancelled, sh.open_to_street,
    (SELECT COUNT(*) FROM shift_signups t WHERE t.shift_id = sh.id
        AND t.status IN ('signed_up', 'checked_in', 'checked_out')) AS taken,
    (SELECT COUNT(*) FROM shift_signups w WHERE w.shift_id = sh.id AND w.status = 'waitlisted') AS waitlisted,
    ms.id AS my_id, ms.status AS my_status,
    (SELECT COUNT(*) FROM shift_signups w WHERE w.shift_id = sh.id AND w.status = 'waitlisted'
        AND w.id <= ms.id) AS my_position";

/// `?1` is the viewing volunteer's id (or NULL).
const SHIFT_FROM: &str = "FROM shifts sh LEFT JOIN shift_signups ms
    ON ms.shift_id = sh.id AND ms.volunteer_id = ?1 AND ms.status <> 'cancelled'";

#[derive(FromRow)]
struct ShiftRow {
    id: i64,
    series_id: Option<i64>,
    post: PostType,
    post_custom: Option<String>,
    place: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    #[sqlx(try_from = "i64")]
    capacity: u32,
    required_skill: Option<String>,
    required_training: Option<Training>,
    notes: Option<String>,
    cancelled: bool,
    open_to_street: bool,
    #[sqlx(try_from = "i64")]
    taken: u32,
    #[sqlx(try_from = "i64")]
    waitlisted: u32,
    my_id: Option<i64>,
    my_status: Option<SignupStatus>,
    #[sqlx(try_from = "i64")]
    my_position: u32,
}

impl ShiftRow {
    fn into_shift(self, clock: CommunityClock) -> Shift {
        let my_signup = match (self.my_id, self.my_status) {
            (Some(id), Some(status)) => Some(MySignupRef {
                id,
                status,
                waitlist_position: (status == SignupStatus::Waitlisted).then_some(self.my_position),
            }),
            _ => None,
        };
        Shift {
            id: self.id,
            series_id: self.series_id,
            post: self.post,
            post_custom: self.post_custom,
            place: self.place,
            starts_local: clock.local(self.starts_at),
            ends_local: clock.local(self.ends_at),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            capacity: self.capacity,
            taken: self.taken,
            waitlisted: self.waitlisted,
            required_skill: self.required_skill,
            required_training: self.required_training,
            notes: self.notes,
            cancelled: self.cancelled,
            open_to_street: self.open_to_street,
            my_signup,
        }
    }
}

pub async fn find(
    db: &Db,
    id: i64,
    viewer: Option<i64>,
    clock: CommunityClock,
) -> Result<Option<Shift>, sqlx::Error> {
    Ok(sql::query_as::<ShiftRow>(&format!(
        "SELECT {SHIFT_COLUMNS} {SHIFT_FROM} WHERE sh.id = ?2"
    ))
    .bind(viewer)
    .bind(id)
    .fetch_optional(db.reader())
    .await?
    .map(|r| r.into_shift(clock)))
}

/// Filters of the upcoming-shift list, already in UTC.
pub struct UpcomingFilter<'a> {
    /// Shifts that end after this.
    pub now: DateTime<Utc>,
    /// A local day: shifts starting in `[starts_from, starts_before)`.
    pub starts_from: Option<DateTime<Utc>>,
    pub starts_before: Option<DateTime<Utc>>,
    pub post: Option<PostType>,
    pub place: Option<&'a str>,
    /// Only shifts this volunteer qualifies for (skill and training).
    pub qualified: Option<i64>,
}

/// Shifts that have not ended and are not cancelled, soonest first.
pub async fn list_upcoming(
    db: &Db,
    filter: &UpcomingFilter<'_>,
    viewer: Option<i64>,
    clock: CommunityClock,
    limit: u32,
    offset: u64,
) -> Result<(Vec<Shift>, u64), sqlx::Error> {
    let condition = "sh.cancelled_at IS NULL AND sh.ends_at > ?2
        AND (?3 IS NULL OR sh.starts_at >= ?3) AND (?4 IS NULL OR sh.starts_at < ?4)
        AND (?5 IS NULL OR sh.post = ?5)
        AND (?6 IS NULL OR sh.place = ?6)
        AND (?7 IS NULL OR ((sh.required_skill IS NULL OR sh.required_skill IN
                (SELECT skill_code FROM volunteer_skills WHERE volunteer_id = ?7))
            AND (sh.required_training IS NULL OR sh.required_training IN
                (SELECT training FROM volunteer_trainings WHERE volunteer_id = ?7))))";
    let rows = sql::query_as::<ShiftRow>(&format!(
        "SELECT {SHIFT_COLUMNS} {SHIFT_FROM} WHERE {condition}
         ORDER BY sh.starts_at, sh.id LIMIT ?8 OFFSET ?9"
    ))
    .bind(viewer)
    .bind(filter.now)
    .bind(filter.starts_from)
    .bind(filter.starts_before)
    .bind(filter.post)
    .bind(filter.place)
    .bind(filter.qualified)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 =
        sql::query_scalar(&format!("SELECT COUNT(*) FROM shifts sh WHERE {condition}"))
            .bind(None::<i64>)
            .bind(filter.now)
            .bind(filter.starts_from)
            .bind(filter.starts_before)
            .bind(filter.post)
            .bind(filter.place)
            .bind(filter.qualified)
            .fetch_one(db.reader())
            .await?;
    Ok((
        rows.into_iter().map(|r| r.into_shift(clock)).collect(),
        u64::try_from(total).unwrap_or(0),
    ))
}

/// All shifts (cancelled ones included) starting in `[from, to)`: a day of the roster.
pub async fn starting_between(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    clock: CommunityClock,
) -> Result<Vec<Shift>, sqlx::Error> {
    Ok(sql::query_as::<ShiftRow>(&format!(
        "SELECT {SHIFT_COLUMNS} {SHIFT_FROM} WHERE sh.starts_at >= ?2 AND sh.starts_at < ?3
         ORDER BY sh.starts_at, sh.id LIMIT 500"
    ))
    .bind(None::<i64>)
    .bind(from)
    .bind(to)
    .fetch_all(db.reader())
    .await?
    .into_iter()
    .map(|r| r.into_shift(clock))
    .collect())
}

/// One person on a day's roster, as stored: the phone in full. Only
/// `domain::shifts::roster_view` makes the reply.
#[derive(Debug, Clone, FromRow)]
pub struct StoredRosterEntry {
    pub shift_id: i64,
    pub signup_id: i64,
    pub volunteer_id: i64,
    pub name: String,
    pub phone: shouwang_api::personal::Phone,
    pub status: SignupStatus,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    /// A visiting volunteer's home community (the street's pool).
    pub from_community: Option<String>,
}

/// The people of the shifts starting in `[from, to)`, waitlist order.
pub async fn roster_people(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<StoredRosterEntry>, sqlx::Error> {
    sql::query_as::<StoredRosterEntry>(
        "SELECT s.shift_id, s.id AS signup_id, s.volunteer_id, v.name, v.phone, s.status,
                s.checked_in_at, s.checked_out_at, v.home_community_name AS from_community
         FROM shifts sh JOIN shift_signups s ON s.shift_id = sh.id
         JOIN volunteers v ON v.user_id = s.volunteer_id
         WHERE sh.starts_at >= ? AND sh.starts_at < ? AND s.status <> 'cancelled'
         ORDER BY s.shift_id, s.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db.reader())
    .await
}

/// What a sign-up needs to know about its shift, read inside the write transaction.
#[derive(Debug, Clone)]
pub struct ShiftCore {
    pub id: i64,
    pub at: Interval,
    pub capacity: u32,
    pub requirements: Requirements,
    pub cancelled: bool,
    pub post: PostType,
    pub post_custom: Option<String>,
    pub place: String,
}

impl ShiftCore {
    /// The shift as a notification names it: the post as a code, the start in the
    /// community's time.
    pub fn notice(&self, clock: CommunityClock) -> ShiftNotice {
        ShiftNotice {
            shift_id: self.id,
            post: PostName::Post(self.post),
            post_custom: self.post_custom.clone(),
            place: self.place.clone(),
            starts: clock
                .local(self.at.starts_at)
                .format("%m-%d %H:%M")
                .to_string(),
        }
    }
}

pub async fn core_in(tx: &mut Tx, id: i64) -> Result<Option<ShiftCore>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        id: i64,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        #[sqlx(try_from = "i64")]
        capacity: u32,
        required_skill: Option<String>,
        required_training: Option<Training>,
        cancelled: bool,
        post: PostType,
        post_custom: Option<String>,
        place: String,
    }
    let row = sql::query_as::<Row>(
        "SELECT id, starts_at, ends_at, capacity, required_skill, required_training,
                cancelled_at IS NOT NULL AS cancelled, post, post_custom, place
         FROM shifts WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| ShiftCore {
        id: r.id,
        at: Interval {
            starts_at: r.starts_at,
            ends_at: r.ends_at,
        },
        capacity: r.capacity,
        requirements: Requirements {
            skill: r.required_skill,
            training: r.required_training,
        },
        cancelled: r.cancelled,
        post: r.post,
        post_custom: r.post_custom,
        place: r.place,
    }))
}

/// Seats taken on a shift.
pub async fn taken_in(tx: &mut Tx, shift_id: i64) -> Result<u32, sqlx::Error> {
    let n: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM shift_signups WHERE shift_id = ? AND status IN ('signed_up', 'checked_in', 'checked_out')",
    )
    .bind(shift_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

pub async fn has_live_signup(
    tx: &mut Tx,
    shift_id: i64,
    volunteer_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM shift_signups WHERE shift_id = ? AND volunteer_id = ? AND status <> 'cancelled'",
    )
    .bind(shift_id)
    .bind(volunteer_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

/// The volunteer's seats on other shifts of uncancelled shifts within `window`.
pub async fn seats_near(
    tx: &mut Tx,
    volunteer_id: i64,
    window: Interval,
    except_shift: i64,
) -> Result<Vec<Interval>, sqlx::Error> {
    let rows: Vec<(DateTime<Utc>, DateTime<Utc>)> = sql::query_as(
        "SELECT sh.starts_at, sh.ends_at FROM shift_signups s JOIN shifts sh ON sh.id = s.shift_id
         WHERE s.volunteer_id = ? AND s.status IN ('signed_up', 'checked_in', 'checked_out')
           AND sh.cancelled_at IS NULL AND sh.id <> ? AND sh.ends_at > ? AND sh.starts_at < ?",
    )
    .bind(volunteer_id)
    .bind(except_shift)
    .bind(window.starts_at)
    .bind(window.ends_at)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(starts_at, ends_at)| Interval { starts_at, ends_at })
        .collect())
}

pub async fn insert_signup(
    tx: &mut Tx,
    shift_id: i64,
    volunteer_id: i64,
    status: SignupStatus,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar::<i64>(
        "INSERT INTO shift_signups (shift_id, volunteer_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(shift_id)
    .bind(volunteer_id)
    .bind(status)
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

#[derive(Debug, Clone, Copy)]
pub struct SignupCore {
    pub id: i64,
    pub shift_id: i64,
    pub volunteer_id: i64,
    pub status: SignupStatus,
}

pub async fn signup_in(tx: &mut Tx, id: i64) -> Result<Option<SignupCore>, sqlx::Error> {
    let row: Option<(i64, i64, i64, SignupStatus)> =
        sql::query_as("SELECT id, shift_id, volunteer_id, status FROM shift_signups WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(id, shift_id, volunteer_id, status)| SignupCore {
        id,
        shift_id,
        volunteer_id,
        status,
    }))
}

/// The volunteer's live sign-up on a shift, if any.
pub async fn live_signup_id(
    tx: &mut Tx,
    shift_id: i64,
    volunteer_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar(
        "SELECT id FROM shift_signups WHERE shift_id = ? AND volunteer_id = ? AND status <> 'cancelled'",
    )
    .bind(shift_id)
    .bind(volunteer_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Moves a sign-up from `from` to `to` (if it still is `from`), stamping check-in and out.
pub async fn change_signup(
    tx: &mut Tx,
    id: i64,
    from: SignupStatus,
    to: SignupStatus,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE shift_signups SET status = ?1, updated_at = ?2,
            checked_in_at = CASE WHEN ?1 = 'checked_in' THEN ?2 ELSE checked_in_at END,
            checked_out_at = CASE WHEN ?1 = 'checked_out' THEN ?2 ELSE checked_out_at END
         WHERE id = ?3 AND status = ?4",
    )
    .bind(to)
    .bind(now)
    .bind(id)
    .bind(from)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

/// The waitlist of a shift, first in line first: (sign-up id, volunteer id).
pub async fn waitlist_in(tx: &mut Tx, shift_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sql::query_as(
        "SELECT id, volunteer_id FROM shift_signups WHERE shift_id = ? AND status = 'waitlisted' ORDER BY id",
    )
    .bind(shift_id)
    .fetch_all(&mut **tx)
    .await
}

/// Live sign-ups (seat or waitlist) on shifts not yet started: (sign-up id, status).
pub async fn future_signups_in(
    tx: &mut Tx,
    volunteer_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sql::query_as(
        "SELECT s.id, s.status FROM shift_signups s JOIN shifts sh ON sh.id = s.shift_id
         WHERE s.volunteer_id = ? AND s.status IN ('signed_up', 'waitlisted') AND sh.starts_at > ?",
    )
    .bind(volunteer_id)
    .bind(now)
    .fetch_all(&mut **tx)
    .await
}

/// All live sign-ups of a shift: (sign-up id, volunteer id, status).
pub async fn live_signups_of_shift(
    tx: &mut Tx,
    shift_id: i64,
) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    sql::query_as(
        "SELECT id, volunteer_id, status FROM shift_signups WHERE shift_id = ? AND status IN ('signed_up', 'waitlisted')",
    )
    .bind(shift_id)
    .fetch_all(&mut **tx)
    .await
}

/// A volunteer's own sign-ups: upcoming soonest first, or past newest first.
pub async fn my_signups(
    db: &Db,
    volunteer_id: i64,
    past: bool,
    now: DateTime<Utc>,
    clock: CommunityClock,
    limit: u32,
    offset: u64,
) -> Result<(Vec<MySignup>, u64), sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        shift: ShiftRow,
        checked_in_at: Option<DateTime<Utc>>,
        checked_out_at: Option<DateTime<Utc>>,
    }
    let (condition, order) = if past {
        ("sh.ends_at <= ?2", "sh.starts_at DESC, sh.id DESC")
    } else {
        ("sh.ends_at > ?2", "sh.starts_at, sh.id")
    };
    let rows = sql::query_as::<Row>(&format!(
        "SELECT {SHIFT_COLUMNS}, ms.checked_in_at, ms.checked_out_at
         FROM shifts sh JOIN shift_signups ms ON ms.shift_id = sh.id AND ms.volunteer_id = ?1
            AND ms.status <> 'cancelled'
         WHERE {condition} ORDER BY {order} LIMIT ?3 OFFSET ?4"
    ))
    .bind(volunteer_id)
    .bind(now)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM shifts sh JOIN shift_signups ms ON ms.shift_id = sh.id
            AND ms.volunteer_id = ?1 AND ms.status <> 'cancelled' WHERE {condition}"
    ))
    .bind(volunteer_id)
    .bind(now)
    .fetch_one(db.reader())
    .await?;
    let items = rows
        .into_iter()
        .filter_map(|r| {
            let checked_in_at = r.checked_in_at;
            let checked_out_at = r.checked_out_at;
            let shift = r.shift.into_shift(clock);
            let mine = shift.my_signup?;
            Some(MySignup {
                id: mine.id,
                status: mine.status,
                checked_in_at,
                checked_out_at,
                shift,
            })
        })
        .collect();
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

/// The shifts of a volunteer's calendar feed: seats from 30 days ago on.
pub async fn calendar_shifts(
    db: &Db,
    volunteer_id: i64,
    since: DateTime<Utc>,
    clock: CommunityClock,
) -> Result<Vec<Shift>, sqlx::Error> {
    Ok(sql::query_as::<ShiftRow>(&format!(
        "SELECT {SHIFT_COLUMNS} FROM shifts sh JOIN shift_signups ms ON ms.shift_id = sh.id
            AND ms.volunteer_id = ?1 AND ms.status IN ('signed_up', 'checked_in', 'checked_out')
         WHERE sh.cancelled_at IS NULL AND sh.ends_at > ?2 ORDER BY sh.starts_at LIMIT 500"
    ))
    .bind(volunteer_id)
    .bind(since)
    .fetch_all(db.reader())
    .await?
    .into_iter()
    .map(|r| r.into_shift(clock))
    .collect())
}

/// Shifts open to the street's pool that have not started, soonest first, as volunteer
/// `viewer` (a visiting profile here, or none yet) sees them.
pub async fn open_to_street(
    db: &Db,
    viewer: Option<i64>,
    now: DateTime<Utc>,
    clock: CommunityClock,
    limit: u32,
) -> Result<Vec<Shift>, sqlx::Error> {
    Ok(sql::query_as::<ShiftRow>(&format!(
        "SELECT {SHIFT_COLUMNS} {SHIFT_FROM}
         WHERE sh.open_to_street = TRUE AND sh.cancelled_at IS NULL AND sh.starts_at > ?2
         ORDER BY sh.starts_at, sh.id LIMIT ?3"
    ))
    .bind(viewer)
    .bind(now)
    .bind(i64::from(limit))
    .fetch_all(db.reader())
    .await?
    .into_iter()
    .map(|r| r.into_shift(clock))
    .collect())
}

/// True when the shift exists, is open to the street's pool and is not cancelled.
pub async fn is_open_to_street(tx: &mut Tx, id: i64) -> Result<bool, sqlx::Error> {
    sql::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM shifts WHERE id = ? AND open_to_street = TRUE AND cancelled_at IS NULL)",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await
}

/// The volunteer's seats (uncancelled shifts) within `window`: what another community
/// of the street needs for its rotation check.
pub async fn seats_within(
    db: &Db,
    volunteer_id: i64,
    window: Interval,
) -> Result<Vec<Interval>, sqlx::Error> {
    let rows: Vec<(DateTime<Utc>, DateTime<Utc>)> = sql::query_as(
        "SELECT sh.starts_at, sh.ends_at FROM shift_signups s JOIN shifts sh ON sh.id = s.shift_id
         WHERE s.volunteer_id = ? AND s.status IN ('signed_up', 'checked_in', 'checked_out')
           AND sh.cancelled_at IS NULL AND sh.ends_at > ? AND sh.starts_at < ?",
    )
    .bind(volunteer_id)
    .bind(window.starts_at)
    .bind(window.ends_at)
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(starts_at, ends_at)| Interval { starts_at, ends_at })
        .collect())
}

/// A volunteer's sign-ups on shifts not yet started, by status: (seats, waitlist places).
pub async fn future_signup_ids(
    tx: &mut Tx,
    volunteer_id: i64,
    now: DateTime<Utc>,
) -> Result<(Vec<i64>, Vec<i64>), sqlx::Error> {
    let rows: Vec<(i64, SignupStatus)> = sql::query_as(
        "SELECT s.id, s.status FROM shift_signups s JOIN shifts sh ON sh.id = s.shift_id
         WHERE s.volunteer_id = ? AND s.status IN ('signed_up', 'waitlisted') AND sh.starts_at > ?
           AND sh.cancelled_at IS NULL",
    )
    .bind(volunteer_id)
    .bind(now)
    .fetch_all(&mut **tx)
    .await?;
    let (seats, waiting): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|(_, status)| *status == SignupStatus::SignedUp);
    Ok((
        seats.into_iter().map(|(id, _)| id).collect(),
        waiting.into_iter().map(|(id, _)| id).collect(),
    ))
}
