use crate::components::link::A;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <A href="/" attr:class="button">{t!(i18n, not_found.home)}</A>
        </section>
    }
}
