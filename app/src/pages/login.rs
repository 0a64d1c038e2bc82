use crate::api;
use crate::components::field::{FormErrors, show_errors};
use crate::components::login_form::LoginForm;
use crate::i18n::*;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use shouwang_api::auth::LoginRequest;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
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

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, login.title), t_string!(i18n, app_name)) />
        <section class="panel narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <p class="lead">{t!(i18n, login.intro)}</p>
            <LoginForm id_prefix="login" errors pending=login.pending()
                on_submit=move |request| { login.dispatch(request); } />
        </section>
    }
}
