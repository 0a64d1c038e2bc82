//! Dates and times as people in the community read them: China Standard Time (UTC+8,
//! no daylight saving), `2020-04-18`, `2026-11-23 16:05`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};

fn community_zone() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap_or(Utc.fix()))
}

pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn date_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&community_zone())
        .format("%Y-%m-%d %H:%M")
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
