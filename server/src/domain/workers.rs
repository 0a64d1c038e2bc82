//! The staff's rest rules (轮休) over a duty roster, and the duty hours for the subsidy.
//! Plain functions over plain values: the roster decides nothing here, it only warns.

use crate::clock::CommunityClock;
use crate::db::workers::StoredDuty;
use crate::domain::export::Table;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use shouwang_api::workers::{Duty, DutyHoursRow, DutyRules, RestWarning};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How far before the first day of a roster the rules look: a run of days in a row can
/// reach back this far (`max_days_in_a_row` is at most 30), a week and a rest gap less.
pub const LOOK_BACK_DAYS: i64 = 31;

/// The warnings of every duty given, computed from the duties of the same worker that
/// started before it. `duties` must hold every duty of those workers from
/// [`LOOK_BACK_DAYS`] before the first one asked about.
pub fn warnings(
    duties: &[StoredDuty],
    rules: &DutyRules,
    clock: CommunityClock,
) -> HashMap<i64, Vec<RestWarning>> {
    let mut by_worker: BTreeMap<i64, Vec<&StoredDuty>> = BTreeMap::new();
    for duty in duties {
        by_worker.entry(duty.worker_id).or_default().push(duty);
    }
    let mut found = HashMap::new();
    for mut own in by_worker.into_values() {
        own.sort_by_key(|d| (d.starts_at, d.id));
        let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
        for (i, duty) in own.iter().enumerate() {
            let mut list = Vec::new();
            if let Some(previous) = i.checked_sub(1).and_then(|p| own.get(p)) {
                let rest = duty.starts_at - previous.ends_at;
                if rest < Duration::minutes(i64::from(rules.min_rest_minutes)) {
                    list.push(RestWarning::ShortRest {
                        minutes: u32::try_from(rest.num_minutes().max(0)).unwrap_or(0),
                        limit: rules.min_rest_minutes,
                    });
                }
            }
            let (week_start, _) = clock.week_bounds(duty.starts_at);
            let week_minutes: i64 = own[..=i]
                .iter()
                .filter(|d| d.starts_at >= week_start)
                .map(|d| minutes(d.starts_at, d.ends_at))
                .sum();
            if week_minutes > i64::from(rules.max_hours_per_week) * 60 {
                list.push(RestWarning::WeeklyHours {
                    hours: u32::try_from((week_minutes + 59) / 60).unwrap_or(u32::MAX),
                    limit: rules.max_hours_per_week,
                });
            }
            let day = clock.local(duty.starts_at).date();
            days.insert(day);
            let in_a_row = (0_i64..)
                .take_while(|back| days.contains(&(day - Duration::days(*back))))
                .count();
            let in_a_row = u32::try_from(in_a_row).unwrap_or(u32::MAX);
            if in_a_row > rules.max_days_in_a_row {
                list.push(RestWarning::NoDayOff { days: in_a_row });
            }
            found.insert(duty.id, list);
        }
    }
    found
}

fn minutes(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_minutes().max(0)
}

/// A stored duty as the roster shows it, with its warnings.
pub fn duty_view(
    duty: &StoredDuty,
    warnings: &HashMap<i64, Vec<RestWarning>>,
    clock: CommunityClock,
) -> Duty {
    Duty {
        id: duty.id,
        worker_id: duty.worker_id,
        worker_name: duty.worker_name.clone(),
        post: duty.post.clone(),
        note: duty.note.clone(),
        starts_at: duty.starts_at,
        ends_at: duty.ends_at,
        starts_local: clock.local(duty.starts_at),
        ends_local: clock.local(duty.ends_at),
        warnings: warnings.get(&duty.id).cloned().unwrap_or_default(),
    }
}

/// Hours per worker of the duties starting in `[from, to)`, by name.
pub fn hours(
    duties: &[StoredDuty],
    warnings: &HashMap<i64, Vec<RestWarning>>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<DutyHoursRow> {
    let mut rows: BTreeMap<i64, DutyHoursRow> = BTreeMap::new();
    for duty in duties
        .iter()
        .filter(|d| d.starts_at >= from && d.starts_at < to)
    {
        let row = rows.entry(duty.worker_id).or_insert_with(|| DutyHoursRow {
            worker_id: duty.worker_id,
            name: duty.worker_name.clone(),
            duties: 0,
            minutes: 0,
            warned_duties: 0,
        });
        row.duties += 1;
        row.minutes += minutes(duty.starts_at, duty.ends_at);
        if warnings.get(&duty.id).is_some_and(|w| !w.is_empty()) {
            row.warned_duties += 1;
        }
    }
    let mut rows: Vec<DutyHoursRow> = rows.into_values().collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.worker_id.cmp(&b.worker_id)));
    rows
}

