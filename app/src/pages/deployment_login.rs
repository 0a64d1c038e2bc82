use crate::api;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use shouwang_api::auth::LoginRequest;
use shouwang_api::deployment::OperatorRole;

const FIELDS: &[&str] = &["username", "password"];

/// Signing in above the communities: deployment admins and street staff.
#[component]
pub fn DeploymentLoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());

    let login = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            match api::deployment::login(&request).await {
                Ok(operator) => {
                    let next = match (operator.role, operator.street_id) {
                        (OperatorRole::StreetStaff, Some(street)) => format!("/street/{street}"),
                        _ => "/deployment".to_owned(),
                    };
                    navigate(&next, Default::default());
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let request = LoginRequest {
            username: username.get(),
            password: password.get(),
        };
        if !refuse_all(i18n, errors, request.errors()) {
            login.dispatch(request);
        }
    };

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, deployment.login_title), t_string!(i18n, app_name)) />
        <section class="panel narrow">
            <h1>{t!(i18n, deployment.login_title)}</h1>
            <p class="lead">{t!(i18n, deployment.login_intro)}</p>
            <form on:submit=submit novalidate>
                <Field id="operator-username" label=move || t_string!(i18n, login.username) error=error_for(errors, "username")>
                    <input id="operator-username" name="username" autocomplete="username"
                        autocapitalize="none" spellcheck="false" bind:value=username />
                </Field>
                <Field id="operator-password" label=move || t_string!(i18n, login.password) error=error_for(errors, "password")>
                    <input id="operator-password" name="password" type="password"
                        autocomplete="current-password" bind:value=password />
                </Field>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <button type="submit" class="button block" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { t_string!(i18n, login.submitting) } else { t_string!(i18n, login.submit) }}
                </button>
            </form>
        </section>
    }
}
