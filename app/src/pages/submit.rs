use crate::api;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::components::link::A;
use crate::components::photo_picker::{self, PhotoPicker, PhotoSlot};
use crate::components::require_role::RequireRole;
use crate::components::submission_status::submission_category_label;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::auth::Role;
use shouwang_api::submissions::{PLACE_MAX, SubmissionCategory, SubmissionInput, TEXT_MAX};

const FIELDS: &[&str] = &["category", "text", "place", "building_id"];

/// A resident or volunteer tells the community office what they saw or heard.
#[component]
pub fn SubmitPage() -> impl IntoView {
    view! {
        <RequireRole min=Role::Resident>
            <SubmitForm />
        </RequireRole>
    }
}

#[component]
fn SubmitForm() -> impl IntoView {
    let i18n = use_i18n();
    let category = RwSignal::new(SubmissionCategory::RumourCheck);
    let text = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let sent = RwSignal::new(false);
    let photo: PhotoSlot = RwSignal::new_local(None);
    // The report exists without its photo when the upload fails: (its id, why).
    let photo_failed = RwSignal::new(None::<(i64, String)>);
    let upload = Action::new_local(move |id: &i64| {
        let id = *id;
        let file = photo.with_untracked(|p| p.as_ref().map(|p| p.file.clone()));
        async move {
            let Some(file) = file else { return };
            match api::submissions::upload_photo(id, &file).await {
                Ok(_) => {
                    photo_failed.set(None);
                    photo_picker::clear(photo);
                }
                Err(error) => photo_failed.set(Some((id, api_error_text(i18n, &error)))),
            }
        }
    });
    let send = Action::new_local(move |input: &SubmissionInput| {
        let input = input.clone();
        async move {
            photo_failed.set(None);
            match api::submissions::submit(&input).await {
                Ok(created) => {
                    if photo.with_untracked(Option::is_some) {
                        upload.dispatch(created.id);
                    }
                    sent.set(true);
                    text.set(String::new());
                    place.set(String::new());
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let input = SubmissionInput {
            category: category.get_untracked(),
            text: text.get_untracked(),
            place: Some(place.get_untracked()),
            building_id: None,
        };
        if !refuse_all(i18n, errors, input.errors()) {
            send.dispatch(input);
        }
    };
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, infoboard.submit_title), t_string!(i18n, app_name)) />
        <section class="submit-page">
            <h1>{t!(i18n, infoboard.submit_title)}</h1>
            <p class="lead">{t!(i18n, infoboard.submit_intro)}</p>
            <Show when=move || sent.get()>
                <p class="banner banner-ok" role="status">
                    {t!(i18n, infoboard.submitted)} " "
                    <A href="/submissions/mine">{t!(i18n, infoboard.see_mine)}</A>
                </p>
            </Show>
            <form class="editor" novalidate on:submit=on_submit>
                <Field id="submission-category" label=move || t_string!(i18n, infoboard.category) error=error_for(errors, "category")>
                    <select id="submission-category"
                        on:change=move |ev| category.set(SubmissionCategory::parse(&event_target_value(&ev)).unwrap_or_default())>
                        {SubmissionCategory::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=move || category.get() == c>{move || submission_category_label(i18n, c)}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="submission-text" label=move || t_string!(i18n, infoboard.text)
                    hint=move || t_string!(i18n, infoboard.text_hint) error=error_for(errors, "text") max=TEXT_MAX>
                    <textarea id="submission-text" rows="6" maxlength=TEXT_MAX prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </Field>
                <Field id="submission-place" label=move || t_string!(i18n, infoboard.place)
                    hint=move || t_string!(i18n, infoboard.place_hint) error=error_for(errors, "place") max=PLACE_MAX>
                    <input id="submission-place" maxlength=PLACE_MAX bind:value=place />
                </Field>
                <PhotoPicker photo />
                <Show when=move || upload.pending().get()>
                    <p role="status">{t!(i18n, photos.uploading)}</p>
                </Show>
                {move || photo_failed.get().map(|(id, reason)| view! {
                    <div class="banner banner-warning" role="alert">
                        <p>{t_string!(i18n, photos.upload_failed, reason).to_string()}</p>
                        <button type="button" class="button secondary" disabled=move || upload.pending().get()
                            on:click=move |_| { upload.dispatch(id); }>{t!(i18n, photos.retry)}</button>
                    </div>
                })}
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <div class="actions">
                    <button type="submit" class="button" disabled=move || send.pending().get() || upload.pending().get()>{t!(i18n, infoboard.submit)}</button>
                </div>
            </form>
        </section>
    }
}
