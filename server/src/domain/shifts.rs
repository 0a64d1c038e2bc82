//! The rules of shifts: wall-clock times to UTC, eligibility, rotation and rest (轮休),
//! capacity, the check-in window, and the private calendar feed.

use crate::db::shifts::StoredRosterEntry;
use chrono::{DateTime, Duration, Utc};
use shouwang_api::ErrorCode;
use shouwang_api::shifts::{RosterEntry, ShiftSettings, SignupStatus, ValidShift};
use shouwang_api::volunteers::{Training, VolunteerStatus};

/// Check-in opens this long before a shift starts.
pub const CHECK_IN_EARLY_MINUTES: i64 = 30;

pub use crate::clock::CommunityClock;

/// Start and end of one shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Interval {
    pub fn minutes(&self) -> i64 {
        (self.ends_at - self.starts_at).num_minutes()
    }
}

/// Every occurrence of a new shift (one, or one per repeated day), in UTC.
pub fn occurrences(shift: &ValidShift, clock: CommunityClock) -> Vec<Interval> {
    let minutes = shift.duration_minutes();
    shift
        .dates
        .iter()
        .map(|date| {
            let starts_at = clock.to_utc(date.and_time(shift.start));
            Interval {
                starts_at,
                ends_at: starts_at + Duration::minutes(minutes),
            }
        })
        .collect()
}

/// Why a volunteer may not take a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotApproved,
    SkillRequired,
    TrainingRequired,
    Closed,
    Overlap,
    WeeklyHours,
    Rest,
}

impl Refusal {
    pub fn code(self) -> ErrorCode {
        match self {
            Refusal::NotApproved => ErrorCode::VolunteerNotApproved,
            Refusal::SkillRequired => ErrorCode::SkillRequired,
            Refusal::TrainingRequired => ErrorCode::TrainingRequired,
            Refusal::Closed => ErrorCode::ShiftClosed,
            Refusal::Overlap => ErrorCode::ShiftOverlap,
            Refusal::WeeklyHours => ErrorCode::WeeklyHoursExceeded,
            Refusal::Rest => ErrorCode::RestTooShort,
        }
    }
}

/// What eligibility needs to know about a volunteer.
#[derive(Debug, Clone, Default)]
pub struct Qualifications {
    pub status: Option<VolunteerStatus>,
    pub skills: Vec<String>,
    pub trainings: Vec<Training>,
}

/// What a shift asks of its volunteers.
#[derive(Debug, Clone, Default)]
pub struct Requirements {
    pub skill: Option<String>,
    pub training: Option<Training>,
}

/// Approved, with the required skill and training. (Once zones exist: and not living in a
/// sealed building — a field of `Qualifications` and one more check here.)
pub fn check_eligibility(who: &Qualifications, shift: &Requirements) -> Result<(), Refusal> {
    if who.status != Some(VolunteerStatus::Approved) {
        return Err(Refusal::NotApproved);
    }
    if let Some(skill) = &shift.skill
        && !who.skills.contains(skill)
    {
        return Err(Refusal::SkillRequired);
    }
    if let Some(training) = shift.training
        && !who.trainings.contains(&training)
    {
        return Err(Refusal::TrainingRequired);
    }
    Ok(())
}

/// The rotation rules: no overlap with the volunteer's other shifts, enough rest before and
/// after them, and no more than the weekly hours in the local week the shift starts in.
/// `others` are the volunteer's seats on other shifts near this one.
pub fn check_rotation(
    new: Interval,
    others: &[Interval],
    settings: &ShiftSettings,
) -> Result<(), Refusal> {
    let clock = CommunityClock::of(settings);
    if others
        .iter()
        .any(|o| o.starts_at < new.ends_at && new.starts_at < o.ends_at)
    {
        return Err(Refusal::Overlap);
    }
    let rest = Duration::minutes(i64::from(settings.min_rest_minutes));
    if others.iter().any(|o| {
        let gap = if o.ends_at <= new.starts_at {
            new.starts_at - o.ends_at
        } else {
            o.starts_at - new.ends_at
        };
        gap < rest
    }) {
        return Err(Refusal::Rest);
    }
    let (week_start, week_end) = clock.week_bounds(new.starts_at);
    let booked: i64 = others
        .iter()
        .filter(|o| o.starts_at >= week_start && o.starts_at < week_end)
        .map(Interval::minutes)
        .sum();
    if booked + new.minutes() > i64::from(settings.max_hours_per_week) * 60 {
        return Err(Refusal::WeeklyHours);
    }
    Ok(())
}

/// The window around a shift in which its volunteers may look at others' shifts for rotation:
/// a week either side covers the weekly limit and any rest rule.
pub fn rotation_window(new: Interval) -> Interval {
    Interval {
        starts_at: new.starts_at - Duration::days(8),
        ends_at: new.ends_at + Duration::days(8),
    }
}

