use crate::api;
use crate::api::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::deployment::{
    CommunityKind, NewCommunityRequest, NewStreetRequest, OperatorRole, StreetSummary,
};

const COMMUNITY_FIELDS: &[&str] = &[
    "street_id",
    "slug",
    "name",
    "admin_username",
    "admin_display_name",
    "admin_password",
];
const STREET_FIELDS: &[&str] = &["name"];

/// The deployment admin's console: the streets and their communities, and adding both.
#[component]
pub fn DeploymentAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = LocalResource::new(api::deployment::me);
    let directory = LocalResource::new(api::deployment::directory);
    let changed = move || directory.refetch();
    // Kept here: the form is drawn again when the list of communities reloads.
    let created = RwSignal::new(None::<String>);

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, deployment.title), t_string!(i18n, app_name)) />
        <section class="panel">
            <h1>{t!(i18n, deployment.title)}</h1>
            {move || match me.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(ApiError::Api { status: 401, .. })) => EitherOf3::B(view! {
                    <p>{t!(i18n, deployment.sign_in_first)} " "
                        <A href="/deployment/login">{t!(i18n, deployment.login_title)}</A></p>
                }.into_any()),
                Some(Err(e)) => EitherOf3::B(view! { <ErrorBanner error=e /> }.into_any()),
                Some(Ok(operator)) => EitherOf3::C(view! {
                    <p class="lead">{t!(i18n, deployment.signed_in_as, name = operator.display_name.clone())}</p>
                    {(operator.role == OperatorRole::DeploymentAdmin).then(|| view! {
                        <NewStreetForm on_done=changed />
                    })}
                }),
            }}
            {move || directory.get().map(|result| match result {
                Ok(streets) => view! { <Streets streets=streets.clone() /> <NewCommunityForm streets=streets on_done=changed created=created /> }.into_any(),
                Err(e) => view! { <ErrorBanner error=e /> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Streets(streets: Vec<StreetSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="street-list">
            {streets.into_iter().map(|street| view! {
                <li class="card">
                    <h2>{street.name.clone()}</h2>
                    <p><A href=format!("/street/{}", street.id)>{t!(i18n, deployment.open_dashboard)}</A></p>
                    <ul class="community-list">
                        {street.communities.into_iter().map(|c| view! {
                            <li>
                                <a href=c.path.clone()>{c.name.clone()}</a>
                                " · " {kind_label(i18n, c.kind)} " · " <code>{c.path.clone()}</code>
                            </li>
                        }).collect_view()}
                    </ul>
                </li>
            }).collect_view()}
        </ul>
    }
}

pub fn kind_label(i18n: I18nContext<Locale>, kind: CommunityKind) -> String {
    match kind {
        CommunityKind::Community => t_string!(i18n, deployment.kind_community).to_string(),
        CommunityKind::Village => t_string!(i18n, deployment.kind_village).to_string(),
    }
}

#[component]
fn NewStreetForm(on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let create = Action::new_local(move |request: &NewStreetRequest| {
        let request = request.clone();
        async move {
            match api::deployment::create_street(&request).await {
                Ok(_) => {
                    name.set(String::new());
                    on_done();
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let request = NewStreetRequest { name: name.get() };
        let found = request.validate().err().into_iter().collect();
        if !refuse_all(i18n, errors, found) {
            create.dispatch(request);
        }
    };
    view! {
        <form on:submit=submit novalidate class="inline-form">
            <h2>{t!(i18n, deployment.new_street)}</h2>
            <Field id="street-name" label=move || t_string!(i18n, deployment.street_name) error=error_for(errors, "name")>
                <input id="street-name" bind:value=name />
            </Field>
            <p class="form-error" role="alert">{move || general_error(errors, STREET_FIELDS).get()}</p>
            <button type="submit" class="button" disabled=move || create.pending().get()>{t!(i18n, deployment.add_street)}</button>
        </form>
    }
}

#[component]
fn NewCommunityForm(
    streets: Vec<StreetSummary>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
    created: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let street_id = RwSignal::new(streets.first().map(|s| s.id).unwrap_or_default());
    let slug = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let village = RwSignal::new(false);
    let admin_username = RwSignal::new(String::new());
    let admin_display_name = RwSignal::new(String::new());
    let admin_password = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let create = Action::new_local(move |request: &NewCommunityRequest| {
        let request = request.clone();
        async move {
            match api::deployment::create_community(&request).await {
                Ok(community) => {
                    created.set(Some(community.path));
                    on_done();
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        created.set(None);
        let request = NewCommunityRequest {
            street_id: street_id.get(),
            slug: slug.get(),
            name: name.get(),
            kind: if village.get() {
                CommunityKind::Village
            } else {
                CommunityKind::Community
            },
            admin_username: admin_username.get(),
            admin_display_name: admin_display_name.get(),
            admin_password: admin_password.get(),
        };
        if !refuse_all(i18n, errors, request.errors()) {
            create.dispatch(request);
        }
    };
    view! {
        <form on:submit=submit novalidate>
            <h2>{t!(i18n, deployment.new_community)}</h2>
            <Field id="community-street" label=move || t_string!(i18n, deployment.street) error=error_for(errors, "street_id")>
                <select id="community-street" on:change=move |ev| {
                    if let Ok(id) = event_target_value(&ev).parse() { street_id.set(id) }
                }>
                    {streets.into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name}</option> }).collect_view()}
                </select>
            </Field>
            <Field id="community-name" label=move || t_string!(i18n, deployment.community_name) error=error_for(errors, "name")>
                <input id="community-name" bind:value=name />
            </Field>
            <Field id="community-slug" label=move || t_string!(i18n, deployment.slug) error=error_for(errors, "slug")>
                <input id="community-slug" autocapitalize="none" spellcheck="false" bind:value=slug />
            </Field>
            <label class="check"><input type="checkbox" bind:checked=village /> {t!(i18n, deployment.is_village)}</label>
            <Field id="community-admin" label=move || t_string!(i18n, deployment.admin_username) error=error_for(errors, "admin_username")>
                <input id="community-admin" autocapitalize="none" spellcheck="false" bind:value=admin_username />
            </Field>
            <Field id="community-admin-name" label=move || t_string!(i18n, deployment.admin_display_name) error=error_for(errors, "admin_display_name")>
                <input id="community-admin-name" bind:value=admin_display_name />
            </Field>
            <Field id="community-admin-password" label=move || t_string!(i18n, deployment.admin_password) error=error_for(errors, "admin_password")>
                <input id="community-admin-password" type="password" autocomplete="new-password" bind:value=admin_password />
            </Field>
            <p class="form-error" role="alert">{move || general_error(errors, COMMUNITY_FIELDS).get()}</p>
            <p role="status">{move || created.get().map(|path| view! {
                {t!(i18n, deployment.created)} " " <a href=path.clone()>{path.clone()}</a>
            })}</p>
            <button type="submit" class="button block" disabled=move || create.pending().get()>{t!(i18n, deployment.add_community)}</button>
        </form>
    }
}
