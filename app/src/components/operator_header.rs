use crate::api;
use crate::components::link::A;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use shouwang_api::deployment::OperatorRole;

/// Whether `path` is one of the operators' pages (above the communities), which get
/// [`OperatorHeader`] instead of a community's navigation.
pub fn is_operator_path(path: &str) -> bool {
    ["/deployment", "/street/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// The operators' own small header: the console, and for street staff their street's
/// dashboard, every board and publishing; signing out. No community's menu: an operator
/// is not an account of any community.
#[component]
pub fn OperatorHeader() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    // Read again on every page: signing in or out happens on these pages.
    let me = LocalResource::new(move || {
        location.pathname.track();
        api::deployment::me()
    });
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            let _ = api::deployment::logout().await;
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/deployment/login");
            }
        });
    };
    view! {
        <a class="skip-link" href="#main">{t!(i18n, nav.skip_to_content)}</a>
        <header class="topbar">
            <A href="/deployment" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"守"</span>
                <span class="brand-text">
                    <span class="brand-name">{t!(i18n, app_name)}</span>
                    <span class="brand-tagline">{t!(i18n, deployment.title)}</span>
                </span>
            </A>
        </header>
        <nav class="mainnav operator-nav" aria-label=move || t_string!(i18n, street_notices.operator_menu)>
            <A href="/deployment" exact=true>{t!(i18n, street_notices.nav_console)}</A>
            {move || me.get().and_then(Result::ok).map(|operator| {
                let street = (operator.role == OperatorRole::StreetStaff)
                    .then_some(operator.street_id)
                    .flatten();
                view! {
                    {street.map(|id| view! {
                        <A href=format!("/street/{id}") exact=true>{t!(i18n, street_notices.nav_dashboard)}</A>
                        <A href=format!("/street/{id}/boards")>{t!(i18n, street_notices.nav_boards)}</A>
                        <A href=format!("/street/{id}/notices")>{t!(i18n, street_notices.nav_publish)}</A>
                    })}
                    <span class="nav-spacer"></span>
                    <span class="who">{operator.display_name}</span>
                    <button type="button" class="link-button" on:click=sign_out>{t!(i18n, nav.sign_out)}</button>
                }
            })}
        </nav>
    }
}
