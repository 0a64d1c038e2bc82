//! Dates and times as people in the community read them: in the community's time zone
//! (set by the admin, UTC+8 unless changed), never the phone's, `2020-04-18`,
//! `2026-11-23 16:05`.
//!
//! The offset comes from `GET /api/community/calendar` when the app starts; until it
//! arrives, China Standard Time. Dates written inside a reactive view follow it when it
//! arrives.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use leptos::prelude::*;

/// China Standard Time, the server's default.
const DEFAULT_OFFSET_MINUTES: i32 = 8 * 60;

thread_local! {
    // Reference-counted, not owned by whichever component reads it first.
    static OFFSET_MINUTES: ArcRwSignal<i32> = ArcRwSignal::new(DEFAULT_OFFSET_MINUTES);
}

/// Loads the community's offset once, at start.
pub fn load_community_calendar() {
    leptos::task::spawn_local(async {
        if let Ok(calendar) = crate::api::community::calendar().await {
            OFFSET_MINUTES.with(|o| o.set(calendar.utc_offset_minutes));
        }
    });
}

fn community_zone() -> FixedOffset {
    let minutes = OFFSET_MINUTES.with(|o| o.get());
    FixedOffset::east_opt(minutes * 60)
        .or_else(|| FixedOffset::east_opt(DEFAULT_OFFSET_MINUTES * 60))
        .unwrap_or(Utc.fix())
}

/// Today in the community: the one "today" of the app (forms' defaults, the poster).
pub fn today() -> NaiveDate {
    crate::clock::now()
        .with_timezone(&community_zone())
        .date_naive()
}

pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn date_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&community_zone())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A recent moment, short: `12-07 08:30`.
pub fn month_day_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&community_zone())
        .format("%m-%d %H:%M")
        .to_string()
}

/// The value a `<input type="datetime-local">` shows for a moment.
pub fn to_local_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&community_zone())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A `datetime-local` value, read as community time.
pub fn from_local_input(value: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    community_zone()
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

pub fn parse_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}