/// The subsidy table (补贴) for the report upward.
pub fn hours_table(rows: &[DutyHoursRow], from: NaiveDate, to: NaiveDate) -> Table {
    let mut table = Table::new([
        "工作人员编号",
        "姓名",
        "值班次数",
        "值班时长（小时）",
        "超出轮休规则的班次",
        "统计起始",
        "统计截止",
    ]);
    for row in rows {
        table.push(vec![
            row.worker_id.to_string(),
            row.name.clone(),
            row.duties.to_string(),
            format!("{:.1}", row.minutes as f64 / 60.0),
            row.warned_duties.to_string(),
            from.to_string(),
            to.to_string(),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .expect("a time")
    }

    fn duty(id: i64, worker_id: i64, start: &str, end: &str) -> StoredDuty {
        StoredDuty {
            id,
            worker_id,
            worker_name: format!("worker {worker_id}"),
            post: "值班室".into(),
            note: None,
            starts_at: utc(start),
            ends_at: utc(end),
        }
    }

    fn rules() -> DutyRules {
        DutyRules {
            max_hours_per_week: 40,
            min_rest_minutes: 480,
            max_days_in_a_row: 6,
        }
    }

    const CHINA: i32 = 8 * 60;

    #[test]
    fn too_little_rest_after_a_night_duty_is_flagged() {
        // 20:00–08:00 local, then 12:00 local the same morning: 4 hours of rest.
        let duties = [
            duty(1, 7, "2026-12-07T12:00:00Z", "2026-12-08T00:00:00Z"),
            duty(2, 7, "2026-12-08T04:00:00Z", "2026-12-08T08:00:00Z"),
            // Another worker's duty in between changes nothing for worker 7.
            duty(3, 8, "2026-12-08T01:00:00Z", "2026-12-08T02:00:00Z"),
        ];
        let found = warnings(&duties, &rules(), CommunityClock::new(CHINA));
        assert_eq!(found[&1], vec![]);
        assert_eq!(
            found[&2],
            vec![RestWarning::ShortRest {
                minutes: 240,
                limit: 480
            }]
        );
        assert_eq!(found[&3], vec![]);
    }

    #[test]
    fn hours_count_the_local_week() {
        // Four 12-hour day duties Monday to Thursday local: the fourth goes past 40 hours.
        let duties: Vec<StoredDuty> = (0..4)
            .map(|d| {
                let start = utc("2026-12-07T00:00:00Z") + Duration::days(d);
                StoredDuty {
                    ends_at: start + Duration::hours(12),
                    ..duty(d + 1, 7, "2026-12-07T00:00:00Z", "2026-12-07T12:00:00Z")
                }
                .with_start(start)
            })
            .collect();
        let found = warnings(&duties, &rules(), CommunityClock::new(CHINA));
        assert_eq!(found[&3], vec![]);
        assert_eq!(
            found[&4],
            vec![RestWarning::WeeklyHours {
                hours: 48,
                limit: 40
            }]
        );
        // The next Monday (local) starts a new week.
        let mut next = duties.clone();
        next.push(duty(5, 7, "2026-12-14T00:00:00Z", "2026-12-14T04:00:00Z"));
        let found = warnings(&next, &rules(), CommunityClock::new(CHINA));
        assert_eq!(found[&5], vec![]);
    }

    #[test]
    fn the_seventh_day_in_a_row_wants_a_day_off() {
        let duties: Vec<StoredDuty> = (0..8)
            .map(|d| {
                let start = utc("2026-12-01T01:00:00Z") + Duration::days(d);
                StoredDuty {
                    ends_at: start + Duration::hours(2),
                    ..duty(d + 1, 7, "2026-12-01T01:00:00Z", "2026-12-01T03:00:00Z")
                }
                .with_start(start)
            })
            .collect();
        let found = warnings(&duties, &rules(), CommunityClock::new(CHINA));
        assert_eq!(found[&6], vec![]);
        assert_eq!(found[&7], vec![RestWarning::NoDayOff { days: 7 }]);
        assert_eq!(found[&8], vec![RestWarning::NoDayOff { days: 8 }]);
    }

    #[test]
    fn hours_add_up_per_worker_and_count_warned_duties() {
        let duties = [
            duty(1, 7, "2026-12-07T12:00:00Z", "2026-12-08T00:00:00Z"),
            duty(2, 7, "2026-12-08T04:00:00Z", "2026-12-08T08:00:00Z"),
            duty(3, 8, "2026-12-08T01:00:00Z", "2026-12-08T02:30:00Z"),
        ];
        let found = warnings(&duties, &rules(), CommunityClock::new(CHINA));
        let rows = hours(
            &duties,
            &found,
            utc("2026-12-07T00:00:00Z"),
            utc("2026-12-09T00:00:00Z"),
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].duties, rows[0].minutes, rows[0].warned_duties),
            (2, 960, 1)
        );
        assert_eq!(
            (rows[1].duties, rows[1].minutes, rows[1].warned_duties),
            (1, 90, 0)
        );
        let table = hours_table(&rows, NaiveDate::default(), NaiveDate::default());
        assert_eq!(table.rows[0][3], "16.0");
        assert_eq!(table.rows[1][3], "1.5");
    }

    impl StoredDuty {
        fn with_start(mut self, start: DateTime<Utc>) -> Self {
            self.starts_at = start;
            self
        }
    }
}
