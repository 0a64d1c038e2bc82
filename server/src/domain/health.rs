//! The rules of health monitoring: who checks in today, what puts a person on the staff
//! worklist, and what a worklist line shows. Plain functions over plain types.

use crate::db::health::{CareListRow, CareRow, PersonRow, WorklistRow};
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::health::{
    CareAssignment, CareHousehold, CheckIn, DueMember, FEVER_TENTHS, Flag, OBSERVATION_ENDING_DAYS,
    Symptom, Temperature, WorklistEntry, check_reason,
};
use shouwang_api::privacy::mask_phone;
use shouwang_api::residents::SpecialGroup;

/// The people of a household who check in today, each with today's check-in if done.
pub fn due_today(people: &[PersonRow], check_ins: &[CheckIn], today: NaiveDate) -> Vec<DueMember> {
    people
        .iter()
        .filter_map(|p| {
            let reason = check_reason(p.observation_start, p.observation_end, p.zone(), today)?;
            Some(DueMember {
                member_id: p.member_id,
                name: p.name.clone(),
                relation: p.relation(),
                reason,
                observation_end: p.observation_end,
                today: check_ins
                    .iter()
                    .find(|c| c.member_id == p.member_id)
                    .cloned(),
            })
        })
        .collect()
}

/// Why a person who checks in today needs a look from staff. `temperature` in tenths.
pub fn flags(
    checked_in: bool,
    temperature: Option<i32>,
    symptoms: &[Symptom],
    observation_end: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<Flag> {
    let ending = observation_end.is_some_and(|end| {
        today <= end && end <= today + chrono::Duration::days(OBSERVATION_ENDING_DAYS)
    });
    Flag::ALL
        .into_iter()
        .filter(|flag| match flag {
            Flag::Missing => !checked_in,
            Flag::Fever => temperature.is_some_and(|t| t >= FEVER_TENTHS),
            Flag::Symptoms => !symptoms.is_empty(),
            Flag::ObservationEnding => ending,
        })
        .collect()
}

/// A worklist line as staff see it: the phone masked (GB/T 35273).
pub fn worklist_entry(row: WorklistRow, today: NaiveDate) -> WorklistEntry {
    let symptoms = Symptom::split(row.symptoms.as_deref().unwrap_or_default());
    let p = &row.person;
    let reason = check_reason(p.observation_start, p.observation_end, p.zone(), today)
        .unwrap_or(shouwang_api::health::CheckReason::Zone);
    WorklistEntry {
        member_id: p.member_id,
        household_id: p.household_id,
        name: p.name.clone(),
        phone: row
            .phone
            .as_ref()
            .map(shouwang_api::personal::Phone::masked),
        address: row.address(),
        reason,
        flags: flags(
            row.checked_in,
            row.temperature,
            &symptoms,
            p.observation_end,
            today,
        ),
        temperature: row
            .temperature
            .map(|t| Temperature::from_tenths(t).celsius()),
        symptoms,
        observation_end: p.observation_end,
        acknowledged: row.acknowledged,
    }
}

/// A 包保 line as staff see it: the contact's phone masked, the missed contacts counted.
pub fn care_view(row: CareRow, now: DateTime<Utc>) -> CareAssignment {
    CareAssignment {
        household_id: row.household_id,
        address: row.address(),
        head_name: row.head_name.clone(),
        contact_user_id: row.contact_user_id,
        contact_name: row.contact_name.clone(),
        contact_phone: row.contact_phone.as_deref().map(mask_phone),
        interval_hours: row.interval_hours,
        last_contact_at: row.last_contact_at,
        due_at: row.due_at,
        missed: missed_contacts(row.due_at, row.interval_hours, now),
    }
}

/// When the next 包保 contact is due, counted from the last one (or from the assignment).
pub fn next_contact_due(from: DateTime<Utc>, interval_hours: u32) -> DateTime<Utc> {
    from + chrono::Duration::hours(i64::from(interval_hours))
}

/// How many 包保 contacts are missed at `now`: none before the due time, one at it, and
/// one more for each further interval that passes without a contact.
pub fn missed_contacts(due_at: DateTime<Utc>, interval_hours: u32, now: DateTime<Utc>) -> u32 {
    if now < due_at {
        return 0;
    }
    let late = (now - due_at).num_hours() / i64::from(interval_hours.max(1));
    u32::try_from(late).map_or(u32::MAX, |n| n.saturating_add(1))
}

/// The special groups stored as `a,b,c`, in the order the notices list them; unknown
/// names are left out.
pub fn special_groups(stored: &str) -> Vec<SpecialGroup> {
    SpecialGroup::ALL
        .iter()
        .copied()
        .filter(|g| stored.split(',').any(|s| s == g.as_str()))
        .collect()
}

/// A line of the 包保 list: the household, its groups, its assignment as [`care_view`].
pub fn care_household(row: CareListRow, now: DateTime<Utc>) -> CareHousehold {
    CareHousehold {
        household_id: row.household_id,
        address: row.address(),
        head_name: row.head_name.clone(),
        groups: special_groups(row.groups.as_deref().unwrap_or_default()),
        care: row.care().map(|care| care_view(care, now)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_groups_read_in_the_notices_order_and_skip_unknown_names() {
        assert_eq!(
            special_groups("pregnant,elderly_alone,nonsense"),
            vec![SpecialGroup::ElderlyAlone, SpecialGroup::Pregnant]
        );
        assert!(special_groups("").is_empty());
    }
    use shouwang_api::health::CheckReason;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn person(id: i64, observation: Option<(&str, &str)>, zone: &str) -> PersonRow {
        PersonRow {
            member_id: id,
            household_id: 1,
            grid_id: 1,
            name: format!("成员{id}"),
            relation: shouwang_api::residents::Relation::SelfPerson,
            observation_start: observation.map(|(s, _)| day(s)),
            observation_end: observation.map(|(_, e)| day(e)),
            zone: shouwang_api::zones::Zone::parse(zone).expect("a zone"),
        }
    }

    #[test]
    fn in_an_ordinary_building_only_the_observed_check_in() {
        let today = day("2026-11-28");
        let people = [
            person(1, Some(("2026-11-20", "2026-12-03")), "precaution"),
            person(2, None, "precaution"),
            person(3, Some(("2026-11-01", "2026-11-14")), "precaution"),
        ];
        let due = due_today(&people, &[], today);
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].member_id, 1);
        assert_eq!(due[0].reason, CheckReason::Observation);
        assert!(due[0].today.is_none());
    }

    #[test]
    fn in_a_sealed_building_everybody_checks_in() {
        let people = [person(1, None, "sealed"), person(2, None, "sealed")];
        let due = due_today(&people, &[], day("2026-11-28"));
        assert_eq!(due.len(), 2);
        assert!(due.iter().all(|d| d.reason == CheckReason::Zone));
    }

    #[test]
    fn flags_name_missing_fever_symptoms_and_an_ending_observation() {
        let today = day("2026-11-28");
        assert_eq!(flags(false, None, &[], None, today), vec![Flag::Missing]);
        assert_eq!(flags(true, Some(372), &[], None, today), vec![]);
        assert_eq!(flags(true, Some(373), &[], None, today), vec![Flag::Fever]);
        assert_eq!(
            flags(true, Some(365), &[Symptom::Cough], None, today),
            vec![Flag::Symptoms]
        );
        assert_eq!(
            flags(true, None, &[], Some(day("2026-11-30")), today),
            vec![Flag::ObservationEnding]
        );
        assert_eq!(
            flags(true, None, &[], Some(day("2026-12-01")), today),
            vec![],
            "three days out is not yet soon"
        );
    }

    #[test]
    fn missed_contacts_grow_with_every_interval_past_due() {
        let due: DateTime<Utc> = "2026-11-28T08:00:00Z".parse().unwrap();
        let at = |h: i64, m: i64| due + chrono::Duration::hours(h) + chrono::Duration::minutes(m);
        assert_eq!(missed_contacts(due, 4, at(0, -1)), 0, "not yet due");
        assert_eq!(missed_contacts(due, 4, at(0, 0)), 1);
        assert_eq!(missed_contacts(due, 4, at(3, 59)), 1);
        assert_eq!(missed_contacts(due, 4, at(4, 0)), 2);
        assert_eq!(missed_contacts(due, 4, at(9, 0)), 3);
        assert_eq!(next_contact_due(due, 12), at(12, 0));
    }
}
