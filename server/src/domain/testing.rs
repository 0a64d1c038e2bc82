//! The rules of testing rounds: who is sampled at the door and why, what a staff line
//! shows (phone masked), and which of a round's buildings a caller may schedule.

use crate::db::testing::{BuildingRow, PersonRow};
use chrono::NaiveDate;
use shouwang_api::testing::{DoorReason, MyMember, RoundPerson};

/// Why a person cannot come down to the site: a special group that keeps them at home,
/// home medical observation today, or a sealed building.
pub fn door_reasons(
    groups: &str,
    observation: (Option<NaiveDate>, Option<NaiveDate>),
    zone: &str,
    today: NaiveDate,
) -> Vec<DoorReason> {
    let mut reasons: Vec<DoorReason> = groups
        .split(',')
        .filter_map(|g| match g.trim() {
            "elderly_alone" => Some(DoorReason::ElderlyAlone),
            "disabled" => Some(DoorReason::Disabled),
            "seriously_ill" => Some(DoorReason::SeriouslyIll),
            _ => None,
        })
        .collect();
    if let (Some(start), Some(end)) = observation
        && start <= today
        && today <= end
    {
        reasons.push(DoorReason::Observation);
    }
    if zone == "sealed" {
        reasons.push(DoorReason::Sealed);
    }
    reasons
}

fn reasons_of(row: &PersonRow, today: NaiveDate) -> Vec<DoorReason> {
    door_reasons(
        &row.groups,
        (row.observation_start, row.observation_end),
        &row.zone,
        today,
    )
}

/// A line of the staff lists: the phone masked (GB/T 35273).
pub fn person_view(row: PersonRow, today: NaiveDate) -> RoundPerson {
    RoundPerson {
        member_id: row.member_id,
        door_reasons: reasons_of(&row, today),
        result: row.result(),
        address: row.address(),
        phone: row
            .phone
            .as_ref()
            .map(shouwang_api::personal::Phone::masked),
        birth_year: row.birth_year,
        name: row.name,
    }
}

/// A person of the resident's own household.
pub fn my_member(row: PersonRow, today: NaiveDate) -> MyMember {
    MyMember {
        member_id: row.member_id,
        at_door: !reasons_of(&row, today).is_empty(),
        result: row.result(),
        name: row.name,
    }
}

/// Why a new round's buildings are refused, if they are.
#[derive(Debug, PartialEq, Eq)]
pub enum BuildingsCheck {
    Ok,
    /// Some id is not a building (422 on `building_ids`).
    Unknown,
    /// A building of another grid (403).
    OutOfScope,
}

pub fn check_buildings(asked: &[i64], found: &[BuildingRow]) -> BuildingsCheck {
    if asked.iter().any(|id| !found.iter().any(|b| b.id == *id)) {
        BuildingsCheck::Unknown
    } else if found.iter().any(|b| !b.in_scope) {
        BuildingsCheck::OutOfScope
    } else {
        BuildingsCheck::Ok
    }
}

/// Every slot's unit must exist and belong to one of the round's buildings.
pub fn slots_fit(slot_units: &[i64], unit_buildings: &[(i64, i64)], buildings: &[i64]) -> bool {
    slot_units.iter().all(|u| {
        unit_buildings
            .iter()
            .any(|(unit, building)| unit == u && buildings.contains(building))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_elderly_alone_the_observed_and_the_sealed_are_sampled_at_the_door() {
        let today = day("2026-11-28");
        assert_eq!(
            door_reasons("elderly_alone,pregnant", (None, None), "precaution", today),
            vec![DoorReason::ElderlyAlone]
        );
        assert_eq!(
            door_reasons(
                "",
                (Some(day("2026-11-25")), Some(day("2026-11-28"))),
                "sealed",
                today
            ),
            vec![DoorReason::Observation, DoorReason::Sealed]
        );
        assert!(
            door_reasons(
                "pregnant",
                (Some(day("2026-11-01")), Some(day("2026-11-14"))),
                "controlled",
                today
            )
            .is_empty(),
            "an ended observation and a controlled building do not keep anyone at home"
        );
    }

    #[test]
    fn unknown_buildings_are_named_before_other_grids() {
        let row = |id, in_scope| BuildingRow {
            id,
            grid_id: 1,
            in_scope,
        };
        assert_eq!(check_buildings(&[1], &[row(1, true)]), BuildingsCheck::Ok);
        assert_eq!(
            check_buildings(&[1, 9], &[row(1, false)]),
            BuildingsCheck::Unknown
        );
        assert_eq!(
            check_buildings(&[1, 2], &[row(1, true), row(2, false)]),
            BuildingsCheck::OutOfScope
        );
    }

    #[test]
    fn slots_belong_to_the_rounds_buildings() {
        let units = [(10, 1), (20, 2)];
        assert!(slots_fit(&[10], &units, &[1]));
        assert!(
            !slots_fit(&[20], &units, &[1]),
            "a unit of another building"
        );
        assert!(!slots_fit(&[30], &units, &[1, 2]), "no such unit");
    }
}
