//! The street's dashboard (街道看板): per community, the figures a street office compares at
//! a glance, and their totals. Aggregates only: every field is a count, so nothing here
//! can carry a name, a phone or an address.

use crate::deployment::CommunityKind;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An observation ending within this many days counts as "ending this week".
pub const OBSERVATION_ENDING_WITHIN_DAYS: i64 = 7;
/// Open requests younger than this are fresh…
pub const REQUEST_FRESH_HOURS: i64 = 24;
/// …older than this, overdue (shown first to the street).
pub const REQUEST_OVERDUE_HOURS: i64 = 72;

/// Open supply and help requests (someone still has to act) by how long they have waited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenRequests {
    /// Waiting less than 24 hours.
    pub under_24h: u32,
    /// Waiting 24 to 72 hours.
    pub from_24h_to_72h: u32,
    /// Waiting more than 72 hours.
    pub over_72h: u32,
    /// Of all open ones, those marked urgent.
    pub urgent: u32,
}

impl OpenRequests {
    pub fn total(&self) -> u32 {
        self.under_24h + self.from_24h_to_72h + self.over_72h
    }
}

/// Buildings (not retired) by their zone now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingsByZone {
    /// 防范区
    pub precaution: u32,
    /// 管控区
    pub controlled: u32,
    /// 封控区
    pub sealed: u32,
}

impl BuildingsByZone {
    pub fn total(&self) -> u32 {
        self.precaution + self.controlled + self.sealed
    }
}

/// 应检尽检: the latest testing round that has begun (its day is today or earlier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestingProgress {
    pub day: NaiveDate,
    /// 应检: the people living in the round's buildings.
    pub expected: u32,
    /// 已检: those sampled, at the site or at the door.
    pub tested: u32,
}

/// One community's figures now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityFigures {
    /// Households registered (active), in rooms that exist.
    pub households: u32,
    /// Rooms that exist: coverage is `households / rooms` (不漏一户).
    pub rooms: u32,
    /// People under home observation today.
    pub under_observation: u32,
    /// Of those, whose observation ends within [`OBSERVATION_ENDING_WITHIN_DAYS`].
    pub observation_ending: u32,
    /// People who check in today (under observation, or in a controlled or sealed
    /// building), as on the staff worklist.
    pub due_check_ins: u32,
    /// Of those, who have not checked in yet today.
    pub missed_check_ins: u32,
    /// Of those, who reported a fever (≥ 37.3 °C) today.
    pub fevers: u32,
    /// Of those, whose check-in today raised a flag (fever or symptoms).
    pub flagged: u32,
    pub open_requests: OpenRequests,
    pub zones: BuildingsByZone,
    /// None when no round has begun.
    pub testing: Option<TestingProgress>,
    /// Volunteers with a seat on a shift running now.
    pub volunteers_on_duty: u32,
    /// Of those, who have checked in to it.
    pub volunteers_checked_in: u32,
}

impl CommunityFigures {
    /// Households registered per room, 0..=1; `None` without rooms.
    pub fn coverage(&self) -> Option<f64> {
        ratio(self.households, self.rooms)
    }

    /// Tested per expected of the latest round, 0..=1; `None` without a round or people.
    pub fn testing_ratio(&self) -> Option<f64> {
        self.testing.and_then(|t| ratio(t.tested, t.expected))
    }
}

fn ratio(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// A ratio as a whole percentage, rounded down so 99.6 % never reads as 100 %
/// ("everyone tested") while someone is still missing.
pub fn percent(ratio: f64) -> u32 {
    // Truncation intended: the ratio is within 0..=1.
    (ratio.clamp(0.0, 1.0) * 100.0).floor() as u32
}

/// One community on the street's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: CommunityKind,
    pub figures: CommunityFigures,
    /// The lists of personal data the community grants its street's staff now
    /// (`street_access`); empty for most: the street sees counts only.
    #[serde(default)]
    pub granted: Vec<crate::street_access::GrantScope>,
}

/// `GET /api/deployment/streets/{id}/dashboard`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetDashboard {
    pub street_id: i64,
    pub street_name: String,
    /// When the figures were taken: the oldest of the communities' (each community's
    /// figures are taken again in the background every half minute).
    pub as_of: DateTime<Utc>,
    /// The street's time zone, for reading `as_of`: its communities' (those of one street
    /// keep one time); China Standard Time for a street without communities.
    pub utc_offset_minutes: i32,
    pub rows: Vec<CommunityRow>,
    pub totals: CommunityFigures,
}

