use crate::components::medicine_labels::{custody_label, item_label};
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::medicine::{CustodyItem, CustodySide, CustodyState, CustodyStep};
use shouwang_api::supplies::RequestState;

/// Who is looking at a medicine run, which decides how its buttons read: the resident
/// confirms in the first person, staff at the door on the resident's behalf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MedicineViewer {
    Resident,
    Volunteer,
    Staff,
}

/// What `side` can confirm of `item` now: the hand-over while a volunteer carries the
/// request and before it is delivered (one already begun, at any time), the return whenever the item is out (whatever
/// became of the request). The server decides; this only hides buttons that cannot work.
pub fn next_step(
    item: &CustodyItem,
    side: CustodySide,
    request: RequestState,
) -> Option<CustodyStep> {
    let marks = &item.marks;
    let (took, returned) = match side {
        CustodySide::Volunteer => (marks.volunteer_took_at, marks.volunteer_returned_at),
        CustodySide::Resident => (marks.resident_gave_at, marks.resident_got_back_at),
    };
    let under_way = matches!(
        request,
        RequestState::Assigned | RequestState::OutForDelivery
    );
    match item.state {
        CustodyState::WithResident if under_way && took.is_none() => Some(CustodyStep::Take),
        // A hand-over one side began is finished whatever became of the request.
        CustodyState::HandingOver if took.is_none() => Some(CustodyStep::Take),
        CustodyState::Held | CustodyState::Returning if returned.is_none() => {
            Some(CustodyStep::Return)
        }
        _ => None,
    }
}

/// One card or record book: where it is, who holds it and until when, and the button for
/// the caller's side of the next hand-over.
#[component]
pub fn CustodyItemRow(
    item: CustodyItem,
    viewer: MedicineViewer,
    /// The step the caller may confirm now, if any.
    step: Option<CustodyStep>,
    #[prop(into)] pending: Signal<bool>,
    on_confirm: Callback<(i64, CustodyStep)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, kind, state) = (item.id, item.kind, item.state);
    let row_label = move || {
        format!(
            "{} · {}",
            item_label(i18n, kind),
            custody_label(i18n, state)
        )
    };
    let waiting = waiting_for(&item);
    let holder = item.holder_name.clone().filter(|_| state.is_out());
    let since = item
        .marks
        .out_since()
        .filter(|_| state.is_out())
        .map(format::date_time);
    let due = item
        .due_back_at
        .filter(|_| state.is_out())
        .map(format::date_time);
    let overdue = item.overdue;
    let button_label = move |step: CustodyStep| match (viewer, step) {
        (MedicineViewer::Volunteer, CustodyStep::Take) => {
            let item = item_label(i18n, kind);
            t_string!(i18n, medicine.volunteer_took, item).to_string()
        }
        (MedicineViewer::Volunteer, CustodyStep::Return) => {
            let item = item_label(i18n, kind);
            t_string!(i18n, medicine.volunteer_returned, item).to_string()
        }
        (MedicineViewer::Resident, CustodyStep::Take) => {
            t_string!(i18n, medicine.resident_gave).to_string()
        }
        (MedicineViewer::Resident, CustodyStep::Return) => {
            t_string!(i18n, medicine.resident_got_back).to_string()
        }
        (MedicineViewer::Staff, CustodyStep::Take) => {
            t_string!(i18n, medicine.staff_resident_gave).to_string()
        }
        (MedicineViewer::Staff, CustodyStep::Return) => {
            t_string!(i18n, medicine.staff_resident_got_back).to_string()
        }
    };
    view! {
        <li class="custody-item" class:overdue=overdue aria-label=row_label>
            <p class="custody-title">
                {overdue.then(|| view! { <span class="tag overdue">{t!(i18n, medicine.overdue)}</span>" " })}
                <strong>{move || item_label(i18n, kind)}</strong>
                " · "
                <span class=format!("custody-state custody-{}", state_class(state))>{move || custody_label(i18n, state)}</span>
            </p>
            {waiting.map(|w| view! { <p class="meta">{move || waiting_text(i18n, w)}</p> })}
            {holder.map(|name| view! { <p class="meta">{move || t_string!(i18n, medicine.holder, name = name.clone()).to_string()}</p> })}
            {since.map(|at| view! { <p class="meta">{move || t_string!(i18n, medicine.out_since, at = at.clone()).to_string()}</p> })}
            {due.map(|at| view! { <p class="meta custody-due">{move || t_string!(i18n, medicine.due_back, at = at.clone()).to_string()}</p> })}
            {step.map(|step| view! {
                <button type="button" class="button custody-confirm" disabled=move || pending.get()
                    on:click=move |_| on_confirm.run((id, step))>
                    {move || button_label(step)}
                </button>
            })}
            // Either side may confirm first: the resident is told not to before the card
            // is back in hand.
            {(viewer == MedicineViewer::Resident && step == Some(CustodyStep::Return)).then(|| view! {
                <p class="meta">{t!(i18n, medicine.resident_return_hint)}</p>
            })}
        </li>
    }
}

/// Half of a hand-over: who confirmed, and so whose confirmation is awaited.
#[derive(Debug, Clone, Copy)]
enum Waiting {
    ResidentToConfirmGiving,
    VolunteerToConfirmTaking,
    ResidentToConfirmGettingBack,
    VolunteerToConfirmReturning,
}

fn waiting_for(item: &CustodyItem) -> Option<Waiting> {
    let m = &item.marks;
    match item.state {
        CustodyState::HandingOver if m.volunteer_took_at.is_some() => {
            Some(Waiting::ResidentToConfirmGiving)
        }
        CustodyState::HandingOver => Some(Waiting::VolunteerToConfirmTaking),
        CustodyState::Returning if m.volunteer_returned_at.is_some() => {
            Some(Waiting::ResidentToConfirmGettingBack)
        }
        CustodyState::Returning => Some(Waiting::VolunteerToConfirmReturning),
        _ => None,
    }
}

fn waiting_text(i18n: I18nContext<Locale>, waiting: Waiting) -> &'static str {
    match waiting {
        Waiting::ResidentToConfirmGiving => t_string!(i18n, medicine.waiting_resident_gave),
        Waiting::VolunteerToConfirmTaking => t_string!(i18n, medicine.waiting_volunteer_took),
        Waiting::ResidentToConfirmGettingBack => {
            t_string!(i18n, medicine.waiting_resident_got_back)
        }
        Waiting::VolunteerToConfirmReturning => {
            t_string!(i18n, medicine.waiting_volunteer_returned)
        }
    }
}

fn state_class(state: CustodyState) -> &'static str {
    match state {
        CustodyState::WithResident => "with-resident",
        CustodyState::HandingOver => "handing-over",
        CustodyState::Held => "held",
        CustodyState::Returning => "returning",
        CustodyState::Returned => "returned",
    }
}
