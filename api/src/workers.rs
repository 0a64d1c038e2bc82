//! Caring for the workers (关心关爱): the community staff's duty roster (值班表) with its
//! rest rules, and the private wellbeing check (身心自评) for staff and volunteers.

use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::text::{optional_line, required_line};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

pub const POST_MAX: usize = 30;
pub const NOTE_MAX: usize = 200;
/// Longest single duty: a 24-hour watch (24小时值班) is the longest the notices describe.
pub const DUTY_MAX_HOURS: i64 = 24;
/// Days one roster reply may span: a month at most.
pub const ROSTER_MAX_DAYS: i64 = 31;

/// One duty to put on the roster, in the community's wall-clock time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyInput {
    /// The staff member or admin on duty.
    pub worker_id: i64,
    /// The local day the duty starts.
    pub date: NaiveDate,
    /// Local wall-clock start, e.g. `08:00`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "08:00"))]
    pub start: NaiveTime,
    /// Local wall-clock end; not later than `start` means the next day (a night duty).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "20:00"))]
    pub end: NaiveTime,
    /// The post, e.g. 值班室, 卡口, 入户排查.
    pub post: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A duty that passed validation: its local start and end, end after start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDuty {
    pub worker_id: i64,
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    pub post: String,
    pub note: Option<String>,
}

impl DutyInput {
    pub fn validate(&self) -> Result<ValidDuty, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<ValidDuty, Vec<FieldError>> {
        let mut c = Checks::default();
        if self.worker_id <= 0 {
            c.refuse("worker_id", ErrorCode::Required);
        }
        let post = c.check(required_line("post", &self.post, POST_MAX));
        let note = c.check(optional_line("note", self.note.as_deref(), NOTE_MAX));
        let starts_local = self.date.and_time(self.start);
        let ends_local = if self.end > self.start {
            self.date.and_time(self.end)
        } else {
            // Ending at or before the start means the next day; equal means 24 hours.
            (self.date + Duration::days(1)).and_time(self.end)
        };
        if ends_local - starts_local > Duration::hours(DUTY_MAX_HOURS) {
            c.refuse("end", ErrorCode::InvalidValue);
        }
        c.finish(|| {
            Some(ValidDuty {
                worker_id: self.worker_id,
                starts_local,
                ends_local,
                post: post?,
                note: note?,
            })
        })
    }
}

/// A rest rule a duty goes past. Duties are still put on the roster: the roster is a plan
/// drawn by the person in charge, who must see the warning, not be stopped by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RestWarning {
    /// The local week (Monday to Sunday) holds more hours than the limit, up to this duty.
    WeeklyHours { hours: u32, limit: u32 },
    /// Fewer minutes since the worker's previous duty ended than the rest rule asks.
    ShortRest { minutes: u32, limit: u32 },
    /// This duty's day is the `days`-th local day in a row with a duty: no day off in seven.
    NoDayOff { days: u32 },
}

/// One duty on the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Duty {
    pub id: i64,
    pub worker_id: i64,
    pub worker_name: String,
    pub post: String,
    pub note: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `starts_at` as the community's wall-clock time, with no offset.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$", example = "2026-12-07T08:00:00"))]
    pub starts_local: NaiveDateTime,
    /// `ends_at` as the community's wall-clock time, with no offset.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$", example = "2026-12-07T20:00:00"))]
    pub ends_local: NaiveDateTime,
    /// The rest rules this duty goes past, as the roster stands now.
    pub warnings: Vec<RestWarning>,
}

/// The days of the roster asked for: `from` to `to`, both local days, included.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct DutyRosterQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only this worker's duties.
    pub worker_id: Option<i64>,
}

impl DutyRosterQuery {
    /// The days asked for; the week starting today when none are given.
    pub fn days(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), FieldError> {
        let from = self.from.unwrap_or(today);
        let to = self.to.unwrap_or(from + Duration::days(6));
        if to < from {
            return Err(FieldError::new("to", ErrorCode::DateOrder));
        }
        if (to - from).num_days() >= ROSTER_MAX_DAYS {
            return Err(FieldError::with_limit(
                "to",
                ErrorCode::TooLong,
                ROSTER_MAX_DAYS as usize,
            ));
        }
        Ok((from, to))
    }
}

/// The roster of some days, and who can be put on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyRoster {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub duties: Vec<Duty>,
    pub workers: Vec<Worker>,
    pub rules: DutyRules,
}

/// A staff member or admin who can be on duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Worker {
    pub id: i64,
    pub name: String,
}

/// The community staff's rest rules: the same kinds as the volunteers' (hours a week, rest
/// between duties) and a day off in seven, with numbers of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyRules {
    pub max_hours_per_week: u32,
    pub min_rest_minutes: u32,
    /// Local days in a row with a duty before a day off is due (6: a day off in seven).
    pub max_days_in_a_row: u32,
}

