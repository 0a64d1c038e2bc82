use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="footer">
            <p>{t!(i18n, motto)}</p>
        </footer>
    }
}
