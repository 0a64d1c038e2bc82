use crate::components::field::{Field, FormErrors, error_for, general_error, refuse_all};
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::auth::LoginRequest;

const FIELDS: &[&str] = &["username", "password"];

/// The sign-in form, for a community's accounts and for operators alike: a name and a
/// password, checked by the shared validation, then handed to `on_submit`. The page
/// says what signing in does and shows the server's refusals through `errors`.
#[component]
pub fn LoginForm(
    /// Prefix of the controls' ids (`login`, `operator`), unique on the page.
    id_prefix: &'static str,
    errors: RwSignal<FormErrors>,
    #[prop(into)] pending: Signal<bool>,
    on_submit: impl Fn(LoginRequest) + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let username_id = format!("{id_prefix}-username");
    let password_id = format!("{id_prefix}-password");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let request = LoginRequest {
            username: username.get(),
            password: password.get(),
        };
        if !refuse_all(i18n, errors, request.errors()) {
            on_submit(request);
        }
    };
    view! {
        <form on:submit=submit novalidate>
            <Field id=username_id.clone() label=move || t_string!(i18n, login.username) error=error_for(errors, "username")>
                <input id=username_id name="username" autocomplete="username"
                    autocapitalize="none" spellcheck="false" bind:value=username />
            </Field>
            <Field id=password_id.clone() label=move || t_string!(i18n, login.password) error=error_for(errors, "password")>
                <input id=password_id name="password" type="password"
                    autocomplete="current-password" bind:value=password />
            </Field>
            <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
            <button type="submit" class="button block" disabled=move || pending.get()>
                {move || if pending.get() { t_string!(i18n, login.submitting) } else { t_string!(i18n, login.submit) }}
            </button>
        </form>
    }
}
