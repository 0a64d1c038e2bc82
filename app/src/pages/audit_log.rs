use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::audit::AuditEntry;
use shouwang_api::auth::Role;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    view! {
        <RequireRole min=Role::Admin>
            <AuditLog />
        </RequireRole>
    }
}

/// The audit trail, newest first.
#[component]
fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let entries = LocalResource::new(move || {
        let page = page.get();
        async move { api::audit::list(page).await }
    });
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, audit.title), t_string!(i18n, app_name)) />
        <h1>{t!(i18n, audit.title)}</h1>
        <p class="lead">{t!(i18n, audit.intro)}</p>
        {move || match entries.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || entries.refetch() /> }),
            Some(Ok(page)) => EitherOf3::C(view! {
                <ul class="rows audit">
                    {page.items.iter().cloned().map(|entry| view! { <AuditRow entry /> }).collect_view()}
                </ul>
                <Pager page=page.page page_count=page.page_count() total=page.total href=|p| format!("/admin/audit?page={p}") />
            }),
        }}
    }
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let target = match (entry.target_type.clone(), entry.target_id) {
        (Some(kind), Some(id)) => format!("{kind} #{id}"),
        _ => String::new(),
    };
    let actor_role = entry.actor_role;
    let actor_name = entry.actor_name.clone();
    let by_street_staff = entry.by_street_staff;
    view! {
        <li class="row">
            <div class="row-main">
                <p class="row-title"><code>{entry.action.clone()}</code> " " {target}</p>
                <p class="meta">
                    {format::date_time(entry.at)} " · "
                    {move || match (&actor_name, actor_role) {
                        (Some(name), _) if by_street_staff => format!("{name}（{}）", t_string!(i18n, street_access.by_street_staff)),
                        (Some(name), Some(role)) => format!("{name}（{}）", role_label(i18n, role)),
                        (Some(name), None) => name.clone(),
                        _ => t_string!(i18n, audit.system).to_string(),
                    }}
                </p>
            </div>
        </li>
    }
}
