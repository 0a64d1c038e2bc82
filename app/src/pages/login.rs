use crate::api;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::i18n::*;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use shouwang_api::auth::LoginRequest;

const FIELDS: &[&str] = &["username", "password"];

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());

    let login = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            match api::auth::login(&request).await {
                Ok(account) => {
                    let is_staff = account.role.is_staff();
                    session.signed_in(account);
                    // Only same-site paths: `next` comes from the URL and must not lead elsewhere.
                    let next = query
                        .with_untracked(|q| q.get("next"))
                        .filter(|n| n.starts_with('/') && !n.starts_with("//"))
                        .unwrap_or_else(|| {
                            if is_staff {
                                "/staff/notices".into()
                            } else {
                                "/".into()
                            }
                        });
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
        <Title text=move || format!("{} · {}", t_string!(i18n, login.title), t_string!(i18n, app_name)) />
        <section class="panel narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <p class="lead">{t!(i18n, login.intro)}</p>
            <form on:submit=submit novalidate>
                <Field id="login-username" label=move || t_string!(i18n, login.username) error=error_for(errors, "username")>
                    <input
                        id="login-username"
                        name="username"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        bind:value=username
                    />
                </Field>
                <Field id="login-password" label=move || t_string!(i18n, login.password) error=error_for(errors, "password")>
                    <input id="login-password" name="password" type="password" autocomplete="current-password" bind:value=password />
                </Field>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <button type="submit" class="button block" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { t_string!(i18n, login.submitting) } else { t_string!(i18n, login.submit) }}
                </button>
            </form>
        </section>
    }
}
