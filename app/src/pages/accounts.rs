use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::components::loading::Loading;
use crate::components::require_role::RequireRole;
use crate::i18n::*;
use crate::session::use_session;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::auth::Role;
use shouwang_api::users::{DISPLAY_NAME_MAX, NewUserRequest, UserSummary};

const FIELDS: &[&str] = &["username", "display_name", "role", "password"];

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! {
        <RequireRole min=Role::Admin>
            <Accounts />
        </RequireRole>
    }
}

/// Admins create staff accounts and disable the ones no longer needed.
#[component]
fn Accounts() -> impl IntoView {
    let i18n = use_i18n();
    let accounts = LocalResource::new(|| api::users::list(1));
    let feedback = RwSignal::new(None::<Result<String, String>>);
    let toggle = Action::new_local(move |&(id, disable): &(i64, bool)| async move {
        if let Err(error) = api::users::set_disabled(id, disable).await {
            feedback.set(Some(Err(api_error_text(i18n, &error))));
        }
        accounts.refetch();
    });

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, accounts.title), t_string!(i18n, app_name)) />
        <header class="page-header">
            <h1>{t!(i18n, accounts.title)}</h1>
        </header>
        <p class="lead">{t!(i18n, accounts.intro)}</p>
        {move || feedback.get().map(|f| match f {
            Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
            Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
        })}
        {move || match accounts.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || accounts.refetch() /> }),
            Some(Ok(page)) => EitherOf3::C(view! {
                <ul class="rows">
                    {page.items.into_iter().map(|user| view! { <AccountRow user toggle /> }).collect_view()}
                </ul>
            }),
        }}
        <CreateAccountForm on_created=Callback::new(move |username: String| {
            feedback.set(Some(Ok(t_string!(i18n, accounts.created, username).to_string())));
            accounts.refetch();
        }) />
    }
}

#[component]
fn AccountRow(user: UserSummary, toggle: Action<(i64, bool), ()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = user.id;
    let disabled = user.disabled;
    let is_me = session
        .account
        .with_untracked(|a| a.as_ref().is_some_and(|a| a.id == id));
    view! {
        <li class="row" class:muted=disabled>
            <div class="row-main">
                <p class="row-title">
                    {user.display_name.clone()}
                    {is_me.then(|| view! { <span>{t!(i18n, accounts.you)}</span> })}
                </p>
                <p class="meta">
                    {user.username.clone()} " · " {move || role_label(i18n, user.role)} " · "
                    {move || if disabled { t_string!(i18n, accounts.disabled) } else { t_string!(i18n, accounts.active) }}
                </p>
            </div>
            <div class="row-actions">
                {(!is_me).then(|| view! {
                    <button type="button" class="button small" class:danger=!disabled class:secondary=disabled
                        disabled=move || toggle.pending().get()
                        on:click=move |_| { toggle.dispatch((id, !disabled)); }>
                        {move || if disabled { t_string!(i18n, accounts.enable) } else { t_string!(i18n, accounts.disable) }}
                    </button>
                })}
            </div>
        </li>
    }
}

#[component]
fn CreateAccountForm(on_created: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Staff);
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());

    let create = Action::new_local(move |request: &NewUserRequest| {
        let request = request.clone();
        async move {
            match api::users::create(&request).await {
                Ok(user) => {
                    errors.set(FormErrors::default());
                    username.set(String::new());
                    display_name.set(String::new());
                    password.set(String::new());
                    on_created.run(user.username);
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let request = NewUserRequest {
            username: username.get(),
            display_name: display_name.get(),
            role: role.get(),
            password: password.get(),
        };
        if !refuse_all(i18n, errors, request.errors()) {
            create.dispatch(request);
        }
    };

    view! {
        <section class="panel">
            <h2>{t!(i18n, accounts.create_title)}</h2>
            <form novalidate on:submit=submit>
                <Field id="account-username" label=move || t_string!(i18n, accounts.username)
                    hint=move || t_string!(i18n, accounts.username_hint) error=error_for(errors, "username")>
                    <input id="account-username" autocomplete="off" autocapitalize="none" spellcheck="false" bind:value=username />
                </Field>
                <Field id="account-display-name" label=move || t_string!(i18n, accounts.display_name) error=error_for(errors, "display_name") max=DISPLAY_NAME_MAX>
                    <input id="account-display-name" maxlength=DISPLAY_NAME_MAX bind:value=display_name />
                </Field>
                <Field id="account-role" label=move || t_string!(i18n, accounts.role) error=error_for(errors, "role")>
                    <select id="account-role" on:change=move |ev| {
                        role.set(if event_target_value(&ev) == "admin" { Role::Admin } else { Role::Staff })
                    }>
                        <option value="staff" selected=move || role.get() == Role::Staff>{move || role_label(i18n, Role::Staff)}</option>
                        <option value="admin" selected=move || role.get() == Role::Admin>{move || role_label(i18n, Role::Admin)}</option>
                    </select>
                </Field>
                <Field id="account-password" label=move || t_string!(i18n, accounts.password)
                    hint=move || t_string!(i18n, accounts.password_hint) error=error_for(errors, "password")>
                    <input id="account-password" type="password" autocomplete="new-password" bind:value=password />
                </Field>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <button type="submit" class="button" disabled=move || create.pending().get()>{t!(i18n, accounts.create)}</button>
            </form>
        </section>
    }
}
