use crate::api;
use crate::components::arrival_check::{ArrivalCheck, line_text};
use crate::components::bag_photo_upload::BagPhotoUpload;
use crate::components::custody_item_row::{CustodyItemRow, MedicineViewer, next_step};
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{Field, FormErrors, error_for, general_error, show_errors};
use crate::components::loading::Loading;
use crate::components::medicine_bag_photo::MedicineBagPhoto;
use crate::components::medicine_labels::arrival_label;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use shouwang_api::medicine::{Arrival, CustodyInput, CustodySide, CustodyStep, MedicineRun};
use shouwang_api::supplies::{PICKUP_CODE_LEN, RequestState};

/// A medicine run (代配药) as the resident, its volunteer or the grid's staff see it: the
/// medicines, the hospital, each card with where it is and the caller's next hand-over,
/// the bag photo, and for the resident, once delivered, the check of what arrived.
#[component]
pub fn MedicineRunCard(
    request_id: i64,
    viewer: MedicineViewer,
    /// Told when the request itself moved on (the arrival check confirmed it), so the
    /// list around can reload; a hand-over or a photo changes this card only.
    #[prop(optional)]
    on_change: Option<Callback<()>>,
) -> impl IntoView {
    let run = LocalResource::new(move || api::medicine::one(request_id));
    let changed = Callback::new(move |()| run.refetch());
    let confirmed = Callback::new(move |()| {
        run.refetch();
        if let Some(on_change) = on_change {
            on_change.run(());
        }
    });
    view! {
        <section class="medicine-run">
            {move || match run.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || run.refetch() /> }),
                Some(Ok(run)) => EitherOf3::C(view! { <MedicineRunBody run viewer changed confirmed /> }),
            }}
        </section>
    }
}

#[component]
fn MedicineRunBody(
    run: MedicineRun,
    viewer: MedicineViewer,
    changed: Callback<()>,
    confirmed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let request_id = run.request_id;
    let side = run.may_confirm_as;
    let errors = RwSignal::new(FormErrors::default());
    // The resident's pickup code, typed by the volunteer at the door for a resident
    // without the app: it confirms the resident's side of the hand-over too.
    let code = RwSignal::new(String::new());
    let confirm = Action::new_local(move |input: &CustodyInput| {
        let input = input.clone();
        async move {
            match api::medicine::confirm_custody(request_id, &input).await {
                Ok(_) => {
                    // A code confirms one hand-over only; the next one is given afresh.
                    code.set(String::new());
                    changed.run(());
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let on_confirm = Callback::new(move |(item_id, step): (i64, CustodyStep)| {
        errors.set(FormErrors::default());
        let typed = code.get_untracked();
        let input = CustodyInput {
            item_id,
            step,
            pickup_code: (viewer == MedicineViewer::Volunteer && !typed.trim().is_empty())
                .then_some(typed),
        };
        // The shared validation first: a code of the wrong shape never counts as a wrong
        // try against the lock.
        match input.validate() {
            Ok(_) => {
                confirm.dispatch(input);
            }
            Err(refusal) => show_errors(errors, form_error(i18n, &refusal.into())),
        }
    });
    let steps: Vec<_> = run
        .custody
        .iter()
        .map(|item| side.and_then(|side| next_step(item, side, run.state)))
        .collect();
    let volunteer_can_confirm =
        viewer == MedicineViewer::Volunteer && steps.iter().any(Option::is_some);
    let checks_arrival = viewer == MedicineViewer::Resident
        && side == Some(CustodySide::Resident)
        && run.state == RequestState::Delivered
        && run.arrival_checked_at.is_none();
    let takes_photo = viewer == MedicineViewer::Volunteer
        && side == Some(CustodySide::Volunteer)
        && matches!(
            run.state,
            RequestState::Assigned | RequestState::OutForDelivery
        );
    let hospital = run.hospital.clone();
    let code_id = format!("custody-code-{request_id}");
    let checked_at = run.arrival_checked_at.map(format::date_time);
    let arrival_note = run.arrival_note.clone();
    let short = run
        .lines
        .iter()
        .any(|l| l.arrival.is_some_and(|a| a != Arrival::Complete));
    view! {
        <h4>{t!(i18n, medicine.run_title)}</h4>
        <p>{move || t_string!(i18n, medicine.hospital, hospital = hospital.clone()).to_string()}</p>
        <ul class="medicine-lines" aria-label=move || t_string!(i18n, medicine.lines_title)>
            {run.lines.iter().map(|line| {
                let text = line_text(line);
                let arrival = line.arrival;
                view! {
                    <li class="medicine-line-item" class:short=arrival.is_some_and(|a| a != Arrival::Complete)>
                        {text}
                        {arrival.map(|a| view! { " " <span class=format!("tag arrival-{}", arrival_class(a))>{move || arrival_label(i18n, a)}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {checked_at.map(|at| view! {
            <p class="meta" class:arrival-short=short>{move || t_string!(i18n, medicine.arrival_checked, at = at.clone()).to_string()}</p>
        })}
        {arrival_note.map(|note| view! {
            <p class="supply-notes"><strong>{t!(i18n, medicine.arrival_note_shown)}</strong>" " {note}</p>
        })}
        {(!run.custody.is_empty()).then(|| view! {
            <h4>{t!(i18n, medicine.custody_title)}</h4>
            <ul class="custody-items">
                {run.custody.iter().cloned().zip(steps.iter().copied()).map(|(item, step)| view! {
                    <CustodyItemRow item viewer step pending=confirm.pending() on_confirm />
                }).collect_view()}
            </ul>
        })}
        {volunteer_can_confirm.then(|| view! {
            <Field id=code_id.clone() label=move || t_string!(i18n, medicine.custody_code_label)
                hint=move || t_string!(i18n, medicine.custody_code_hint) error=error_for(errors, "pickup_code")>
                <input id=code_id inputmode="numeric" autocomplete="off" maxlength=PICKUP_CODE_LEN bind:value=code />
            </Field>
        })}
        <p class="form-error" role="alert">{move || general_error(errors, &["pickup_code"]).get()}</p>
        {run.bag_photo.map(|photo| view! { <MedicineBagPhoto request_id photo /> })}
        {takes_photo.then(|| view! { <BagPhotoUpload request_id has_photo=run.bag_photo.is_some() on_uploaded=changed /> })}
        {checks_arrival.then(|| view! { <ArrivalCheck request_id lines=run.lines.clone() on_checked=confirmed /> })}
    }
}

fn arrival_class(arrival: Arrival) -> &'static str {
    match arrival {
        Arrival::Complete => "complete",
        Arrival::Partial => "partial",
        Arrival::Missing => "missing",
    }
}
