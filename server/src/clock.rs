//! The server's clock: what time it is, and what day it is in the community.
//!
//! Every date a person reads (a debunk's 发布日期, the poster's 今日, an observation's end)
//! is a date in the community's time zone, which the admin sets with the shift settings
//! (`utc_offset_minutes`). Between 00:00 and 08:00 Beijing time the UTC date is still
//! yesterday's, so nothing may take a date from `now.date_naive()`: take it from
//! [`Clock::today`] or [`CommunityClock::today`].
//!
//! The rule: `Utc::now()` is read here and nowhere else. Handlers take `state.clock`,
//! use cases and queries take `now` / `today` as parameters, so a test can set the time.
//! Tests set the clock with the hidden `serve --test-now <RFC 3339>` flag (the server
//! starts at that instant and its time runs on from there) and, under the hidden
//! `serve --test-hooks`, with `POST /api/test/clock`.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc,
};
use shouwang_api::shifts::ShiftSettings;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// China Standard Time, the default of the shift settings.
const DEFAULT_OFFSET_MINUTES: i32 = 8 * 60;

/// The server's clock, held in `AppState` and handed to everything that needs the time.
/// Cloning shares it: a test setting the time sets it for every request.
#[derive(Debug, Clone)]
pub struct Clock {
    inner: Arc<Inner>,
}

/// A test's time: the instant it stands for, and when it was set.
type SetTime = (DateTime<Utc>, Instant);

#[derive(Debug)]
struct Inner {
    /// The community's offset, as last read from the settings (at start and on each change).
    offset_minutes: AtomicI32,
    /// A test's time: (the instant it stands for, when it was set). Time runs on from there.
    /// Shared by the clocks of every community of the deployment.
    set: Arc<Mutex<Option<SetTime>>>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The real time.
    pub fn system() -> Self {
        Clock {
            inner: Arc::new(Inner {
                offset_minutes: AtomicI32::new(DEFAULT_OFFSET_MINUTES),
                set: Arc::default(),
            }),
        }
    }

    /// The clock of another community of the deployment: the same time (a test setting it
    /// sets it for all), that community's own calendar.
    pub fn for_another_community(&self) -> Self {
        Clock {
            inner: Arc::new(Inner {
                offset_minutes: AtomicI32::new(DEFAULT_OFFSET_MINUTES),
                set: Arc::clone(&self.inner.set),
            }),
        }
    }

    /// A clock that starts at `at` instead of the real time. Tests only (`serve --test-now`).
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        let clock = Clock::system();
        clock.set(at);
        clock
    }

    /// Now. The only source of the current instant.
    pub fn now(&self) -> DateTime<Utc> {
        let set = *self
            .inner
            .set
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match set {
            Some((at, since)) => {
                at + Duration::from_std(since.elapsed()).unwrap_or_else(|_| Duration::zero())
            }
            None => Utc::now(),
        }
    }

    /// Today in the community.
    pub fn today(&self) -> NaiveDate {
        self.community().today(self.now())
    }

    /// The community's calendar, from the offset the admin set.
    pub fn community(&self) -> CommunityClock {
        CommunityClock::new(self.inner.offset_minutes.load(Ordering::Relaxed))
    }

    /// Takes the community's offset from the settings; called at start and whenever staff
    /// change them.
    pub fn use_settings(&self, settings: &ShiftSettings) {
        self.inner
            .offset_minutes
            .store(settings.utc_offset_minutes, Ordering::Relaxed);
    }

    /// Sets the time to `at`; it runs on from there. Tests only (`--test-now`,
    /// `--test-hooks`).
    pub fn set(&self, at: DateTime<Utc>) {
        tracing::warn!(%at, "the clock is set for a test: dates are not real");
        *self
            .inner
            .set
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some((at, Instant::now()));
    }
}

/// The community's calendar. A fixed offset: mainland China has had one (UTC+8, no
/// daylight saving) since 1991. A zone with DST would swap this for `chrono-tz`, here only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommunityClock {
    offset: FixedOffset,
}

impl CommunityClock {
    pub fn new(utc_offset_minutes: i32) -> Self {
        let offset = FixedOffset::east_opt(utc_offset_minutes * 60)
            .or_else(|| FixedOffset::east_opt(8 * 3600))
            .unwrap_or_else(|| Utc.fix());
        CommunityClock { offset }
    }

    pub fn of(settings: &ShiftSettings) -> Self {
        Self::new(settings.utc_offset_minutes)
    }

    pub fn utc_offset_minutes(&self) -> i32 {
        self.offset.local_minus_utc() / 60
    }

    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.offset).naive_local()
    }

    pub fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        // A fixed offset maps every wall-clock time to exactly one instant.
        self.offset
            .from_local_datetime(&local)
            .single()
            .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
    }

    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        self.local(now).date()
    }

    /// The UTC instants a local day begins and ends.
    pub fn day_bounds(&self, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = self.to_utc(day.and_time(chrono::NaiveTime::MIN));
        (start, start + Duration::days(1))
    }

    /// The local week (Monday to Sunday) holding `at`, as UTC instants.
    pub fn week_bounds(&self, at: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let day = self.local(at).date();
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let (start, _) = self.day_bounds(monday);
        (start, start + Duration::days(7))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn at_half_past_midnight_in_beijing_it_is_already_tomorrow() {
        // 00:30 on 7 December in Beijing is 16:30 on the 6th in UTC.
        let beijing = CommunityClock::new(480);
        assert_eq!(beijing.today(at("2026-12-06T16:30:00Z")), day("2026-12-07"));
        assert_eq!(at("2026-12-06T16:30:00Z").date_naive(), day("2026-12-06"));
    }

    #[test]
    fn at_half_past_eleven_at_night_in_beijing_it_is_still_today() {
        // 23:30 on 7 December in Beijing is 15:30 on the 7th in UTC.
        let beijing = CommunityClock::new(480);
        assert_eq!(beijing.today(at("2026-12-07T15:30:00Z")), day("2026-12-07"));
        // And a community west of Greenwich: 23:30 on the 6th in UTC-5 is the 7th in UTC.
        let west = CommunityClock::new(-300);
        assert_eq!(west.today(at("2026-12-07T04:30:00Z")), day("2026-12-06"));
    }

    #[test]
    fn a_day_begins_at_local_midnight() {
        let beijing = CommunityClock::new(480);
        let (start, end) = beijing.day_bounds(day("2026-12-07"));
        assert_eq!(start, at("2026-12-06T16:00:00Z"));
        assert_eq!(end, at("2026-12-07T16:00:00Z"));
    }

    #[test]
    fn today_follows_the_offset_the_admin_set() {
        let clock = Clock::starting_at(at("2026-12-07T04:30:00Z"));
        assert_eq!(clock.today(), day("2026-12-07"));
        clock.use_settings(&ShiftSettings {
            time_zone: "America/New_York".into(),
            utc_offset_minutes: -300,
            max_hours_per_week: 40,
            min_rest_minutes: 480,
        });
        assert_eq!(clock.community(), CommunityClock::new(-300));
        assert_eq!(clock.today(), day("2026-12-06"));
    }

    #[test]
    fn a_set_clock_runs_on_from_the_time_set() {
        let clock = Clock::system();
        clock.set(at("2030-01-01T00:00:00Z"));
        let now = clock.now();
        assert!(now >= at("2030-01-01T00:00:00Z") && now < at("2030-01-01T00:01:00Z"));
        // A clone is the same clock.
        clock.clone().set(at("2031-01-01T00:00:00Z"));
        assert!(clock.now() >= at("2031-01-01T00:00:00Z"));
    }
}
