use crate::components::field::Field;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::photos::PHOTO_MAX_BYTES;
use web_sys::{File, HtmlInputElement, Url};

/// A photo chosen for a report, with the object URL that previews it.
#[derive(Clone)]
pub struct ChosenPhoto {
    pub file: File,
    preview: String,
}

/// Where the form keeps the chosen photo (a browser `File` lives on this thread only).
pub type PhotoSlot = RwSignal<Option<ChosenPhoto>, LocalStorage>;

/// Forgets the chosen photo and frees its preview.
pub fn clear(slot: PhotoSlot) {
    if let Some(old) = slot.write().take() {
        let _ = Url::revoke_object_url(&old.preview);
    }
}

/// An optional photo: too large a file is refused here, before anything is sent, and the
/// one chosen is shown small so the sender sees what goes with the report. A report's
/// photo by default; another form names its own control and words (the medicine bag).
#[component]
pub fn PhotoPicker(
    photo: PhotoSlot,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] label: Option<TextProp>,
    #[prop(optional, into)] hint: Option<TextProp>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or_else(|| "submission-photo".to_owned());
    let label = label.unwrap_or_else(|| TextProp::from(move || t_string!(i18n, photos.label)));
    let hint = hint.unwrap_or_else(|| TextProp::from(move || t_string!(i18n, photos.hint)));
    let error = RwSignal::new(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();
    // Once the photo is sent (or refused), the control is emptied as well.
    Effect::new(move || {
        if photo.with(Option::is_none)
            && let Some(input) = input.get_untracked()
        {
            input.set_value("");
        }
    });
    let pick = move |ev: leptos::ev::Event| {
        let field = event_target::<HtmlInputElement>(&ev);
        clear(photo);
        error.set(None);
        let Some(file) = field.files().and_then(|files| files.get(0)) else {
            return;
        };
        if file.size() > PHOTO_MAX_BYTES as f64 {
            error.set(Some(t_string!(i18n, photos.too_large).to_string()));
            field.set_value("");
        } else if let Ok(preview) = Url::create_object_url_with_blob(&file) {
            photo.set(Some(ChosenPhoto { file, preview }));
        }
    };
    view! {
        <Field id=id.clone() label hint error=error>
            <input id=id type="file" accept="image/*" node_ref=input on:change=pick />
        </Field>
        {move || photo.with(|p| p.as_ref().map(|p| p.preview.clone())).map(|src| view! {
            <img class="photo-preview" src=src alt=move || t_string!(i18n, photos.preview_alt) />
        })}
    }
}
