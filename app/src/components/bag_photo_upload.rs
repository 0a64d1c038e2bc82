use crate::api;
use crate::components::photo_picker::{self, PhotoPicker, PhotoSlot};
use crate::i18n::*;
use leptos::prelude::*;

/// The volunteer photographs the medicine bag at the pharmacy (拍药袋照片) and sends it;
/// a new photo replaces the one before.
#[component]
pub fn BagPhotoUpload(
    request_id: i64,
    has_photo: bool,
    on_uploaded: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let photo: PhotoSlot = RwSignal::new_local(None);
    let failed = RwSignal::new(None::<String>);
    let upload = Action::new_local(move |_: &()| {
        let file = photo.with_untracked(|p| p.as_ref().map(|p| p.file.clone()));
        async move {
            let Some(file) = file else { return };
            match api::medicine::upload_bag_photo(request_id, &file).await {
                Ok(_) => {
                    failed.set(None);
                    photo_picker::clear(photo);
                    on_uploaded.run(());
                }
                Err(error) => failed.set(Some(api_error_text(i18n, &error))),
            }
        }
    });
    let label = move || {
        if has_photo {
            t_string!(i18n, medicine.bag_photo_retake)
        } else {
            t_string!(i18n, medicine.bag_photo_label)
        }
    };
    view! {
        <div class="bag-photo-upload">
            <PhotoPicker photo id=format!("bag-photo-{request_id}") label hint=move || t_string!(i18n, medicine.bag_photo_hint) />
            <Show when=move || photo.with(Option::is_some)>
                <button type="button" class="button" disabled=move || upload.pending().get()
                    on:click=move |_| { upload.dispatch(()); }>
                    {t!(i18n, medicine.bag_photo_send)}
                </button>
            </Show>
            <Show when=move || upload.pending().get()>
                <p role="status">{t!(i18n, photos.uploading)}</p>
            </Show>
            {move || failed.get().map(|reason| view! { <p class="form-error" role="alert">{reason}</p> })}
        </div>
    }
}
