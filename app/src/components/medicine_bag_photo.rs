use crate::api;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::medicine::BagPhoto;

/// The photo of the medicine bag the volunteer took at the pharmacy, so the resident can
/// check what arrives against it.
#[component]
pub fn MedicineBagPhoto(request_id: i64, photo: BagPhoto) -> impl IntoView {
    let i18n = use_i18n();
    let src = api::medicine::bag_photo_url(request_id, photo.taken_at.timestamp());
    let at = format::date_time(photo.taken_at);
    view! {
        <figure class="bag-photo">
            <img class="submission-photo" loading="lazy" decoding="async" src=src
                width=photo.width height=photo.height alt=move || t_string!(i18n, medicine.bag_photo_alt) />
            <figcaption class="meta">{move || t_string!(i18n, medicine.bag_photo_taken, at = at.clone()).to_string()}</figcaption>
        </figure>
    }
}
