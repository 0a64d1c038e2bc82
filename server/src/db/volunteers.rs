//! Volunteer profiles, skills, and the hours record.

use super::scope::{BindScope, Scope};
use super::sql;
use super::sql::IntoExec;
use super::{Db, Tx, is_unique_violation};
use crate::domain::shifts::Qualifications;
use chrono::{DateTime, Utc};
use shouwang_api::personal::Phone;
use shouwang_api::volunteers::{
    AvailabilitySlot, BUILTIN_SKILLS, HoursEntry, HoursRow, Skill, Training, TrainingRecord,
    ValidProfile, Volunteer, VolunteerStatus,
};
use sqlx::FromRow;

pub async fn list_skills(db: &Db) -> Result<Vec<Skill>, sqlx::Error> {
    let rows: Vec<(String, String, bool)> = sql::query_as(
        "SELECT code, name, builtin FROM skills ORDER BY builtin DESC, created_at, code",
    )
    .fetch_all(db.reader())
    .await?;
    let mut skills: Vec<Skill> = rows
        .into_iter()
        .map(|(code, name, builtin)| Skill {
            code,
            name,
            builtin,
        })
        .collect();
    // Built-in skills in the order the notices name them (医护 first), then staff's own.
    let rank = |s: &Skill| {
        BUILTIN_SKILLS
            .iter()
            .position(|(code, _)| *code == s.code)
            .unwrap_or(BUILTIN_SKILLS.len())
    };
    skills.sort_by_key(rank);
    Ok(skills)
}

