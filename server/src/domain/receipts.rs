//! The rules of read receipts, as plain functions.

use crate::db::receipts::StoredFollowUp;
use shouwang_api::notices::NoticeStatus;
use shouwang_api::privacy::mask_phone;
use shouwang_api::receipts::FollowUpHousehold;

/// A household acknowledges only what is on the board and asked of its building.
pub fn may_acknowledge(status: NoticeStatus, asked_of_building: bool) -> bool {
    status == NoticeStatus::Published && asked_of_building
}

/// The buildings a debunk must reach: for each submission that asked about the rumour,
/// the building it names, or else the building of its submitter's household.
/// Sorted, without duplicates; anonymous askers with no place reach no building.
pub fn asker_buildings(places: &[(Option<i64>, Option<i64>)]) -> Vec<i64> {
    let mut buildings: Vec<i64> = places
        .iter()
        .filter_map(|(named, home)| named.or(*home))
        .collect();
    buildings.sort_unstable();
    buildings.dedup();
    buildings
}

/// The follow-up list shows who to visit, not how to reach them in full.
pub fn follow_up_view(h: StoredFollowUp) -> FollowUpHousehold {
    FollowUpHousehold {
        household_id: h.household_id,
        unit: h.unit,
        room: h.room,
        head_name: h.head_name,
        head_phone: h.head_phone.as_deref().map(mask_phone),
        member_count: h.member_count,
        groups: h.groups,
        last_visit_on: h.last_visit_on,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_published_notices_asked_of_the_building_are_acknowledged() {
        assert!(may_acknowledge(NoticeStatus::Published, true));
        assert!(!may_acknowledge(NoticeStatus::Published, false));
        assert!(!may_acknowledge(NoticeStatus::Draft, true));
        assert!(!may_acknowledge(NoticeStatus::Withdrawn, true));
    }

    #[test]
    fn a_named_building_wins_over_the_askers_home() {
        let places = [
            (Some(7), Some(3)),
            (None, Some(3)),
            (None, None),
            (Some(7), None),
            (None, Some(1)),
        ];
        assert_eq!(asker_buildings(&places), vec![1, 3, 7]);
        assert!(asker_buildings(&[(None, None)]).is_empty());
    }

    #[test]
    fn phones_are_masked() {
        let h = StoredFollowUp {
            household_id: 1,
            unit: "1单元".into(),
            room: "101".into(),
            head_name: "王建国".into(),
            head_phone: Some("13912345678".into()),
            member_count: 1,
            groups: vec![],
            last_visit_on: None,
        };
        assert_eq!(follow_up_view(h).head_phone.as_deref(), Some("139****5678"));
    }
}
