//! Rules of supply and help requests: priority, who may act, which volunteers may carry
//! a delivery, when an open request counts as forgotten, and pickup codes.

use crate::db::supplies::{StoredDelivery, StoredRequest};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Duration, Utc};
use shouwang_api::personal::Phone;
use shouwang_api::supplies::{
    Delivery, PICKUP_CODE_LEN, RequestAction, RequestKind, RequestState, SupplyRequest,
};
use shouwang_api::volunteers::AvailabilitySlot;
use shouwang_api::zones::Zone;

/// An open priority request nobody touched for this long is flagged on the dashboard.
pub const STALE_PRIORITY_MINUTES: i64 = 60;
/// The same for other requests.
pub const STALE_MINUTES: i64 = 4 * 60;

/// Requests from sealed buildings and from households with a special group (elderly living
/// alone, disabled, pregnant, chronic illness…) go first.
pub fn is_priority(zone: Zone, special_group_household: bool) -> bool {
    zone == Zone::Sealed || special_group_household
}

/// What staff of the request's grid read: the phone masked, no pickup code, flagged
/// `stale` when untouched past its limit.
pub fn staff_view(r: StoredRequest, now: DateTime<Utc>) -> SupplyRequest {
    let stale = is_stale(r.state, r.priority, r.updated_at, now);
    let contact_phone = r.contact_phone.as_ref().map(Phone::masked);
    SupplyRequest {
        contact_phone,
        pickup_code: None,
        stale,
        ..reply(r)
    }
}

/// What the requesting household reads: its own phone, and the code to show at the door
/// until the request is closed.
pub fn resident_view(r: StoredRequest) -> SupplyRequest {
    let keeps_code = r.state.is_open() && r.state != RequestState::Delivered;
    let pickup_code = keeps_code.then(|| r.pickup_code.clone());
    SupplyRequest {
        pickup_code,
        ..reply(r)
    }
}

/// What the assigned volunteer reads after acting: no phone (revealed per delivery), no
/// code, no history.
pub fn volunteer_view(r: StoredRequest) -> SupplyRequest {
    SupplyRequest {
        contact_phone: None,
        pickup_code: None,
        events: Vec::new(),
        ..reply(r)
    }
}

/// A volunteer's delivery: the phone masked (revealed one delivery at a time).
pub fn delivery_view(d: StoredDelivery) -> Delivery {
    Delivery {
        id: d.id,
        kind: d.kind,
        urgency: d.urgency,
        state: d.state,
        items: d.items,
        notes: d.notes,
        address: d.address,
        contact_phone: d.contact_phone.as_ref().map(Phone::masked),
        run_id: d.run_id,
        medicine_run: d.medicine_run,
        updated_at: d.updated_at,
    }
}

/// The fields every view shares; private, so no reply leaves with the stored phone and
/// code unless a view above chose to keep them.
fn reply(r: StoredRequest) -> SupplyRequest {
    SupplyRequest {
        id: r.id,
        kind: r.kind,
        urgency: r.urgency,
        state: r.state,
        priority: r.priority,
        items: r.items,
        notes: r.notes,
        address: r.address,
        building_id: r.building_id,
        contact_phone: r.contact_phone.map(Phone::into_string),
        pickup_code: None,
        volunteer_name: r.volunteer_name,
        run_id: r.run_id,
        medicine_run: r.medicine_run,
        created_at: r.created_at,
        updated_at: r.updated_at,
        stale: false,
        events: r.events,
    }
}

/// Open, and untouched past its time limit.
pub fn is_stale(
    state: RequestState,
    priority: bool,
    updated_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    let limit = if priority {
        STALE_PRIORITY_MINUTES
    } else {
        STALE_MINUTES
    };
    state.is_open()
        && state != RequestState::Delivered
        && now - updated_at > Duration::minutes(limit)
}

/// The latest `updated_at` that is not yet stale: the dashboard's filter boundary.
pub fn stale_before(priority: bool, now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::minutes(if priority {
        STALE_PRIORITY_MINUTES
    } else {
        STALE_MINUTES
    })
}

/// How the caller relates to one request (after the record-level check: staff of its
/// grid, the volunteer it is assigned to, or a member account of its household).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Staff,
    Volunteer,
    Requester,
}

/// Which party may take which action. Staff may also carry a run's deliveries on behalf of
/// a 楼栋长 who has no account (with the pickup code all the same).
pub fn may(party: Party, action: RequestAction) -> bool {
    use RequestAction as A;
    match party {
        Party::Staff => !matches!(action, A::Confirm),
        Party::Volunteer => matches!(action, A::Dispatch | A::Deliver),
        Party::Requester => matches!(action, A::Confirm | A::Cancel),
    }
}

/// A volunteer carries deliveries when on a delivery shift now or later today, or usually
/// available on this weekday. Help requests (care, support) need only approval.
pub fn can_take(
    kind: RequestKind,
    on_delivery_shift: bool,
    availability: &[AvailabilitySlot],
    weekday: u8,
) -> bool {
    !kind.is_delivery() || on_delivery_shift || availability.iter().any(|s| s.weekday == weekday)
}

