use crate::api::ApiError;
use crate::i18n::*;
use leptos::prelude::*;

/// A failed request, said plainly, with a way to try again when that can help.
#[component]
pub fn ErrorBanner(
    error: ApiError,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="banner banner-error" role="alert">
            <p>{move || api_error_text(i18n, &error)}</p>
            {retry.map(|retry| view! {
                <button type="button" class="button secondary" on:click=move |_| retry.run(())>
                    {t!(i18n, common.retry)}
                </button>
            })}
        </div>
    }
}
