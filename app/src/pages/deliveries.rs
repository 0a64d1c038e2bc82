use crate::api;
use crate::components::custody_item_row::MedicineViewer;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{Field, FormErrors, error_for, general_error, show_errors};
use crate::components::loading::Loading;
use crate::components::medicine_run_card::MedicineRunCard;
use crate::components::phone_link::PhoneLink;
use crate::components::require_role::RequireRole;
use crate::components::supply_labels::{kind_label, state_label};
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::auth::Role;
use shouwang_api::supplies::{ActionInput, Delivery, PICKUP_CODE_LEN, RequestAction, Urgency};

/// A volunteer's deliveries: the door, the items, the phone on request; set out, then hand
/// over with the resident's pickup code.
#[component]
pub fn DeliveriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let deliveries = LocalResource::new(api::supplies::deliveries);
    let feedback = RwSignal::new(None::<Result<String, String>>);
    // A refused action keeps the list as it is, so that what the volunteer typed (a
    // pickup code) stays in its box next to the error; only a done action reloads.
    let act = Action::new_local(
        move |(id, input, errors): &(i64, ActionInput, RwSignal<FormErrors>)| {
            let (id, input, errors) = (*id, input.clone(), *errors);
            async move {
                match api::supplies::act(id, &input).await {
                    Ok(_) => {
                        feedback.set(Some(Ok(t_string!(i18n, supplies.acted_ok).to_owned())));
                        deliveries.refetch();
                    }
                    Err(error) => {
                        feedback.set(None);
                        show_errors(errors, form_error(i18n, &error));
                    }
                }
            }
        },
    );
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, supplies.deliveries_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Volunteer>
            <h1>{t!(i18n, supplies.deliveries_title)}</h1>
            {move || feedback.get().map(|f| match f {
                Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
            })}
            {move || match deliveries.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || deliveries.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, supplies.no_deliveries)}</p> })}
                    <ul class="rows">
                        {page.items.into_iter().map(|delivery| view! { <DeliveryRow delivery act /> }).collect_view()}
                    </ul>
                }),
            }}
        </RequireRole>
    }
}

#[component]
fn DeliveryRow(
    delivery: Delivery,
    act: Action<(i64, ActionInput, RwSignal<FormErrors>), ()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = delivery.id;
    let state = delivery.state;
    let (kind, address) = (delivery.kind, delivery.address.clone());
    // A closure, so the row follows a change of language.
    let title = move || {
        format!(
            "{} · {} · {}",
            address,
            kind_label(i18n, kind),
            state_label(i18n, state)
        )
    };
    let urgent = delivery.urgency == Urgency::Urgent;
    let phone = RwSignal::new(delivery.contact_phone.clone());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let reveal = move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(revealed) = api::supplies::reveal(id).await {
                phone.set(revealed.contact_phone);
            }
        });
    };
    let can = move |action: RequestAction| state.after(action).is_some();
    let code_id = format!("code-{id}");
    let row_label = title.clone();
    view! {
        <li class="row supply-row" class:urgent=urgent aria-label=row_label>
            <div class="row-main">
                <p class="row-title">
                    {urgent.then(|| view! { <span class="tag urgent">{t!(i18n, trial_resident.urgent)}</span>" " })}
                    {title}
                </p>
                // A medicine run's card below lists its medicines one by one.
                {(!delivery.medicine_run).then(|| view! { <p>{delivery.items.clone()}</p> })}
                {delivery.notes.clone().map(|n| view! { <p class="supply-notes"><strong>{t!(i18n, trial_resident.resident_note)}</strong>" " {n}</p> })}
                <p class="meta">{move || phone.get().map(|phone| view! { <PhoneLink phone /> })}</p>
                {delivery.medicine_run.then(|| view! { <MedicineRunCard request_id=id viewer=MedicineViewer::Volunteer /> })}
            </div>
            <div class="row-actions">
                {(can(RequestAction::Dispatch) || can(RequestAction::Deliver)).then(|| view! {
                    <button type="button" class="button small secondary" on:click=reveal>{t!(i18n, supplies.show_phone)}</button>
                })}
                {can(RequestAction::Dispatch).then(|| view! {
                    <button type="button" class="button small"
                        on:click=move |_| { act.dispatch((id, ActionInput::new(RequestAction::Dispatch), errors)); }>
                        {t!(i18n, supplies.dispatch)}
                    </button>
                })}
                {can(RequestAction::Deliver).then(|| view! {
                    <Field id=code_id.clone() label=move || t_string!(i18n, supplies.code_label) error=error_for(errors, "pickup_code")>
                        <input id=code_id.clone() inputmode="numeric" autocomplete="off" maxlength=PICKUP_CODE_LEN bind:value=code />
                    </Field>
                    <button type="button" class="button small" on:click=move |_| {
                        let mut input = ActionInput::new(RequestAction::Deliver);
                        input.pickup_code = Some(code.get_untracked());
                        // The shared validation first: a code of the wrong shape never
                        // counts as a wrong try against the lock.
                        match input.validate() {
                            Ok(_) => { act.dispatch((id, input, errors)); }
                            Err(e) => show_errors(errors, form_error(i18n, &e.into())),
                        }
                    }>{t!(i18n, supplies.deliver)}</button>
                    <p class="form-error" role="alert">{move || general_error(errors, &["pickup_code"]).get()}</p>
                })}
            </div>
        </li>
    }
}