/// A fresh random pickup code, zero-padded digits.
pub fn pickup_code() -> String {
    let n = OsRng.next_u32() % 10u32.pow(PICKUP_CODE_LEN as u32);
    format!("{n:0width$}", width = PICKUP_CODE_LEN)
}

/// Compares a typed code without leaking, through timing, how many digits matched.
pub fn code_matches(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Wrong pickup codes in a row before the check locks.
pub const PICKUP_ATTEMPTS: i64 = 5;
/// How long it stays locked: five tries per quarter hour make guessing a six-digit code
/// take years, while a resident who misread their code waits only minutes.
pub const PICKUP_LOCK_MINUTES: i64 = 15;

/// What a wrong code leaves behind: the failures in a row to store and, when they reached
/// [`PICKUP_ATTEMPTS`], the end of the lock (the count starts again after it).
pub fn after_wrong_code(failures: i64, now: DateTime<Utc>) -> (i64, Option<DateTime<Utc>>) {
    let failures = failures + 1;
    if failures >= PICKUP_ATTEMPTS {
        (0, Some(now + Duration::minutes(PICKUP_LOCK_MINUTES)))
    } else {
        (failures, None)
    }
}

/// How long the pickup-code check stays locked from `now`, if it is.
pub fn pickup_lock_left(
    locked_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<std::time::Duration> {
    locked_until
        .filter(|until| *until > now)
        .and_then(|until| (until - now).to_std().ok())
}

/// Whether the resident hears of a change (`supply.state`): every one they did not make
/// themselves.
pub fn tells_resident(to: RequestState) -> bool {
    !matches!(to, RequestState::Submitted | RequestState::Confirmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shouwang_api::volunteers::DayPart;

    #[test]
    fn sealed_buildings_and_special_groups_go_first() {
        assert!(is_priority(Zone::Sealed, false));
        assert!(is_priority(Zone::Precaution, true));
        assert!(!is_priority(Zone::Controlled, false));
    }

    #[test]
    fn open_requests_untouched_past_the_limit_are_stale() {
        let now = "2026-12-07T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let old = now - Duration::minutes(90);
        assert!(is_stale(RequestState::Submitted, true, old, now));
        assert!(!is_stale(RequestState::Submitted, false, old, now));
        assert!(!is_stale(RequestState::Confirmed, true, old, now));
        assert!(
            !is_stale(RequestState::Delivered, true, old, now),
            "waits for the resident"
        );
        assert!(is_stale(
            RequestState::Accepted,
            false,
            now - Duration::hours(5),
            now
        ));
        assert_eq!(stale_before(true, now), now - Duration::minutes(60));
    }

    #[test]
    fn each_party_takes_only_its_own_actions() {
        use RequestAction as A;
        assert!(may(Party::Staff, A::Assign));
        assert!(!may(Party::Staff, A::Confirm));
        assert!(may(Party::Volunteer, A::Deliver));
        assert!(!may(Party::Volunteer, A::Assign));
        assert!(!may(Party::Volunteer, A::Cancel));
        assert!(may(Party::Requester, A::Confirm));
        assert!(!may(Party::Requester, A::Accept));
        assert!(!may(Party::Requester, A::Deliver));
    }

    #[test]
    fn deliveries_need_a_shift_or_availability_help_does_not() {
        let saturday = [AvailabilitySlot {
            weekday: 6,
            part: DayPart::Morning,
        }];
        assert!(can_take(RequestKind::Medicine, true, &[], 1));
        assert!(can_take(RequestKind::Grocery, false, &saturday, 6));
        assert!(!can_take(RequestKind::Grocery, false, &saturday, 1));
        assert!(can_take(RequestKind::Psychological, false, &[], 1));
    }

    #[test]
    fn pickup_codes_are_six_digits_and_compare_exactly() {
        for _ in 0..50 {
            let code = pickup_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
        assert!(code_matches("012345", "012345"));
        assert!(!code_matches("012345", "012346"));
        assert!(!code_matches("012345", "01234"));
    }

    #[test]
    fn five_wrong_codes_in_a_row_lock_the_check_for_a_quarter_hour() {
        let now = "2026-12-07T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let mut failures = 0;
        for _ in 1..PICKUP_ATTEMPTS {
            let (next, lock) = after_wrong_code(failures, now);
            assert_eq!(lock, None);
            failures = next;
        }
        let (failures, lock) = after_wrong_code(failures, now);
        assert_eq!(failures, 0, "the count starts again after the lock");
        let until = lock.expect("locked after the fifth");
        assert_eq!(
            pickup_lock_left(Some(until), now),
            Some(std::time::Duration::from_secs(15 * 60))
        );
        assert_eq!(pickup_lock_left(Some(until), until), None);
        assert_eq!(pickup_lock_left(None, now), None);
    }
}
