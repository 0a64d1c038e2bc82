use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::update_card::UpdateCard;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// One verified update, where feed and search links lead.
#[component]
pub fn UpdatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let update = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
        async move { api::submissions::update(id.unwrap_or(0)).await }
    });
    view! {
        <p class="back"><A href="/">{t!(i18n, notice.back_to_board)}</A></p>
        {move || match update.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error /> }),
            Some(Ok(update)) => EitherOf3::C(view! { <UpdateCard update /> }),
        }}
    }
}
