use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::components::status_badge::StatusBadge;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;
use shouwang_api::notices::NoticeStatus;

/// Important notices that ask households for a receipt, with the progress in my grids.
#[component]
pub fn ReceiptsPage() -> impl IntoView {
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
    let notices = LocalResource::new(move || {
        let page = page.get();
        async move { api::receipts::notices(page).await }
    });
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, receipts.title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <header class="page-header"><h1>{t!(i18n, receipts.title)}</h1></header>
            {move || match notices.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || notices.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, receipts.empty)}</p> })}
                    <ul class="rows">
                        {page.items.iter().cloned().map(|n| {
                            let (done, total) = (n.acknowledged, n.households);
                            let status = n.status;
                            view! {
                                <li class="row">
                                    <div class="row-main">
                                        <p class="row-title"><A href=format!("/staff/receipts/{}", n.notice_id)>{n.title}</A></p>
                                        {(status != NoticeStatus::Published).then(|| view! { <StatusBadge status /> })}
                                        <p class="meta">{t!(i18n, receipts.progress, done, total)}</p>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <Pager page=page.page page_count=page.page_count() total=page.total href=|p| format!("/staff/receipts?page={p}") />
                }),
            }}
        </RequireRole>
    }
}
