//! One community's figures for the street's dashboard: a few aggregate queries over the
//! community's own database, each led by an index, so a street of a hundred communities
//! of 5,000 households reads them quickly. Counts only; no row of a person leaves here.
//!
//! The definitions are the community's own: who checks in today and who has a fever as
//! on the staff worklist (`db::health::worklist`), open requests as on the supply
//! dashboard (`RequestState::OPEN`), coverage as on the coverage map, testing progress as
//! on a round's progress page, so the street and the community read the same numbers.

use super::Db;
use super::sql;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use shouwang_api::health::FEVER_TENTHS;
use shouwang_api::shifts::DURATION_MAX_MINUTES;
use shouwang_api::street::{
    BuildingsByZone, CommunityFigures, OBSERVATION_ENDING_WITHIN_DAYS, OpenRequests,
    REQUEST_FRESH_HOURS, REQUEST_OVERDUE_HOURS, TestingProgress,
};
use shouwang_api::supplies::RequestState;

/// A count from SQL (never negative) as the contract's `u32`.
fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// The figures now: `today` is the community's calendar day at `now`.
pub async fn community_figures(
    db: &Db,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<CommunityFigures, sqlx::Error> {
    let (households, rooms) = coverage(db).await?;
    let people = people(db, today).await?;
    let (volunteers_on_duty, volunteers_checked_in) = volunteers(db, now).await?;
    Ok(CommunityFigures {
        households,
        rooms,
        under_observation: people.under_observation,
        observation_ending: people.observation_ending,
        due_check_ins: people.due,
        missed_check_ins: people.missed,
        fevers: people.fevers,
        flagged: people.flagged,
        open_requests: open_requests(db, now).await?,
        zones: zones(db).await?,
        testing: testing(db, today).await?,
        volunteers_on_duty,
        volunteers_checked_in,
    })
}

const COVERAGE: &str = "SELECT COUNT(*), COUNT(h.id)
     FROM rooms r JOIN units u ON u.id = r.unit_id JOIN buildings b ON b.id = u.building_id
     JOIN grids g ON g.id = b.grid_id
     LEFT JOIN households h ON h.room_id = r.id AND h.state = 'active'
     WHERE r.retired_at IS NULL AND u.retired_at IS NULL AND b.retired_at IS NULL
       AND g.retired_at IS NULL";

/// Rooms that exist (room, unit, building and grid not retired) and how many of them hold
/// an active household, as the coverage map counts them.
async fn coverage(db: &Db) -> Result<(u32, u32), sqlx::Error> {
    let (rooms, households): (i64, i64) = sql::query_as(COVERAGE).fetch_one(db.reader()).await?;
    Ok((count(households), count(rooms)))
}

struct People {
    under_observation: u32,
    observation_ending: u32,
    due: u32,
    missed: u32,
    fevers: u32,
    flagged: u32,
}

const PEOPLE: &str = "WITH due (member_id, observed, observation_end) AS (
         SELECT m.id, TRUE, m.observation_end
         FROM members m JOIN households h ON h.id = m.household_id AND h.state = 'active'
         WHERE m.observation_end >= ?1 AND m.observation_start <= ?1
         UNION ALL
         SELECT m.id, FALSE, NULL
         FROM buildings b JOIN households h ON h.building_id = b.id AND h.state = 'active'
         JOIN members m ON m.household_id = h.id
         WHERE b.zone IN ('controlled', 'sealed')
           AND COALESCE(m.observation_start <= ?1 AND m.observation_end >= ?1, FALSE) = FALSE
     )
     SELECT COALESCE(SUM(d.observed), 0),
            COALESCE(SUM(d.observed AND d.observation_end <= ?2), 0),
            COUNT(*),
            COALESCE(SUM(c.id IS NULL), 0),
            COALESCE(SUM(c.temperature >= ?3), 0),
            COALESCE(SUM(c.flagged), 0)
     FROM due d LEFT JOIN health_check_ins c ON c.member_id = d.member_id AND c.day = ?1";