/// Adds a staff-defined skill; `None` when one of that name exists.
pub async fn insert_skill(
    tx: &mut Tx,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Option<Skill>, sqlx::Error> {
    let n: i64 = sql::query_scalar("SELECT COUNT(*) FROM skills WHERE builtin = FALSE")
        .fetch_one(&mut **tx)
        .await?;
    let code = format!("custom-{}", n + 1);
    let result =
        sql::query("INSERT INTO skills (code, name, builtin, created_at) VALUES (?, ?, FALSE, ?)")
            .bind(&code)
            .bind(name)
            .bind(now)
            .execute(&mut **tx)
            .await;
    match result {
        Ok(_) => Ok(Some(Skill {
            code,
            name: name.to_owned(),
            builtin: false,
        })),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// True when every code names a known skill.
pub async fn skills_exist<'e, E>(executor: E, codes: &[String]) -> Result<bool, sqlx::Error>
where
    E: IntoExec<'e>,
{
    if codes.is_empty() {
        return Ok(true);
    }
    let known: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM skills WHERE code IN (SELECT value FROM json_each(?))",
    )
    .bind(serde_json::to_string(codes).unwrap_or_default())
    .fetch_one(executor)
    .await?;
    Ok(usize::try_from(known).unwrap_or(0) == codes.len())
}

pub async fn insert(
    tx: &mut Tx,
    user_id: i64,
    phone: &str,
    profile: &ValidProfile,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO volunteers (user_id, name, phone, service_area, availability, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
    )
    .bind(user_id)
    .bind(&profile.name)
    .bind(phone)
    .bind(&profile.service_area)
    .bind(availability_json(&profile.availability))
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    write_skills_and_trainings(tx, user_id, profile).await
}

/// Replaces the editable profile; the account's display name follows the name.
pub async fn update_profile(
    tx: &mut Tx,
    user_id: i64,
    profile: &ValidProfile,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE volunteers SET name = ?, service_area = ?, availability = ?, updated_at = ? WHERE user_id = ?",
    )
    .bind(&profile.name)
    .bind(&profile.service_area)
    .bind(availability_json(&profile.availability))
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    sql::query("UPDATE users SET display_name = ? WHERE id = ?")
        .bind(&profile.name)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sql::query("DELETE FROM volunteer_skills WHERE volunteer_id = ?")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sql::query("DELETE FROM volunteer_trainings WHERE volunteer_id = ?")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    write_skills_and_trainings(tx, user_id, profile).await?;
    Ok(true)
}

async fn write_skills_and_trainings(
    tx: &mut Tx,
    user_id: i64,
    profile: &ValidProfile,
) -> Result<(), sqlx::Error> {
    for code in &profile.skills {
        sql::query("INSERT INTO volunteer_skills (volunteer_id, skill_code) VALUES (?, ?)")
            .bind(user_id)
            .bind(code)
            .execute(&mut **tx)
            .await?;
    }
    for t in &profile.trainings {
        sql::query(
            "INSERT INTO volunteer_trainings (volunteer_id, training, completed_on) VALUES (?, ?, ?)",
        )
        .bind(user_id)
        .bind(t.training)
        .bind(t.completed_on)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn availability_json(slots: &[AvailabilitySlot]) -> String {
    serde_json::to_string(slots).unwrap_or_else(|_| "[]".into())
}

const SELECT_VOLUNTEER: &str = "SELECT v.user_id, v.name, v.phone, v.service_area, v.availability, v.status,
        v.ics_token_hash IS NOT NULL AS calendar_enabled, v.created_at,
        (SELECT json_group_array(skill_code) FROM volunteer_skills WHERE volunteer_id = v.user_id) AS skills,
        (SELECT json_group_array(json_object('training', training, 'completed_on', completed_on))
           FROM volunteer_trainings WHERE volunteer_id = v.user_id) AS trainings
    FROM volunteers v";

#[derive(FromRow)]
struct VolunteerRow {
    user_id: i64,
    name: String,
    phone: Phone,
    service_area: String,
    availability: String,
    status: VolunteerStatus,
    calendar_enabled: bool,
    created_at: DateTime<Utc>,
    skills: String,
    trainings: String,
}

/// A profile as stored, the phone in full. Not a reply: `domain::volunteers` makes the
/// masked list view or, for the volunteer themself and an audited reveal, the full one.
#[derive(Debug)]
pub struct StoredVolunteer(pub Volunteer);

impl VolunteerRow {
    fn into_volunteer(self) -> Result<StoredVolunteer, sqlx::Error> {
        let status = self.status;
        let mut skills: Vec<String> =
            serde_json::from_str(&self.skills).map_err(|e| decode_error("skills", &e))?;
        skills.sort();
        let mut trainings: Vec<TrainingRecord> =
            serde_json::from_str(&self.trainings).map_err(|e| decode_error("trainings", &e))?;
        trainings.sort_by_key(|t| t.training);
        Ok(StoredVolunteer(Volunteer {
            id: self.user_id,
            name: self.name,
            phone: self.phone.into_string(),
            service_area: self.service_area,
            skills,
            availability: serde_json::from_str(&self.availability).unwrap_or_default(),
            trainings,
            status,
            created_at: self.created_at,
            calendar_enabled: self.calendar_enabled,
        }))
    }
}

fn decode_error(what: &str, detail: &dyn std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what} in the database: {detail}").into())
}

pub async fn find(db: &Db, id: i64) -> Result<Option<StoredVolunteer>, sqlx::Error> {
    sql::query_as::<VolunteerRow>(&format!("{SELECT_VOLUNTEER} WHERE v.user_id = ?"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .map(VolunteerRow::into_volunteer)
        .transpose()
}

/// Profiles, oldest first (pending ones are approved in order), optionally of one status.
pub async fn list(
    db: &Db,
    status: Option<VolunteerStatus>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<StoredVolunteer>, u64), sqlx::Error> {
    let rows = sql::query_as::<VolunteerRow>(&format!(
        "{SELECT_VOLUNTEER} WHERE (?1 IS NULL OR v.status = ?1) ORDER BY v.user_id LIMIT ?2 OFFSET ?3"
    ))
    .bind(status)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 =
        sql::query_scalar("SELECT COUNT(*) FROM volunteers WHERE (?1 IS NULL OR status = ?1)")
            .bind(status)
            .fetch_one(db.reader())
            .await?;
    let items = rows
        .into_iter()
        .map(VolunteerRow::into_volunteer)
        .collect::<Result<_, _>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

pub async fn status_in(tx: &mut Tx, id: i64) -> Result<Option<VolunteerStatus>, sqlx::Error> {
    sql::query_scalar("SELECT status FROM volunteers WHERE user_id = ?")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Changes the status if it still is `from`.
pub async fn change_status(
    tx: &mut Tx,
    id: i64,
    from: VolunteerStatus,
    to: VolunteerStatus,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE volunteers SET status = ?, updated_at = ? WHERE user_id = ? AND status = ?",
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

/// Status, skills and trainings, read inside the sign-up's transaction.
pub async fn qualifications(tx: &mut Tx, id: i64) -> Result<Qualifications, sqlx::Error> {
    let status = status_in(tx, id).await?;
    let skills: Vec<String> =
        sql::query_scalar("SELECT skill_code FROM volunteer_skills WHERE volunteer_id = ?")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    let trainings: Vec<Training> =
        sql::query_scalar("SELECT training FROM volunteer_trainings WHERE volunteer_id = ?")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    Ok(Qualifications {
        status,
        skills,
        trainings: trainings.into_iter().collect(),
    })
}

/// Sets (or with `None` revokes) the calendar token's hash.
pub async fn set_calendar_token(
    tx: &mut Tx,
    id: i64,
    token_hash: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query("UPDATE volunteers SET ics_token_hash = ? WHERE user_id = ?")
        .bind(token_hash)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(changed > 0)
}

pub async fn find_by_calendar_token(db: &Db, token_hash: &str) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar(
        "SELECT user_id FROM volunteers WHERE ics_token_hash = ? AND status <> 'removed'",
    )
    .bind(token_hash)
    .fetch_optional(db.reader())
    .await
}

const HOURS_FROM: &str = "FROM volunteers v JOIN shift_signups s ON s.volunteer_id = v.user_id
    JOIN shifts sh ON sh.id = s.shift_id
    WHERE sh.starts_at >= ?1 AND sh.starts_at < ?2 AND s.status IN ('checked_out', 'no_show')";

#[derive(FromRow)]
struct HoursRowDb {
    volunteer_id: i64,
    name: String,
    phone: Phone,
    shifts: i64,
    seconds: i64,
    no_shows: i64,
}

/// Hours per volunteer for shifts starting in `[from, to)`, by volunteer id; `limit`
/// `None` for the whole report (the export). Phones come back masked by the caller.
pub async fn hours(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: Option<u32>,
    offset: u64,
) -> Result<(Vec<HoursRow>, u64), sqlx::Error> {
    let rows = sql::query_as::<HoursRowDb>(&format!(
        "SELECT v.user_id AS volunteer_id, v.name, v.phone,
                SUM(s.status = 'checked_out') AS shifts,
                CAST(COALESCE(SUM(CASE WHEN s.status = 'checked_out'
                    THEN unixepoch(s.checked_out_at) - unixepoch(s.checked_in_at) END), 0) AS BIGINT) AS seconds,
                SUM(s.status = 'no_show') AS no_shows
         {HOURS_FROM} GROUP BY v.user_id ORDER BY v.user_id LIMIT ?3 OFFSET ?4"
    ))
    .bind(from)
    .bind(to)
    .bind(limit.map_or(i64::MAX, i64::from))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!("SELECT COUNT(DISTINCT v.user_id) {HOURS_FROM}"))
        .bind(from)
        .bind(to)
        .fetch_one(db.reader())
        .await?;
    let items = rows
        .into_iter()
        .map(|r| HoursRow {
            volunteer_id: r.volunteer_id,
            name: r.name,
            phone: r.phone.masked(),
            shifts: u32::try_from(r.shifts).unwrap_or(0),
            minutes: r.seconds / 60,
            no_shows: u32::try_from(r.no_shows).unwrap_or(0),
        })
        .collect();
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

/// A volunteer's own completed shifts starting in `[from, to)`, newest first.
pub async fn hours_entries(
    db: &Db,
    volunteer_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<HoursEntry>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        shift_id: i64,
        post: shouwang_api::shifts::PostType,
        post_custom: Option<String>,
        place: String,
        checked_in_at: DateTime<Utc>,
        checked_out_at: DateTime<Utc>,
    }
    let rows = sql::query_as::<Row>(
        "SELECT sh.id AS shift_id, sh.post, sh.post_custom, sh.place, s.checked_in_at, s.checked_out_at
         FROM shift_signups s JOIN shifts sh ON sh.id = s.shift_id
         WHERE s.volunteer_id = ? AND s.status = 'checked_out' AND sh.starts_at >= ? AND sh.starts_at < ?
         ORDER BY sh.starts_at DESC LIMIT 500",
    )
    .bind(volunteer_id)
    .bind(from)
    .bind(to)
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let post = r.post;
            HoursEntry {
                shift_id: r.shift_id,
                post,
                post_custom: r.post_custom,
                place: r.place,
                minutes: crate::domain::shifts::minutes_worked(r.checked_in_at, r.checked_out_at),
                checked_in_at: r.checked_in_at,
                checked_out_at: r.checked_out_at,
            }
        })
        .collect())
}

/// True when the volunteer works where this staff member is responsible: assigned to a
/// supply request or run in one of their grids, or signed up for a shift they set up.
pub async fn works_for_staff(
    db: &Db,
    volunteer_id: i64,
    staff: Scope,
) -> Result<bool, sqlx::Error> {
    let in_scope = Scope::filter("grid_id");
    sql::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM supply_requests WHERE volunteer_id = ?3 AND {in_scope})
             OR EXISTS (SELECT 1 FROM supply_runs WHERE volunteer_id = ?3 AND {in_scope})
             OR EXISTS (SELECT 1 FROM shift_signups s JOIN shifts sh ON sh.id = s.shift_id
                        WHERE s.volunteer_id = ?3 AND s.status <> 'cancelled'
                          AND sh.created_by = ?4)"
    ))
    .bind_scope(staff)
    .bind(volunteer_id)
    .bind(staff.user_id())
    .fetch_one(db.reader())
    .await
}

