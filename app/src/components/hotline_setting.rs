use crate::api;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::community::{CommunitySettings, HOTLINE_TYPED_MAX};

const FIELDS: &[&str] = &["hotline"];

/// Admins set the community's duty hotline (社区值班电话), which a household that reports a
/// fever is given with what happens next. Shown beside the health worklist, where fevers
/// are followed up.
#[component]
pub fn HotlineSetting() -> impl IntoView {
    let i18n = use_i18n();
    let current = LocalResource::new(api::community::settings);
    view! {
        <details class="panel hotline-setting">
            <summary>{t!(i18n, trial_resident.hotline_title)}</summary>
            {move || current.get().and_then(Result::ok).map(|s| view! { <HotlineForm initial=s.hotline.unwrap_or_default() /> })}
        </details>
    }
}

#[component]
fn HotlineForm(initial: String) -> impl IntoView {
    let i18n = use_i18n();
    let hotline = RwSignal::new(initial);
    let saved = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let save = Action::new_local(move |input: &CommunitySettings| {
        let input = input.clone();
        async move {
            match api::community::set_settings(&input).await {
                Ok(settings) => {
                    hotline.set(settings.hotline.unwrap_or_default());
                    saved.set(true);
                }
                Err(e) => show_errors(errors, form_error(i18n, &e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        saved.set(false);
        let input = CommunitySettings {
            hotline: Some(hotline.get_untracked()),
        };
        if !refuse_all(i18n, errors, input.validate().err().into_iter().collect()) {
            save.dispatch(input);
        }
    };
    view! {
        <form novalidate on:submit=submit>
            <Field id="community-hotline" label=move || t_string!(i18n, trial_resident.hotline_label) error=error_for(errors, "hotline")>
                <input id="community-hotline" type="tel" inputmode="tel" maxlength=HOTLINE_TYPED_MAX bind:value=hotline />
            </Field>
            <p class="hint">{t!(i18n, trial_resident.hotline_hint)}</p>
            <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
            <p role="status">{move || saved.get().then(|| t_string!(i18n, trial_resident.hotline_saved))}</p>
            <button type="submit" class="button" disabled=move || save.pending().get()>{t!(i18n, trial_resident.hotline_save)}</button>
        </form>
    }
}
