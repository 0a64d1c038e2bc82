use crate::api;
use crate::components::custody_item_row::MedicineViewer;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::components::medicine_request_form::MedicineRequestForm;
use crate::components::medicine_run_card::MedicineRunCard;
use crate::components::supply_labels::{kind_label, state_label};
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::supplies::{
    ActionInput, ITEMS_MAX, NOTE_MAX, RequestAction, RequestInput, RequestKind, SupplyRequest,
    Urgency,
};

const FIELDS: &[&str] = &["kind", "urgency", "items", "notes", "contact_phone"];

/// A resident's request form (the kinds their zone opens), the 代配药 form where regular
/// prescriptions are open, and their requests, with the pickup code to give at the door,
/// the receipt to confirm and, for a medicine run, its cards and the check of what arrived.
#[component]
pub fn MySupplies(kinds: Vec<RequestKind>) -> impl IntoView {
    let i18n = use_i18n();
    let first = kinds.first().copied().unwrap_or(RequestKind::Medicine);
    let medicine_runs_open = kinds.contains(&RequestKind::Prescription);
    let kind = RwSignal::new(first);
    let urgency = RwSignal::new(Urgency::Normal);
    let items = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let sent = RwSignal::new(false);
    let requests = LocalResource::new(api::supplies::mine);
    let send = Action::new_local(move |input: &RequestInput| {
        let input = input.clone();
        async move {
            match api::supplies::create(&input).await {
                Ok(_) => {
                    sent.set(true);
                    items.set(String::new());
                    notes.set(String::new());
                    requests.refetch();
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let input = RequestInput {
            kind: kind.get_untracked(),
            urgency: urgency.get_untracked(),
            items: items.get_untracked(),
            notes: Some(notes.get_untracked()),
            contact_phone: None,
        };
        if !refuse_all(i18n, errors, input.errors()) {
            send.dispatch(input);
        }
    };
    let act = Action::new_local(move |(id, input): &(i64, ActionInput)| {
        let (id, input) = (*id, input.clone());
        async move {
            if let Err(error) = api::supplies::act(id, &input).await {
                show_errors(errors, form_error(i18n, &error));
            }
            requests.refetch();
        }
    });
    view! {
        <section class="panel supplies-panel">
            <h2>{t!(i18n, supplies.request_title)}</h2>
            <Show when=move || sent.get()>
                <p class="banner banner-ok" role="status">{t!(i18n, supplies.submitted_ok)}</p>
            </Show>
            <form class="editor" novalidate on:submit=on_submit>
                <Field id="supply-kind" label=move || t_string!(i18n, supplies.kind_label) error=error_for(errors, "kind")>
                    <select id="supply-kind" on:change=move |ev| kind.set(RequestKind::parse(&event_target_value(&ev)).unwrap_or(first))>
                        {kinds.iter().copied().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{move || kind_label(i18n, k)}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="supply-urgency" label=move || t_string!(i18n, supplies.urgency_label) error=error_for(errors, "urgency")>
                    <select id="supply-urgency" on:change=move |ev| urgency.set(Urgency::parse(&event_target_value(&ev)).unwrap_or_default())>
                        <option value="normal">{t!(i18n, supplies.urgency_normal)}</option>
                        <option value="urgent">{t!(i18n, supplies.urgency_urgent)}</option>
                    </select>
                </Field>
                <Field id="supply-items" label=move || t_string!(i18n, supplies.items_label)
                    hint=move || t_string!(i18n, supplies.items_hint) error=error_for(errors, "items") max=ITEMS_MAX>
                    <textarea id="supply-items" rows="3" maxlength=ITEMS_MAX prop:value=move || items.get()
                        on:input=move |ev| items.set(event_target_value(&ev))></textarea>
                </Field>
                <Field id="supply-notes" label=move || t_string!(i18n, supplies.notes_label) error=error_for(errors, "notes") max=NOTE_MAX>
                    <input id="supply-notes" maxlength=NOTE_MAX bind:value=notes />
                </Field>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <div class="actions">
                    <button type="submit" class="button" disabled=move || send.pending().get()>{t!(i18n, supplies.submit)}</button>
                </div>
            </form>
        </section>
        {medicine_runs_open.then(|| view! { <MedicineRequestForm on_sent=Callback::new(move |()| requests.refetch()) /> })}
        <section class="panel supplies-panel">
            <h2>{t!(i18n, supplies.my_requests)}</h2>
            {move || requests.get().and_then(Result::ok).map(|page| {
                if page.items.is_empty() {
                    view! { <p class="empty">{t!(i18n, supplies.none_yet)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="rows">
                            {page.items.into_iter().map(|r| view! { <MyRequest request=r act on_change=Callback::new(move |()| requests.refetch()) /> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </section>
    }
}

#[component]
fn MyRequest(
    request: SupplyRequest,
    act: Action<(i64, ActionInput), ()>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = request.id;
    let title = format!(
        "{} · {}",
        kind_label(i18n, request.kind),
        state_label(i18n, request.state)
    );
    let code = request.pickup_code.clone();
    let medicine_run = request.medicine_run;
    let button = move |action: RequestAction, label: &'static str, class: &'static str| {
        request.state.after(action).map(|_| {
            // A withdrawal carries no reason: the history records that the resident
            // cancelled, as a code each reader sees in their language.
            let input = ActionInput::new(action);
            view! {
                <button type="button" class=class disabled=move || act.pending().get()
                    on:click=move |_| { act.dispatch((id, input.clone())); }>
                    {label}
                </button>
            }
        })
    };
    view! {
        <li class="row" aria-label=title.clone()>
            <div class="row-main">
                <p class="row-title">{title.clone()}</p>
                // A medicine run's card below lists its medicines one by one.
                {(!medicine_run).then(|| view! { <p>{request.items.clone()}</p> })}
                <p class="meta">{format::date_time(request.created_at)}</p>
                {code.map(|code| view! {
                    <p class="pickup-code">{t_string!(i18n, supplies.pickup_code, code).to_string()}</p>
                    <p class="meta">{t!(i18n, supplies.pickup_hint)}</p>
                })}
                {medicine_run.then(|| view! { <MedicineRunCard request_id=id viewer=MedicineViewer::Resident on_change /> })}
            </div>
            <div class="row-actions">
                // A medicine run is confirmed by checking what arrived, line by line.
                {(!medicine_run).then(|| button(RequestAction::Confirm, t_string!(i18n, supplies.confirm), "button small"))}
                {button(RequestAction::Cancel, t_string!(i18n, supplies.cancel), "button small secondary")}
            </div>
        </li>
    }
}
