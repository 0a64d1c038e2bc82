use crate::api;
use crate::components::field::{FormErrors, show_errors};
use crate::components::login_form::LoginForm;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use shouwang_api::auth::LoginRequest;
use shouwang_api::deployment::OperatorRole;

/// Signing in above the communities: deployment admins and street staff.
#[component]
pub fn DeploymentLoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
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

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, deployment.login_title), t_string!(i18n, app_name)) />
        <section class="panel narrow">
            <h1>{t!(i18n, deployment.login_title)}</h1>
            <p class="lead">{t!(i18n, deployment.login_intro)}</p>
            <LoginForm id_prefix="operator" errors pending=login.pending()
                on_submit=move |request| { login.dispatch(request); } />
        </section>
    }
}
