use crate::components::link::A;
use crate::components::loading::Loading;
use crate::i18n::*;
use crate::session::use_session;
use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use shouwang_api::auth::Role;

/// Shows its children only to accounts with at least `min` rights (staff includes
/// admins). The server refuses the data anyway; this spares people a page of errors.
#[component]
pub fn RequireRole(min: Role, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let allowed = move || {
        session.account.with(|a| {
            a.as_ref().is_some_and(|a| match min {
                Role::Admin => a.role.is_admin(),
                Role::Staff => a.role.is_staff(),
                Role::Volunteer | Role::Resident => true,
            })
        })
    };
    move || {
        if !session.checked.get() {
            EitherOf4::A(view! { <Loading /> })
        } else if allowed() {
            EitherOf4::B(children())
        } else if session.account.with(Option::is_some) {
            EitherOf4::C(view! {
                <section class="panel">
                    <h1>{t!(i18n, denied.title)}</h1>
                    <p>{t!(i18n, denied.forbidden)}</p>
                </section>
            })
        } else {
            let next = location.pathname.get();
            EitherOf4::D(view! {
                <section class="panel">
                    <h1>{t!(i18n, denied.title)}</h1>
                    <p>{t!(i18n, denied.body)}</p>
                    <A href=format!("/login?next={next}") attr:class="button">{t!(i18n, nav.sign_in)}</A>
                </section>
            })
        }
    }
}
