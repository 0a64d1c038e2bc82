use crate::api::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::board::SupersedeInput;

/// Staff record that a newer notice replaces this one, so a 文号 lookup says so.
#[component]
pub fn SupersedeNotice(notice_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let newer = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let save = Action::new_local(move |_: &()| {
        let input = SupersedeInput {
            notice_id: newer.get_untracked().trim().parse().unwrap_or(0),
        };
        async move {
            match crate::api::board::supersede(notice_id, &input).await {
                Ok(()) => {
                    error.set(None);
                    done.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <details class="supersede">
            <summary>{t!(i18n, receipts.supersede)}</summary>
            <div class="field">
                <label for="superseded-by">{t!(i18n, receipts.superseded_by)}</label>
                <input id="superseded-by" type="text" inputmode="numeric" prop:value=move || newer.get()
                    on:input=move |ev| newer.set(event_target_value(&ev)) />
            </div>
            {move || error.get().map(|error| view! { <ErrorBanner error /> })}
            <Show when=move || done.get()><p role="status">{t!(i18n, receipts.supersede_done)}</p></Show>
            <button type="button" class="button secondary" on:click=move |_| { save.dispatch(()); }>{t!(i18n, receipts.supersede_save)}</button>
        </details>
    }
}