/// The worklist's people, counted: those under observation today (through the
/// observation index) and, apart from them, everyone in a controlled or sealed building
/// (through the zone index), each with today's check-in if any.
async fn people(db: &Db, today: NaiveDate) -> Result<People, sqlx::Error> {
    let ending = today + Duration::days(OBSERVATION_ENDING_WITHIN_DAYS);
    let row: (i64, i64, i64, i64, i64, i64) = sql::query_as(PEOPLE)
        .bind(today)
        .bind(ending)
        .bind(FEVER_TENTHS)
        .fetch_one(db.reader())
        .await?;
    let (under_observation, observation_ending, due, missed, fevers, flagged) = row;
    Ok(People {
        under_observation: count(under_observation),
        observation_ending: count(observation_ending),
        due: count(due),
        missed: count(missed),
        fevers: count(fevers),
        flagged: count(flagged),
    })
}

/// Open requests by age. `grid_id IN (grids)` lets the dashboard index (grid, state,
/// urgency, priority, created_at) answer alone, without reading closed requests.
fn open_requests_sql() -> String {
    let open = RequestState::OPEN
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT COALESCE(SUM(created_at > ?1), 0),
                COALESCE(SUM(created_at <= ?1 AND created_at >= ?2), 0),
                COALESCE(SUM(created_at < ?2), 0),
                COALESCE(SUM(urgency = 'urgent'), 0)
         FROM supply_requests
         WHERE grid_id IN (SELECT id FROM grids) AND state IN ({open})"
    )
}

async fn open_requests(db: &Db, now: DateTime<Utc>) -> Result<OpenRequests, sqlx::Error> {
    let (under_24h, from_24h_to_72h, over_72h, urgent): (i64, i64, i64, i64) =
        sql::query_as(&open_requests_sql())
            .bind(now - Duration::hours(REQUEST_FRESH_HOURS))
            .bind(now - Duration::hours(REQUEST_OVERDUE_HOURS))
            .fetch_one(db.reader())
            .await?;
    Ok(OpenRequests {
        under_24h: count(under_24h),
        from_24h_to_72h: count(from_24h_to_72h),
        over_72h: count(over_72h),
        urgent: count(urgent),
    })
}

const ZONES: &str = "SELECT COALESCE(SUM(zone = 'precaution'), 0),
        COALESCE(SUM(zone = 'controlled'), 0), COALESCE(SUM(zone = 'sealed'), 0)
     FROM buildings WHERE retired_at IS NULL";

/// Buildings not retired, by zone now.
async fn zones(db: &Db) -> Result<BuildingsByZone, sqlx::Error> {
    let (precaution, controlled, sealed): (i64, i64, i64) =
        sql::query_as(ZONES).fetch_one(db.reader()).await?;
    Ok(BuildingsByZone {
        precaution: count(precaution),
        controlled: count(controlled),
        sealed: count(sealed),
    })
}

const TESTING: &str = "SELECT tr.day,
        (SELECT COUNT(*) FROM testing_round_buildings rb
         JOIN households h ON h.building_id = rb.building_id AND h.state = 'active'
         JOIN units u ON u.id = h.unit_id AND u.retired_at IS NULL
         JOIN members m ON m.household_id = h.id
         WHERE rb.round_id = tr.id),
        (SELECT COUNT(*) FROM testing_results t
         JOIN households h ON h.id = t.household_id AND h.state = 'active'
         JOIN units u ON u.id = t.unit_id AND u.retired_at IS NULL
         WHERE t.round_id = tr.id)
     FROM testing_rounds tr
     WHERE tr.day <= ?1 AND tr.state = 'scheduled'
     ORDER BY tr.day DESC, tr.id DESC LIMIT 1";

