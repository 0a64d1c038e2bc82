use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::notification_item::NotificationItem;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::i18n::*;
use crate::session::use_session;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <RequireRole min=Role::Resident>
            <Notifications />
        </RequireRole>
    }
}

/// The signed-in account's messages, newest first.
#[component]
fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let messages = LocalResource::new(move || {
        let page = page.get();
        async move { api::notifications::list(page).await }
    });
    let read_all = Action::new_local(move |_: &()| async move {
        if api::notifications::mark_all_read().await.is_ok() {
            session.unread.set(0);
            messages.refetch();
        }
    });
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, notifications.title), t_string!(i18n, app_name)) />
        <header class="page-header">
            <h1>{t!(i18n, notifications.title)}</h1>
            <button type="button" class="button small secondary" on:click=move |_| { read_all.dispatch(()); }>
                {t!(i18n, notifications.mark_all_read)}
            </button>
        </header>
        {move || match messages.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || messages.refetch() /> }),
            Some(Ok(page)) => EitherOf3::C(view! {
                {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, notifications.empty)}</p> })}
                <ul class="rows">
                    {page.items.iter().cloned().map(|notification| view! { <NotificationItem notification /> }).collect_view()}
                </ul>
                <Pager page=page.page page_count=page.page_count() total=page.total href=|p| format!("/notifications?page={p}") />
            }),
        }}
    }
}
