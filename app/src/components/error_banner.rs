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
    if error == ApiError::Queued {
        // Not a failure: the write is safe on the phone and will be sent.
        return view! {
            <div class="banner banner-warning" role="status">
                <p>{move || api_error_text(i18n, &ApiError::Queued)}</p>
            </div>
        }
        .into_any();
    }
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
    .into_any()
}
