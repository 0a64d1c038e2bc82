use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::submissions::SubmissionSettings;

/// The admin's switch: may visitors report without signing in (rate limited)?
#[component]
pub fn AnonymousSetting() -> impl IntoView {
    let i18n = use_i18n();
    let settings = LocalResource::new(api::submissions::settings);
    let error = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |allowed: &bool| {
        let input = SubmissionSettings {
            anonymous_allowed: *allowed,
        };
        async move {
            match api::submissions::set_settings(input).await {
                Ok(_) => settings.refetch(),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <label class="check">
            <input type="checkbox"
                prop:checked=move || settings.get().and_then(Result::ok).is_some_and(|s| s.anonymous_allowed)
                on:change=move |ev| { save.dispatch(event_target_checked(&ev)); } />
            <span>{t!(i18n, receipts.anonymous_allowed)}</span>
        </label>
        {move || error.get().map(|error| view! { <ErrorBanner error /> })}
    }
}
