use crate::i18n::*;
use leptos::prelude::*;

/// The photo attached to a report, loaded only when scrolled near.
#[component]
pub fn SubmissionPhoto(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <img class="submission-photo" loading="lazy" decoding="async"
            src=crate::base::at(&format!("/api/submissions/{id}/photo")) alt=move || t_string!(i18n, photos.alt, id).to_string() />
    }
}
