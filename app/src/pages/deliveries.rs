use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::phone_link::PhoneLink;
use crate::components::require_role::RequireRole;
use crate::components::supply_labels::{kind_label, state_label};
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::auth::Role;
use shouwang_api::supplies::{ActionInput, Delivery, PICKUP_CODE_LEN, RequestAction};

/// A volunteer's deliveries: the door, the items, the phone on request; set out, then hand
/// over with the resident's pickup code.
#[component]
pub fn DeliveriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let deliveries = LocalResource::new(api::supplies::deliveries);
    let feedback = RwSignal::new(None::<Result<String, String>>);
    let act = Action::new_local(move |(id, input): &(i64, ActionInput)| {
        let (id, input) = (*id, input.clone());
        async move {
            feedback.set(Some(match api::supplies::act(id, &input).await {
                Ok(_) => Ok(t_string!(i18n, supplies.acted_ok).to_owned()),
                Err(error) => Err(api_error_text(i18n, &error)),
            }));
            deliveries.refetch();
        }
    });
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
fn DeliveryRow(delivery: Delivery, act: Action<(i64, ActionInput), ()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = delivery.id;
    let state = delivery.state;
    let title = format!(
        "{} · {} · {}",
        delivery.address,
        kind_label(i18n, delivery.kind),
        state_label(i18n, state)
    );
    let phone = RwSignal::new(delivery.contact_phone.clone());
    let code = RwSignal::new(String::new());
    let reveal = move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(revealed) = api::supplies::reveal(id).await {
                phone.set(revealed.contact_phone);
            }
        });
    };
    let can = move |action: RequestAction| state.after(action).is_some();
    let code_id = format!("code-{id}");
    view! {
        <li class="row" aria-label=title.clone()>
            <div class="row-main">
                <p class="row-title">{title.clone()}</p>
                <p>{delivery.items.clone()}</p>
                {delivery.notes.clone().map(|n| view! { <p class="meta">{n}</p> })}
                <p class="meta">{move || phone.get().map(|phone| view! { <PhoneLink phone /> })}</p>
            </div>
            <div class="row-actions">
                {(can(RequestAction::Dispatch) || can(RequestAction::Deliver)).then(|| view! {
                    <button type="button" class="button small secondary" on:click=reveal>{t!(i18n, supplies.show_phone)}</button>
                })}
                {can(RequestAction::Dispatch).then(|| view! {
                    <button type="button" class="button small"
                        on:click=move |_| { act.dispatch((id, ActionInput::new(RequestAction::Dispatch))); }>
                        {t!(i18n, supplies.dispatch)}
                    </button>
                })}
                {can(RequestAction::Deliver).then(|| view! {
                    <label for=code_id.clone()>{t!(i18n, supplies.code_label)}</label>
                    <input id=code_id.clone() inputmode="numeric" maxlength=PICKUP_CODE_LEN bind:value=code />
                    <button type="button" class="button small" on:click=move |_| {
                        let mut input = ActionInput::new(RequestAction::Deliver);
                        input.pickup_code = Some(code.get_untracked());
                        act.dispatch((id, input));
                    }>{t!(i18n, supplies.deliver)}</button>
                })}
            </div>
        </li>
    }
}