/// A volunteer's standing towards the street's pool: (status, in the pool, when they first
/// joined). None for an account without a profile, and for a visiting profile.
pub async fn pool_membership(
    db: &Db,
    id: i64,
) -> Result<Option<(VolunteerStatus, bool, Option<DateTime<Utc>>)>, sqlx::Error> {
    sql::query_as(
        "SELECT status, in_street_pool, pool_joined_at FROM volunteers
         WHERE user_id = ? AND home_community_id IS NULL",
    )
    .bind(id)
    .fetch_optional(db.reader())
    .await
}

/// Joins (`true`) or leaves the street's pool; false when that is already so. The first
/// join is remembered.
pub async fn set_in_pool(
    tx: &mut Tx,
    id: i64,
    in_pool: bool,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE volunteers SET in_street_pool = ?1,
            pool_joined_at = COALESCE(pool_joined_at, CASE WHEN ?1 THEN ?2 END), updated_at = ?2
         WHERE user_id = ?3 AND home_community_id IS NULL AND in_street_pool <> ?1",
    )
    .bind(in_pool)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

/// The id, in this community, of a volunteer visiting from another community of the street.
pub async fn visiting_id<'e, E>(
    executor: E,
    home_community_id: i64,
    home_volunteer_id: i64,
) -> Result<Option<i64>, sqlx::Error>
where
    E: IntoExec<'e>,
{
    sql::query_scalar(
        "SELECT user_id FROM volunteers WHERE home_community_id = ? AND home_volunteer_id = ?",
    )
    .bind(home_community_id)
    .bind(home_volunteer_id)
    .fetch_optional(executor)
    .await
}