/// Where a new sign-up lands, given the seats taken.
pub fn seat_for(taken: u32, capacity: u32, join_waitlist: bool) -> Option<SignupStatus> {
    if taken < capacity {
        Some(SignupStatus::SignedUp)
    } else if join_waitlist {
        Some(SignupStatus::Waitlisted)
    } else {
        None
    }
}

/// Check-in is open from shortly before the start until the end.
pub fn check_in_open(now: DateTime<Utc>, shift: Interval) -> bool {
    now >= shift.starts_at - Duration::minutes(CHECK_IN_EARLY_MINUTES) && now <= shift.ends_at
}

/// A no-show can be marked once the shift has started.
pub fn no_show_allowed(now: DateTime<Utc>, shift: Interval) -> bool {
    now >= shift.starts_at
}

/// Minutes credited for a completed shift: whole minutes on the post.
pub fn minutes_worked(checked_in: DateTime<Utc>, checked_out: DateTime<Utc>) -> i64 {
    (checked_out - checked_in).num_minutes().max(0)
}

/// One event of the calendar feed.
pub struct CalendarEvent {
    pub uid: String,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// An iCalendar (RFC 5545) document: CRLF line ends, text escaped, long lines folded.
pub fn ics_calendar(events: &[CalendarEvent], name: &str, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut line = |s: &str| fold_into(&mut out, s);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Shouwang//Volunteer shifts//ZH");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", ics_text(name)));
    for e in events {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", e.uid));
        line(&format!("DTSTAMP:{}", ics_time(now)));
        line(&format!("DTSTART:{}", ics_time(e.starts_at)));
        line(&format!("DTEND:{}", ics_time(e.ends_at)));
        line(&format!("SUMMARY:{}", ics_text(&e.summary)));
        line(&format!("LOCATION:{}", ics_text(&e.location)));
        if !e.description.is_empty() {
            line(&format!("DESCRIPTION:{}", ics_text(&e.description)));
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

fn ics_time(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11).
fn ics_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines longer than 75 octets are folded: CRLF and a space, never inside a UTF-8 character.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// A person on the roster as staff read it: the phone masked.
pub fn roster_view(entry: &StoredRosterEntry) -> RosterEntry {
    RosterEntry {
        signup_id: entry.signup_id,
        volunteer_id: entry.volunteer_id,
        name: entry.name.clone(),
        phone: entry.phone.masked(),
        status: entry.status,
        checked_in_at: entry.checked_in_at,
        checked_out_at: entry.checked_out_at,
        from_community: entry.from_community.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};
    use shouwang_api::shifts::{PostType, ShiftInput};

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn settings() -> ShiftSettings {
        ShiftSettings {
            time_zone: "Asia/Shanghai".into(),
            utc_offset_minutes: 480,
            max_hours_per_week: 12,
            min_rest_minutes: 120,
        }
    }

    fn at(start: &str, end: &str) -> Interval {
        Interval {
            starts_at: utc(start),
            ends_at: utc(end),
        }
    }

    #[test]
    fn wall_clock_times_become_utc() {
        let clock = CommunityClock::new(480);
        let input = ShiftInput {
            post: PostType::Entrance,
            post_custom: None,
            place: "东门".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            start: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(2, 0, 0).unwrap(),
            capacity: 2,
            required_skill: None,
            required_training: None,
            notes: None,
            repeat: shouwang_api::shifts::Repeat::Daily,
            repeat_until: NaiveDate::from_ymd_opt(2026, 12, 2),
            open_to_street: false,
        };
        let shifts = occurrences(&input.validate().unwrap(), clock);
        assert_eq!(shifts.len(), 2);
        assert_eq!(shifts[0].starts_at, utc("2026-12-01T14:00:00Z"));
        assert_eq!(shifts[0].ends_at, utc("2026-12-01T18:00:00Z"));
        assert_eq!(
            clock.local(shifts[0].ends_at).date(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            "ends after local midnight"
        );
        assert_eq!(shifts[1].starts_at, utc("2026-12-02T14:00:00Z"));
    }

    #[test]
    fn local_days_and_weeks_start_at_local_midnight() {
        let clock = CommunityClock::new(480);
        let (start, end) = clock.day_bounds(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(start, utc("2026-11-30T16:00:00Z"));
        assert_eq!(end, utc("2026-12-01T16:00:00Z"));
        // Monday 2026-11-30, 07:00 local.
        let (week_start, _) = clock.week_bounds(utc("2026-12-02T23:30:00Z"));
        assert_eq!(week_start, utc("2026-11-29T16:00:00Z"));
        // Sunday 23:30 UTC is Monday 07:30 local: the next week.
        let (week_start, _) = clock.week_bounds(utc("2026-12-06T23:30:00Z"));
        assert_eq!(week_start, utc("2026-12-06T16:00:00Z"));
    }

    #[test]
    fn eligibility_needs_approval_skill_and_training() {
        let mut who = Qualifications {
            status: Some(VolunteerStatus::Approved),
            skills: vec!["medical".into()],
            trainings: vec![],
        };
        let open = Requirements::default();
        assert_eq!(check_eligibility(&who, &open), Ok(()));
        let needs = Requirements {
            skill: Some("driving".into()),
            training: None,
        };
        assert_eq!(check_eligibility(&who, &needs), Err(Refusal::SkillRequired));
        let needs = Requirements {
            skill: Some("medical".into()),
            training: Some(Training::Prevention),
        };
        assert_eq!(
            check_eligibility(&who, &needs),
            Err(Refusal::TrainingRequired)
        );
        who.trainings.push(Training::Prevention);
        assert_eq!(check_eligibility(&who, &needs), Ok(()));
        who.status = Some(VolunteerStatus::Paused);
        assert_eq!(check_eligibility(&who, &open), Err(Refusal::NotApproved));
        who.status = None;
        assert_eq!(check_eligibility(&who, &open), Err(Refusal::NotApproved));
    }

    #[test]
    fn overlapping_shifts_are_refused() {
        let new = at("2026-12-01T01:00:00Z", "2026-12-01T03:00:00Z");
        let other = at("2026-12-01T02:00:00Z", "2026-12-01T04:00:00Z");
        assert_eq!(
            check_rotation(new, &[other], &settings()),
            Err(Refusal::Overlap)
        );
    }

    #[test]
    fn rest_is_needed_before_and_after() {
        let new = at("2026-12-01T04:00:00Z", "2026-12-01T06:00:00Z");
        let before = at("2026-12-01T01:00:00Z", "2026-12-01T03:00:00Z");
        assert_eq!(
            check_rotation(new, &[before], &settings()),
            Err(Refusal::Rest)
        );
        let after = at("2026-12-01T07:00:00Z", "2026-12-01T08:00:00Z");
        assert_eq!(
            check_rotation(new, &[after], &settings()),
            Err(Refusal::Rest)
        );
        let far = at("2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z");
        assert_eq!(check_rotation(new, &[far], &settings()), Ok(()));
    }

    #[test]
    fn weekly_hours_count_the_local_week() {
        // Three 4-hour shifts on Mon, Tue, Wed (local) fill 12 hours.
        let week = [
            at("2026-11-29T23:00:00Z", "2026-11-30T03:00:00Z"),
            at("2026-11-30T23:00:00Z", "2026-12-01T03:00:00Z"),
            at("2026-12-01T23:00:00Z", "2026-12-02T03:00:00Z"),
        ];
        let thursday = at("2026-12-02T23:00:00Z", "2026-12-03T00:00:00Z");
        assert_eq!(
            check_rotation(thursday, &week, &settings()),
            Err(Refusal::WeeklyHours)
        );
        // Next Monday 07:00 local (Sunday 23:00 UTC) is a new week.
        let next_monday = at("2026-12-06T23:00:00Z", "2026-12-07T03:00:00Z");
        assert_eq!(check_rotation(next_monday, &week, &settings()), Ok(()));
    }

    #[test]
    fn seats_then_waitlist_then_refusal() {
        assert_eq!(seat_for(9, 10, false), Some(SignupStatus::SignedUp));
        assert_eq!(seat_for(10, 10, false), None);
        assert_eq!(seat_for(10, 10, true), Some(SignupStatus::Waitlisted));
    }

    #[test]
    fn check_in_opens_half_an_hour_early() {
        let shift = at("2026-12-01T01:00:00Z", "2026-12-01T03:00:00Z");
        assert!(!check_in_open(utc("2026-12-01T00:29:00Z"), shift));
        assert!(check_in_open(utc("2026-12-01T00:30:00Z"), shift));
        assert!(check_in_open(utc("2026-12-01T03:00:00Z"), shift));
        assert!(!check_in_open(utc("2026-12-01T03:01:00Z"), shift));
        assert!(!no_show_allowed(utc("2026-12-01T00:59:00Z"), shift));
        assert_eq!(
            minutes_worked(utc("2026-12-01T01:00:00Z"), utc("2026-12-01T02:59:59Z")),
            119
        );
    }

    #[test]
    fn ics_escapes_folds_and_uses_crlf() {
        let event = CalendarEvent {
            uid: "signup-1@shouwang".into(),
            summary: "出入口管理/测温扫码".into(),
            location: "东门; 北门, 南门\\".into(),
            description: "第一行\n第二行".into(),
            starts_at: utc("2026-12-01T23:00:00Z"),
            ends_at: utc("2026-12-02T03:00:00Z"),
        };
        let ics = ics_calendar(&[event], "守望 志愿者班次", utc("2026-11-28T10:00:00Z"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        assert!(ics.contains("DTSTART:20261201T230000Z\r\n"));
        assert!(ics.contains("LOCATION:东门\\; 北门\\, 南门\\\\\r\n"));
        assert!(ics.contains("DESCRIPTION:第一行\\n第二行\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let long = "很".repeat(40);
        let mut folded = String::new();
        fold_into(&mut folded, &long);
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }
}
