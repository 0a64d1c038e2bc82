//! Rules of medicine runs (代配药): which side each party confirms, when a hand-over, the
//! bag photo and the arrival check are possible, and the views of a run.

use crate::db::medicine::{StoredItem, StoredOut, StoredRun};
use crate::domain::supplies::Party;
use chrono::{DateTime, Utc};
use shouwang_api::medicine::{
    BagPhoto, CustodyItem, CustodyOut, CustodySide, CustodyState, CustodyStep, MedicineLine,
    MedicineRun,
};
use shouwang_api::supplies::RequestState;

/// The side of a hand-over each party confirms: the assigned volunteer theirs; the
/// household its own, and staff the household's on its behalf (at the door, for a
/// resident without the app).
pub fn side_of(party: Party) -> CustodySide {
    match party {
        Party::Volunteer => CustodySide::Volunteer,
        Party::Requester | Party::Staff => CustodySide::Resident,
    }
}

/// Whether a hand-over step can be confirmed while the request is in `state`. Items go to
/// the volunteer once the request is theirs and before it is delivered; a hand-over one
/// side already confirmed can be finished in any state, so that a run delivered or
/// cancelled in between does not leave a card half-given for good; items come back in any
/// state: a card is returned whatever became of the run.
pub fn step_open(step: CustodyStep, state: RequestState, item: CustodyState) -> bool {
    match step {
        CustodyStep::Take => {
            item == CustodyState::HandingOver
                || matches!(state, RequestState::Assigned | RequestState::OutForDelivery)
        }
        CustodyStep::Return => true,
    }
}

/// The bag is photographed at the pharmacy, while the run is under way.
pub fn bag_photo_open(state: RequestState) -> bool {
    matches!(state, RequestState::Assigned | RequestState::OutForDelivery)
}

pub fn item_view(item: &StoredItem, now: DateTime<Utc>) -> CustodyItem {
    let marks = item.marks();
    CustodyItem {
        id: item.id,
        kind: item.kind,
        state: marks.state(),
        marks,
        holder_name: item.holder_name.clone(),
        due_back_at: marks
            .state()
            .is_out()
            .then(|| marks.due_back_at())
            .flatten(),
        overdue: marks.is_overdue(now),
    }
}

/// A run as `party` reads it. Every party sees the same record (the lines, the items, the
/// photo); none of it is a phone or an identity number.
pub fn run_view(run: StoredRun, party: Party, now: DateTime<Utc>) -> MedicineRun {
    let bag_photo = match (run.bag_photo_at, run.bag_photo_width, run.bag_photo_height) {
        (Some(taken_at), Some(width), Some(height)) => Some(BagPhoto {
            taken_at,
            width: u32::try_from(width).unwrap_or(0),
            height: u32::try_from(height).unwrap_or(0),
        }),
        _ => None,
    };
    MedicineRun {
        request_id: run.request_id,
        state: run.state,
        hospital: run.hospital,
        lines: run
            .lines
            .into_iter()
            .map(|l| MedicineLine {
                id: l.id,
                drug: l.drug,
                dose: l.dose,
                quantity: l.quantity,
                arrival: l.arrival,
            })
            .collect(),
        custody: run.items.iter().map(|i| item_view(i, now)).collect(),
        bag_photo,
        arrival_checked_at: run.arrival_checked_at,
        arrival_note: run.arrival_note,
        may_confirm_as: Some(side_of(party)),
    }
}

pub fn out_view(out: StoredOut, now: DateTime<Utc>) -> CustodyOut {
    CustodyOut {
        request_id: out.request_id,
        address: out.address,
        item: item_view(&out.item, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_go_out_only_on_an_assigned_run_and_come_back_from_any() {
        for state in RequestState::ALL {
            assert!(step_open(
                CustodyStep::Take,
                state,
                CustodyState::HandingOver
            ));
            assert_eq!(
                step_open(CustodyStep::Take, state, CustodyState::WithResident),
                matches!(state, RequestState::Assigned | RequestState::OutForDelivery),
                "{state:?}"
            );
            assert!(step_open(CustodyStep::Return, state, CustodyState::Held));
        }
    }

    #[test]
    fn staff_confirm_the_resident_s_side() {
        assert_eq!(side_of(Party::Staff), CustodySide::Resident);
        assert_eq!(side_of(Party::Requester), CustodySide::Resident);
        assert_eq!(side_of(Party::Volunteer), CustodySide::Volunteer);
    }
}