impl Default for DutyRules {
    fn default() -> Self {
        DutyRules {
            max_hours_per_week: 48,
            min_rest_minutes: 8 * 60,
            max_days_in_a_row: 6,
        }
    }
}

impl DutyRules {
    pub fn validate(&self) -> Result<DutyRules, FieldError> {
        if !(1..=168).contains(&self.max_hours_per_week) {
            return Err(FieldError::new(
                "max_hours_per_week",
                ErrorCode::InvalidValue,
            ));
        }
        if self.min_rest_minutes > 24 * 60 {
            return Err(FieldError::new("min_rest_minutes", ErrorCode::InvalidValue));
        }
        if !(1..=30).contains(&self.max_days_in_a_row) {
            return Err(FieldError::new(
                "max_days_in_a_row",
                ErrorCode::InvalidValue,
            ));
        }
        Ok(*self)
    }
}

/// Duty hours per worker in a period, for the subsidy (补贴).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyHoursRow {
    pub worker_id: i64,
    pub name: String,
    pub duties: u32,
    pub minutes: i64,
    /// Duties in the period that went past a rest rule.
    pub warned_duties: u32,
}

/// How often in the last two weeks, as the PHQ-4 asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HowOften {
    /// 完全不会
    NotAtAll,
    /// 好几天
    SeveralDays,
    /// 一半以上的天数
    MoreThanHalf,
    /// 几乎每天
    NearlyEveryDay,
}

impl HowOften {
    pub const ALL: [HowOften; 4] = [
        HowOften::NotAtAll,
        HowOften::SeveralDays,
        HowOften::MoreThanHalf,
        HowOften::NearlyEveryDay,
    ];

    pub fn points(self) -> u8 {
        match self {
            HowOften::NotAtAll => 0,
            HowOften::SeveralDays => 1,
            HowOften::MoreThanHalf => 2,
            HowOften::NearlyEveryDay => 3,
        }
    }

    pub fn from_points(points: u8) -> Option<HowOften> {
        HowOften::ALL.into_iter().find(|h| h.points() == points)
    }
}

/// The four questions of the PHQ-4 (Kroenke et al., 2009), a short screen for anxiety
/// (the first two, GAD-2) and depression (the last two, PHQ-2), free to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WellbeingAnswers {
    /// 感到紧张、焦虑或烦躁
    pub nervous: HowOften,
    /// 不能停止或控制担忧
    pub worrying: HowOften,
    /// 做事时提不起劲或没有兴趣
    pub little_interest: HowOften,
    /// 感到心情低落、沮丧或绝望
    pub feeling_down: HowOften,
}

/// Where the total puts the worker, by the PHQ-4's published cut-offs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WellbeingBand {
    /// 0–2
    Normal,
    /// 3–5
    Mild,
    /// 6–8
    Moderate,
    /// 9–12
    Severe,
}

impl WellbeingBand {
    pub const ALL: [WellbeingBand; 4] = [
        WellbeingBand::Normal,
        WellbeingBand::Mild,
        WellbeingBand::Moderate,
        WellbeingBand::Severe,
    ];
}

impl WellbeingAnswers {
    pub fn anxiety(&self) -> u8 {
        self.nervous.points() + self.worrying.points()
    }

    pub fn depression(&self) -> u8 {
        self.little_interest.points() + self.feeling_down.points()
    }

    pub fn total(&self) -> u8 {
        self.anxiety() + self.depression()
    }

    pub fn band(&self) -> WellbeingBand {
        match self.total() {
            0..=2 => WellbeingBand::Normal,
            3..=5 => WellbeingBand::Mild,
            6..=8 => WellbeingBand::Moderate,
            _ => WellbeingBand::Severe,
        }
    }

    /// The result the worker sees: the subscales at 3 or more are the screen's positives.
    pub fn result(&self, id: i64, taken_at: DateTime<Utc>) -> WellbeingResult {
        WellbeingResult {
            id,
            taken_at,
            answers: *self,
            total: self.total(),
            band: self.band(),
            anxiety_flag: self.anxiety() >= 3,
            depression_flag: self.depression() >= 3,
        }
    }
}

/// One of the worker's own checks. Only its author ever reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WellbeingResult {
    pub id: i64,
    pub taken_at: DateTime<Utc>,
    pub answers: WellbeingAnswers,
    pub total: u8,
    pub band: WellbeingBand,
    /// GAD-2 at 3 or more: worth talking to someone about anxiety.
    pub anxiety_flag: bool,
    /// PHQ-2 at 3 or more: worth talking to someone about low mood.
    pub depression_flag: bool,
}