/// China Standard Time, in minutes east of UTC.
const CHINA_STANDARD_TIME: i32 = 8 * 60;

impl StreetDashboard {
    pub fn new(
        street_id: i64,
        street_name: String,
        as_of: DateTime<Utc>,
        rows: Vec<CommunityRow>,
    ) -> Self {
        let totals = totals(&rows);
        StreetDashboard {
            street_id,
            street_name,
            as_of,
            utc_offset_minutes: CHINA_STANDARD_TIME,
            rows,
            totals,
        }
    }

    /// The same, read in the time zone `utc_offset_minutes` east of UTC.
    pub fn in_zone(self, utc_offset_minutes: i32) -> Self {
        StreetDashboard {
            utc_offset_minutes,
            ..self
        }
    }

    /// `as_of` as the street's clock read it then.
    pub fn as_of_local(&self) -> chrono::NaiveDateTime {
        let offset = chrono::Duration::minutes(i64::from(self.utc_offset_minutes));
        self.as_of.naive_utc() + offset
    }
}

/// The street's totals: every count summed, so a ratio of the totals (coverage, testing)
/// weighs each community by its size rather than averaging percentages. Testing sums the
/// communities that have a round, on the latest of their days.
pub fn totals(rows: &[CommunityRow]) -> CommunityFigures {
    let mut t = CommunityFigures::default();
    for f in rows.iter().map(|r| &r.figures) {
        t.households += f.households;
        t.rooms += f.rooms;
        t.under_observation += f.under_observation;
        t.observation_ending += f.observation_ending;
        t.due_check_ins += f.due_check_ins;
        t.missed_check_ins += f.missed_check_ins;
        t.fevers += f.fevers;
        t.flagged += f.flagged;
        t.open_requests.under_24h += f.open_requests.under_24h;
        t.open_requests.from_24h_to_72h += f.open_requests.from_24h_to_72h;
        t.open_requests.over_72h += f.open_requests.over_72h;
        t.open_requests.urgent += f.open_requests.urgent;
        t.zones.precaution += f.zones.precaution;
        t.zones.controlled += f.zones.controlled;
        t.zones.sealed += f.zones.sealed;
        if let Some(round) = f.testing {
            let sum = t.testing.get_or_insert(TestingProgress {
                day: round.day,
                expected: 0,
                tested: 0,
            });
            sum.day = sum.day.max(round.day);
            sum.expected += round.expected;
            sum.tested += round.tested;
        }
        t.volunteers_on_duty += f.volunteers_on_duty;
        t.volunteers_checked_in += f.volunteers_checked_in;
    }
    t
}

/// Which community needs the street first: most missed check-ins, then fevers, then
/// requests waiting over 72 hours, then urgent ones. Larger is more pressing.
pub fn attention(f: &CommunityFigures) -> (u32, u32, u32, u32) {
    (
        f.missed_check_ins,
        f.fevers,
        f.open_requests.over_72h,
        f.open_requests.urgent,
    )
}

