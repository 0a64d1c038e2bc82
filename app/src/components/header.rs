use crate::components::link::A;
use crate::components::operator_header::{OperatorHeader, is_operator_path};
use crate::i18n::*;
use crate::prefs::use_large_text;
use crate::session::use_session;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

/// The top bar: the operators' own on their pages, a community's everywhere else.
#[component]
pub fn Header() -> impl IntoView {
    let location = use_location();
    let operator_page = Memo::new(move |_| location.pathname.with(|p| is_operator_path(p)));
    move || {
        if operator_page.get() {
            Either::Left(view! { <OperatorHeader /> })
        } else {
            Either::Right(view! { <CommunityHeader /> })
        }
    }
}

/// A community's top bar: brand, large-text and language switches, and the main navigation.
#[component]
fn CommunityHeader() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let large_text = use_large_text().0;
    let navigate = use_navigate();

    let switch_language = move |_| {
        let next = match i18n.get_locale() {
            Locale::zh => Locale::en,
            Locale::en => Locale::zh,
        };
        i18n.set_locale(next);
    };
    // At phone width the navigation is one sideways-scrolling row; the menu button opens
    // the whole list (staff have about fifteen places, which took five rows).
    let menu_open = RwSignal::new(false);
    let close_after_link = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let on_link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a").ok().flatten())
            .is_some();
        if on_link {
            menu_open.set(false);
        }
    };
    let sign_out = move |_| {
        session.sign_out();
        navigate("/", Default::default());
    };

    view! {
        <a class="skip-link" href="#main">{t!(i18n, nav.skip_to_content)}</a>
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"守"</span>
                <span class="brand-text">
                    <span class="brand-name">{t!(i18n, app_name)}</span>
                    <span class="brand-tagline">{t!(i18n, app_tagline)}</span>
                </span>
            </A>
            <div class="topbar-tools">
                <button
                    type="button"
                    class="tool"
                    aria-pressed=move || large_text.get().to_string()
                    title=move || t_string!(i18n, nav.large_text_label)
                    on:click=move |_| large_text.update(|on| *on = !*on)
                >
                    {t!(i18n, nav.large_text)}
                </button>
                <button
                    type="button"
                    class="tool"
                    title=move || t_string!(i18n, nav.language_label)
                    on:click=switch_language
                >
                    {t!(i18n, nav.language)}
                </button>
            </div>
        </header>
        <nav id="mainnav" class="mainnav" class:open=move || menu_open.get()
            aria-label=move || t_string!(i18n, nav.main_menu) on:click=close_after_link>
            <button type="button" class="link-button nav-toggle" aria-controls="mainnav"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|open| *open = !*open)>
                {move || if menu_open.get() { t_string!(i18n, forms.menu_close) } else { t_string!(i18n, forms.menu) }}
            </button>
            <A href="/" exact=true>{t!(i18n, nav.board)}</A>
            <Show when=move || session.account.with(Option::is_some)>
                <A href="/submit">{t!(i18n, infoboard.nav_submit)}</A>
                <A href="/submissions/mine">{t!(i18n, infoboard.nav_mine)}</A>
            </Show>
            <Show when=move || session.is_staff()>
                <A href="/staff/notices">{t!(i18n, nav.manage_notices)}</A>
                <A href="/staff/moderation">{t!(i18n, infoboard.nav_moderation)}</A>
                <A href="/staff/receipts">{t!(i18n, receipts.nav)}</A>
            </Show>
            <Show when=move || session.is_staff()>
                <A href="/staff/residents">{t!(i18n, residents.nav_ledger)}</A>
                <A href="/staff/volunteers">{t!(i18n, volunteers.nav_manage)}</A>
                <A href="/staff/shifts">{t!(i18n, shifts.nav_manage)}</A>
            </Show>
            <Show when=move || session.is_staff()>
                <A href="/staff/zones">{t!(i18n, supplies.nav_zones)}</A>
                <A href="/staff/supplies">{t!(i18n, supplies.nav_dashboard)}</A>
                <A href="/staff/medicine">{t!(i18n, medicine.nav_custody)}</A>
                <A href="/staff/health">{t!(i18n, health.nav_worklist)}</A>
                <A href="/staff/testing">{t!(i18n, testing.nav)}</A>
            </Show>
            <Show when=move || session.is_staff()>
                <A href="/staff/care">{t!(i18n, care.nav_care)}</A>
                <A href="/staff/runs">{t!(i18n, care.nav_runs)}</A>
                <A href="/staff/roster">{t!(i18n, workers.nav_roster)}</A>
                <A href="/wellbeing">{t!(i18n, workers.nav_wellbeing)}</A>
            </Show>
            <Show when=move || session.account.with(|a| a.as_ref().is_some_and(|a| a.role == shouwang_api::auth::Role::Resident))>
                <A href="/my-household">{t!(i18n, residents.nav_my)}</A>
            </Show>
            <Show when=move || session.account.with(|a| a.as_ref().is_some_and(|a| a.role == shouwang_api::auth::Role::Volunteer))>
                <A href="/volunteer">{t!(i18n, volunteers.nav_volunteer)}</A>
                <A href="/volunteer/deliveries">{t!(i18n, supplies.nav_deliveries)}</A>
                <A href="/wellbeing">{t!(i18n, workers.nav_wellbeing)}</A>
            </Show>
            <Show when=move || session.checked.get() && session.account.with(Option::is_none)>
                <A href="/register">{t!(i18n, residents.nav_register)}</A>
                <A href="/volunteer/sign-up">{t!(i18n, volunteers.nav_join)}</A>
            </Show>
            <Show when=move || session.is_admin()>
                <A href="/admin/accounts">{t!(i18n, nav.accounts)}</A>
                <A href="/admin/audit">{t!(i18n, nav.audit)}</A>
                <A href="/admin/street-access">{t!(i18n, street_access.nav)}</A>
            </Show>
            <span class="nav-spacer"></span>
            <Show when=move || session.account.with(Option::is_some)>
                <A href="/notifications" attr:class="messages">
                    {t!(i18n, nav.messages)}
                    <Show when=move || { session.unread.get() > 0 }>
                        <span class="badge" title=move || { let count = session.unread.get(); t_string!(i18n, notifications.unread_count, count).to_string() }>
                            {move || session.unread.get()}
                        </span>
                    </Show>
                </A>
            </Show>
            {move || match session.account.get() {
                Some(account) => Either::Left(view! {
                    <span class="who">{account.display_name}</span>
                    <button type="button" class="link-button" on:click=sign_out.clone()>
                        {t!(i18n, nav.sign_out)}
                    </button>
                }),
                None => Either::Right(view! { <A href="/login">{t!(i18n, nav.sign_in)}</A> }),
            }}
        </nav>
    }
}