/// Fewer workers than this in a summary and the counts are withheld: in a team of three,
/// a count of one "severe" names the person.
pub const SUMMARY_MIN_WORKERS: u32 = 5;
/// The summary counts each worker's latest check in this many days.
pub const SUMMARY_DAYS: i64 = 30;

/// What the community sees: counts of workers per band, never a person's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WellbeingSummary {
    pub since: DateTime<Utc>,
    /// Workers whose latest check in the period is counted.
    pub workers: u32,
    /// Empty when fewer than [`SUMMARY_MIN_WORKERS`] took the check.
    pub bands: Vec<BandCount>,
    pub withheld: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BandCount {
    pub band: WellbeingBand,
    pub workers: u32,
}

impl WellbeingSummary {
    /// Counts from each worker's latest band, withheld below the threshold.
    pub fn of(since: DateTime<Utc>, latest: &[WellbeingBand]) -> WellbeingSummary {
        let workers = u32::try_from(latest.len()).unwrap_or(u32::MAX);
        let withheld = workers < SUMMARY_MIN_WORKERS;
        let bands = if withheld {
            Vec::new()
        } else {
            WellbeingBand::ALL
                .into_iter()
                .map(|band| BandCount {
                    band,
                    workers: u32::try_from(latest.iter().filter(|b| **b == band).count())
                        .unwrap_or(u32::MAX),
                })
                .collect()
        };
        WellbeingSummary {
            since,
            workers,
            bands,
            withheld,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duty(start: &str, end: &str) -> DutyInput {
        DutyInput {
            worker_id: 7,
            date: NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date"),
            start: start.parse().expect("a time"),
            end: end.parse().expect("a time"),
            post: "值班室".into(),
            note: None,
        }
    }

    #[test]
    fn an_end_before_the_start_is_the_next_day() {
        let night = duty("20:00", "08:00").validate().expect("valid");
        assert_eq!(night.ends_local.to_string(), "2026-12-08 08:00:00");
        let whole_day = duty("08:00", "08:00").validate().expect("valid");
        assert_eq!(
            whole_day.ends_local - whole_day.starts_local,
            Duration::hours(24)
        );
    }

    #[test]
    fn a_duty_names_its_worker_and_post() {
        let mut input = duty("08:00", "12:00");
        input.worker_id = 0;
        input.post = " ".into();
        let fields: Vec<_> = input.errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["worker_id", "post"]);
    }

    #[test]
    fn a_roster_spans_at_most_a_month() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date");
        let week = DutyRosterQuery::default().days(today).expect("a week");
        assert_eq!((week.1 - week.0).num_days(), 6);
        let long = DutyRosterQuery {
            from: Some(today),
            to: Some(today + Duration::days(31)),
            worker_id: None,
        };
        assert_eq!(long.days(today).map_err(|e| e.field), Err("to"));
    }

    #[test]
    fn phq4_bands_follow_the_published_cut_offs() {
        use HowOften::*;
        let answers = |a, b, c, d| WellbeingAnswers {
            nervous: a,
            worrying: b,
            little_interest: c,
            feeling_down: d,
        };
        assert_eq!(
            answers(NotAtAll, SeveralDays, SeveralDays, NotAtAll).band(),
            WellbeingBand::Normal
        );
        let mild = answers(MoreThanHalf, SeveralDays, NotAtAll, NotAtAll);
        assert_eq!(mild.band(), WellbeingBand::Mild);
        let result = mild.result(1, Utc::now());
        assert!(result.anxiety_flag && !result.depression_flag);
        assert_eq!(
            answers(MoreThanHalf, MoreThanHalf, MoreThanHalf, NotAtAll).band(),
            WellbeingBand::Moderate
        );
        assert_eq!(
            answers(NearlyEveryDay, NearlyEveryDay, NearlyEveryDay, NotAtAll).band(),
            WellbeingBand::Severe
        );
    }

    #[test]
    fn a_small_team_sees_no_counts() {
        let at = Utc::now();
        let four = [
            WellbeingBand::Severe,
            WellbeingBand::Normal,
            WellbeingBand::Normal,
            WellbeingBand::Mild,
        ];
        let summary = WellbeingSummary::of(at, &four);
        assert!(summary.withheld && summary.bands.is_empty());
        assert_eq!(summary.workers, 4);
        let mut five = four.to_vec();
        five.push(WellbeingBand::Normal);
        let summary = WellbeingSummary::of(at, &five);
        assert!(!summary.withheld);
        let normal = summary
            .bands
            .iter()
            .find(|b| b.band == WellbeingBand::Normal);
        assert_eq!(normal.map(|b| b.workers), Some(3));
    }
}