/// What a host community keeps of a visiting volunteer: who they are at home, their name and
/// phone (masked in lists; in full only through the audited reveal), and what eligibility
/// checks.
pub struct Visiting<'a> {
    pub home_community_id: i64,
    pub home_community_name: &'a str,
    pub home_volunteer_id: i64,
    pub name: &'a str,
    pub phone: &'a str,
    pub skills: &'a [String],
    pub trainings: &'a [TrainingRecord],
}

/// Records a visiting volunteer, or refreshes what was recorded, and answers their id here.
/// A new one gets an account that cannot sign in (no password hash matches `!`): they act
/// from their own community. A host's pause of them stays. None when the phone belongs to
/// a volunteer of this community.
pub async fn upsert_visiting(
    tx: &mut Tx,
    v: &Visiting<'_>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    let id = match visiting_id(&mut **tx, v.home_community_id, v.home_volunteer_id).await? {
        Some(id) => {
            let updated = sql::query(
                "UPDATE volunteers SET name = ?, phone = ?, home_community_name = ?, updated_at = ?
                 WHERE user_id = ?",
            )
            .bind(v.name)
            .bind(v.phone)
            .bind(v.home_community_name)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await;
            match updated {
                Err(e) if is_unique_violation(&e) => return Ok(None),
                other => other?,
            };
            sql::query("UPDATE users SET display_name = ? WHERE id = ?")
                .bind(v.name)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            for table in ["volunteer_skills", "volunteer_trainings"] {
                sql::query(&format!("DELETE FROM {table} WHERE volunteer_id = ?"))
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
            id
        }
        None => {
            let id: i64 = sql::query_scalar(
                "INSERT INTO users (username, display_name, role, password_hash, created_at)
                 VALUES (?, ?, 'volunteer', '!', ?) RETURNING id",
            )
            .bind(format!(
                "pool-{}-{}",
                v.home_community_id, v.home_volunteer_id
            ))
            .bind(v.name)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?;
            let inserted = sql::query(
                "INSERT INTO volunteers (user_id, name, phone, service_area, status, home_community_id,
                    home_community_name, home_volunteer_id, created_at, updated_at)
                 VALUES (?, ?, ?, ?, 'approved', ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(v.name)
            .bind(v.phone)
            .bind(v.home_community_name)
            .bind(v.home_community_id)
            .bind(v.home_community_name)
            .bind(v.home_volunteer_id)
            .bind(now)
            .bind(now)
            .execute(&mut **tx)
            .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => return Ok(None),
                other => other?,
            };
            id
        }
    };
    for code in v.skills {
        // Only the skills this community knows by the same code (the built-in ones, at least).
        sql::query(
            "INSERT INTO volunteer_skills (volunteer_id, skill_code) SELECT ?, code FROM skills WHERE code = ?",
        )
        .bind(id)
        .bind(code)
        .execute(&mut **tx)
        .await?;
    }
    for t in v.trainings {
        sql::query(
            "INSERT INTO volunteer_trainings (volunteer_id, training, completed_on) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(t.training)
        .bind(t.completed_on)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Some(id))
}
