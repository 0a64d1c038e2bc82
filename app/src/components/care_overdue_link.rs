use crate::api;
use crate::components::link::A;
use crate::i18n::*;
use leptos::prelude::*;

/// How many 包保 contacts are overdue in the worker's grids, as a link to the 包保 page;
/// nothing while none are.
#[component]
pub fn CareOverdueLink() -> impl IntoView {
    let i18n = use_i18n();
    let overdue = LocalResource::new(|| api::care::overdue(1));
    move || {
        overdue.get().and_then(Result::ok).filter(|p| p.total > 0).map(|p| {
            let n = p.total;
            view! {
                <p class="banner banner-warning">
                    <A href="/staff/care">{move || t_string!(i18n, care.overdue_link, n).to_string()}</A>
                </p>
            }
        })
    }
}
