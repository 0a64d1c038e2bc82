use crate::components::submission_photo::SubmissionPhoto;
use crate::components::submission_status::submission_category_label;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::submissions::BoardUpdate;

/// A verified update on the board, with who verified it, when, and on whose word.
#[component]
pub fn UpdateCard(update: BoardUpdate) -> impl IntoView {
    let i18n = use_i18n();
    let category = update.category;
    let p = update.provenance.clone();
    let provenance = move || {
        let role = role_label(i18n, p.verified_by_role);
        t_string!(
            i18n,
            infoboard.provenance,
            role = role,
            time = format::date_time(p.verified_at),
            who = p.source_who.clone(),
            how = p.source_how.clone()
        )
        .to_string()
    };
    view! {
        <article class="card update-card">
            <p class="card-tags">
                <span class="tag tag-update">{move || submission_category_label(i18n, category)}</span>
                {update.place.clone().map(|place| view! { <span class="tag">{place}</span> })}
            </p>
            <p class="update-text">{update.text.clone()}</p>
            {update.has_photo.then(|| view! { <SubmissionPhoto id=update.id /> })}
            <p class="meta provenance-line">{provenance}</p>
        </article>
    }
}