/// The latest round (not cancelled) whose day has come, and its 应检 and 已检 counted over
/// the live units of its buildings, as its progress page counts them.
async fn testing(db: &Db, today: NaiveDate) -> Result<Option<TestingProgress>, sqlx::Error> {
    let row: Option<(NaiveDate, i64, i64)> = sql::query_as(TESTING)
        .bind(today)
        .fetch_optional(db.reader())
        .await?;
    Ok(row.map(|(day, expected, tested)| TestingProgress {
        day,
        expected: count(expected),
        tested: count(tested),
    }))
}

const VOLUNTEERS: &str = "SELECT COUNT(DISTINCT s.volunteer_id),
        COUNT(DISTINCT CASE WHEN s.status = 'checked_in' THEN s.volunteer_id END)
     FROM shifts sh JOIN shift_signups s ON s.shift_id = sh.id
          AND s.status IN ('signed_up', 'checked_in')
     WHERE sh.starts_at <= ?1 AND sh.starts_at > ?2 AND sh.ends_at > ?1
       AND sh.cancelled_at IS NULL";

/// Volunteers holding a seat on a shift running now, and those of them checked in. A
/// shift lasts at most `DURATION_MAX_MINUTES`, which bounds the range of start times read.
async fn volunteers(db: &Db, now: DateTime<Utc>) -> Result<(u32, u32), sqlx::Error> {
    let (on_duty, checked_in): (i64, i64) = sql::query_as(VOLUNTEERS)
        .bind(now)
        .bind(now - Duration::minutes(DURATION_MAX_MINUTES))
        .fetch_one(db.reader())
        .await?;
    Ok((count(on_duty), count(checked_in)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::config::Durability;

    async fn scalar(db: &Db, sql: &str, today: NaiveDate) -> u32 {
        let n: i64 = sql::query_scalar(sql)
            .bind(today)
            .fetch_one(db.reader())
            .await
            .expect("a count");
        count(n)
    }

    #[tokio::test]
    async fn the_demo_communitys_figures_agree_with_plain_counts() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = Db::open(&dir.path().join("figures.db"), Durability::Normal)
            .await
            .expect("a database");
        let start: DateTime<Utc> = "2026-12-07T02:00:00Z".parse().expect("an instant");
        let clock = Clock::starting_at(start);
        crate::demo::prepare(&db, &clock).await.expect("the demo");
        let (now, today) = (clock.now(), clock.today());

        let f = community_figures(&db, today, now).await.expect("figures");

        // The demo: 6 buildings × 2 units × 12 rooms, 48 households registered.
        assert_eq!(f.rooms, 144);
        assert_eq!(f.households, 48);
        assert_eq!(
            f.households,
            scalar(
                &db,
                "SELECT COUNT(*) FROM households WHERE state = 'active' AND ?1 IS NOT NULL",
                today
            )
            .await
        );
        let observed = scalar(
            &db,
            "SELECT COUNT(*) FROM members m JOIN households h ON h.id = m.household_id
             WHERE h.state = 'active' AND m.observation_start <= ?1 AND m.observation_end >= ?1",
            today,
        )
        .await;
        assert!(observed > 0, "the demo has people under observation");
        assert_eq!(f.under_observation, observed);
        assert!(f.observation_ending <= f.under_observation);
        let due = scalar(
            &db,
            "SELECT COUNT(*) FROM members m JOIN households h ON h.id = m.household_id
             JOIN buildings b ON b.id = h.building_id
             WHERE h.state = 'active' AND ((m.observation_start <= ?1 AND m.observation_end >= ?1)
                OR b.zone IN ('controlled', 'sealed'))",
            today,
        )
        .await;
        assert_eq!(f.due_check_ins, due);
        // The demo's health seed: one fever with a cough, one all well, the rest not yet.
        assert_eq!(f.fevers, 1);
        assert_eq!(f.flagged, 1);
        let checked_in = scalar(
            &db,
            "SELECT COUNT(*) FROM health_check_ins WHERE day = ?1",
            today,
        )
        .await;
        assert_eq!(f.missed_check_ins, due - checked_in);
        let open = scalar(
            &db,
            "SELECT COUNT(*) FROM supply_requests
             WHERE state IN ('submitted', 'accepted', 'assigned', 'out_for_delivery', 'delivered')
               AND ?1 IS NOT NULL",
            today,
        )
        .await;
        assert!(open > 0, "the demo has open requests");
        assert_eq!(f.open_requests.total(), open);
        let buildings = scalar(
            &db,
            "SELECT COUNT(*) FROM buildings WHERE retired_at IS NULL AND ?1 IS NOT NULL",
            today,
        )
        .await;
        assert_eq!(f.zones.total(), buildings);

        // The demo's round is tomorrow: nothing to report today, its progress tomorrow.
        assert_eq!(f.testing, None);
        let tomorrow = today + Duration::days(1);
        let f = community_figures(&db, tomorrow, now + Duration::days(1))
            .await
            .expect("tomorrow's figures");
        let round = f.testing.expect("tomorrow's round");
        assert_eq!(round.day, tomorrow);
        let expected = scalar(
            &db,
            "SELECT COUNT(*) FROM testing_round_buildings rb
             JOIN households h ON h.building_id = rb.building_id AND h.state = 'active'
             JOIN members m ON m.household_id = h.id WHERE ?1 IS NOT NULL",
            today,
        )
        .await;
        assert!(expected > 0);
        assert_eq!((round.expected, round.tested), (expected, 0));
    }

    /// Each query's plan, on an empty database (no statistics: the planner's defaults).
    async fn plan(db: &Db, sql: &str, params: usize) -> String {
        let explain = format!("EXPLAIN QUERY PLAN {sql}");
        let mut query = sql::query_as::<(i64, i64, i64, String)>(&explain);
        for _ in 0..params {
            query = query.bind("2026-12-07");
        }
        let rows = query.fetch_all(db.reader()).await.expect("a plan");
        rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
    }

    #[tokio::test]
    async fn the_queries_are_led_by_indexes() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = Db::open(&dir.path().join("plan.db"), Durability::Normal)
            .await
            .expect("a database");
        let people = plan(&db, PEOPLE, 3).await;
        assert!(people.contains("members_by_observation"), "{people}");
        assert!(people.contains("buildings_by_zone"), "{people}");
        assert!(
            people.contains("sqlite_autoindex_health_check_ins"),
            "{people}"
        );
        let requests = plan(&db, &open_requests_sql(), 2).await;
        assert!(
            requests.contains("COVERING INDEX supply_requests_dashboard"),
            "{requests}"
        );
        let testing = plan(&db, TESTING, 1).await;
        assert!(testing.contains("testing_rounds_by_day"), "{testing}");
        let volunteers = plan(&db, VOLUNTEERS, 2).await;
        assert!(volunteers.contains("shifts_by_start"), "{volunteers}");
        let coverage = plan(&db, COVERAGE, 0).await;
        assert!(coverage.contains("households_one_per_room"), "{coverage}");
        let zones = plan(&db, ZONES, 0).await;
        // Read whole: the rooms (coverage counts every one), the buildings and grids
        // (tens per community) and the people's list being counted (`due`). No table
        // that grows with the days (check-ins, requests, shifts, results) is scanned.
        for (name, plan) in [
            ("people", &people),
            ("requests", &requests),
            ("testing", &testing),
            ("volunteers", &volunteers),
            ("coverage", &coverage),
            ("zones", &zones),
        ] {
            for line in plan.lines().filter(|l| l.starts_with("SCAN ")) {
                let table = line["SCAN ".len()..].split(' ').next().unwrap_or_default();
                assert!(
                    ["r", "g", "d", "buildings"].contains(&table),
                    "{name} scans {table}: {plan}"
                );
            }
        }
    }
}
