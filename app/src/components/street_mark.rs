use crate::i18n::*;
use leptos::prelude::*;

/// The mark of a notice the street published to this community's board (街道发布).
#[component]
pub fn StreetMark() -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class="tag tag-street">{t!(i18n, street_notices.mark)}</span> }
}