/// Rows in the order the street should look at them: most pressing first, then by name.
pub fn by_attention(rows: &mut [CommunityRow]) {
    rows.sort_by(|a, b| {
        attention(&b.figures)
            .cmp(&attention(&a.figures))
            .then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, name: &str, figures: CommunityFigures) -> CommunityRow {
        CommunityRow {
            id,
            slug: format!("c{id}"),
            name: name.to_owned(),
            kind: CommunityKind::Community,
            figures,
            granted: Vec::new(),
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn totals_sum_every_count_and_coverage_is_a_ratio_of_sums() {
        let big = CommunityFigures {
            households: 900,
            rooms: 1000,
            under_observation: 10,
            observation_ending: 4,
            due_check_ins: 30,
            missed_check_ins: 5,
            fevers: 2,
            flagged: 3,
            open_requests: OpenRequests {
                under_24h: 3,
                from_24h_to_72h: 2,
                over_72h: 1,
                urgent: 1,
            },
            zones: BuildingsByZone {
                precaution: 10,
                controlled: 2,
                sealed: 1,
            },
            testing: Some(TestingProgress {
                day: day(6),
                expected: 2000,
                tested: 1500,
            }),
            volunteers_on_duty: 7,
            volunteers_checked_in: 5,
        };
        let small = CommunityFigures {
            households: 10,
            rooms: 100,
            missed_check_ins: 1,
            open_requests: OpenRequests {
                over_72h: 4,
                ..OpenRequests::default()
            },
            zones: BuildingsByZone {
                precaution: 3,
                ..BuildingsByZone::default()
            },
            testing: Some(TestingProgress {
                day: day(7),
                expected: 200,
                tested: 200,
            }),
            volunteers_on_duty: 1,
            ..CommunityFigures::default()
        };
        let t = totals(&[row(1, "甲", big), row(2, "乙", small)]);
        assert_eq!(t.households, 910);
        assert_eq!(t.rooms, 1100);
        // 910 / 1100, not the mean of 90 % and 10 %.
        assert_eq!(t.coverage(), Some(910.0 / 1100.0));
        assert_eq!(percent(t.coverage().unwrap()), 82);
        assert_eq!(t.missed_check_ins, 6);
        assert_eq!(t.open_requests.total(), 10);
        assert_eq!(t.open_requests.over_72h, 5);
        assert_eq!(t.zones.total(), 16);
        assert_eq!(
            t.testing,
            Some(TestingProgress {
                day: day(7),
                expected: 2200,
                tested: 1700
            })
        );
        assert_eq!(t.volunteers_on_duty, 8);
        assert_eq!(t.volunteers_checked_in, 5);
    }

    #[test]
    fn totals_of_no_rows_or_no_rounds_have_no_ratios() {
        let t = totals(&[]);
        assert_eq!(t, CommunityFigures::default());
        assert_eq!(t.coverage(), None);
        assert_eq!(t.testing_ratio(), None);
        let t = totals(&[row(1, "甲", CommunityFigures::default())]);
        assert_eq!(t.testing, None);
    }

    #[test]
    fn percent_never_rounds_up_to_everyone() {
        assert_eq!(percent(0.996), 99);
        assert_eq!(percent(1.0), 100);
        assert_eq!(percent(0.0), 0);
    }

    #[test]
    fn the_community_needing_attention_comes_first() {
        let calm = row(1, "安宁社区", CommunityFigures::default());
        let fevers = row(
            2,
            "东村",
            CommunityFigures {
                fevers: 3,
                ..CommunityFigures::default()
            },
        );
        let missed = row(
            3,
            "建设社区",
            CommunityFigures {
                missed_check_ins: 1,
                ..CommunityFigures::default()
            },
        );
        let mut rows = vec![calm, fevers, missed];
        by_attention(&mut rows);
        let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["建设社区", "东村", "安宁社区"]);
    }

    #[test]
    fn the_dashboard_carries_its_totals_and_round_trips() {
        let at: DateTime<Utc> = "2026-12-07T02:00:00Z".parse().unwrap();
        let d = StreetDashboard::new(
            1,
            "城关街道".into(),
            at,
            vec![row(
                1,
                "甲",
                CommunityFigures {
                    households: 3,
                    rooms: 4,
                    ..CommunityFigures::default()
                },
            )],
        );
        assert_eq!(d.totals.households, 3);
        let json = serde_json::to_string(&d).unwrap();
        let back: StreetDashboard = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
    }

    /// Every leaf of the figures is a count, but the round's day: no field could carry a
    /// name, a phone or an address to the street.
    #[test]
    fn figures_hold_numbers_only() {
        fn leaves(path: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        leaves(&format!("{path}.{k}"), v, out);
                    }
                }
                serde_json::Value::Number(_) => {}
                other => out.push((path.to_owned(), other.to_string())),
            }
        }
        let figures = CommunityFigures {
            testing: Some(TestingProgress {
                day: day(7),
                expected: 1,
                tested: 1,
            }),
            ..CommunityFigures::default()
        };
        let mut not_numbers = Vec::new();
        leaves(
            "",
            &serde_json::to_value(figures).unwrap(),
            &mut not_numbers,
        );
        assert_eq!(
            not_numbers,
            [(".testing.day".to_owned(), "\"2026-12-07\"".to_owned())]
        );
    }
}
