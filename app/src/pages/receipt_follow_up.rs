use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::follow_up_item::FollowUpItem;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::i18n::*;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shouwang_api::auth::Role;

/// One important notice: how many households of each of my buildings acknowledged it,
/// and a building's follow-up list for door visits (elderly people first).
#[component]
pub fn ReceiptFollowUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let notice_id = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    });
    let building =
        Memo::new(move |_| query.with(|q| q.get("building").and_then(|b| b.parse::<i64>().ok())));
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let notice = LocalResource::new(move || api::notices::get_one(notice_id.get()));
    let counts = LocalResource::new(move || api::receipts::buildings(notice_id.get()));
    let households = LocalResource::new(move || {
        let (id, building, page) = (notice_id.get(), building.get(), page.get());
        async move {
            match building {
                Some(b) => Some(api::receipts::follow_up(id, b, page).await),
                None => None,
            }
        }
    });
    let recorded = Callback::new(move |()| {
        counts.refetch();
        households.refetch();
    });
    let title = move || {
        notice
            .get()
            .and_then(Result::ok)
            .map(|n| n.title)
            .unwrap_or_default()
    };
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, receipts.title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <p class="back"><A href="/staff/receipts">{t!(i18n, receipts.title)}</A></p>
            <header class="page-header"><h1>{title}</h1></header>
            <h2>{t!(i18n, receipts.buildings)}</h2>
            {move || match counts.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error /> }),
                Some(Ok(rows)) => EitherOf3::C(view! {
                    <ul class="rows receipt-buildings">
                        {rows.into_iter().map(|b| {
                            let (done, total) = (b.acknowledged, b.households);
                            let href = format!("/staff/receipts/{}?building={}", notice_id.get_untracked(), b.building_id);
                            let label = format!("{} {}", b.grid, b.building);
                            let aria = label.clone();
                            view! {
                                <li class="row" aria-label=aria>
                                    <div class="row-main">
                                        <p class="row-title">{label}</p>
                                        <p class="meta">{t!(i18n, receipts.progress, done, total)}</p>
                                    </div>
                                    <div class="row-actions">
                                        <A href=href attr:class="button small secondary">{t!(i18n, receipts.follow_up)}</A>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }),
            }}
            {move || households.get().flatten().map(|result| match result {
                Err(error) => Either::Left(view! { <ErrorBanner error /> }),
                Ok(page) => {
                    let (id, b) = (notice_id.get_untracked(), building.get_untracked().unwrap_or(0));
                    Either::Right(view! {
                        <h2>{t!(i18n, receipts.follow_up_title)}</h2>
                        {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, receipts.follow_up_empty)}</p> })}
                        <ul class="rows">
                            {page.items.iter().cloned().map(|household| view! { <FollowUpItem notice_id=id household recorded /> }).collect_view()}
                        </ul>
                        <Pager page=page.page page_count=page.page_count() total=page.total
                            href=move |p| format!("/staff/receipts/{id}?building={b}&page={p}") />
                    })
                }
            })}
        </RequireRole>
    }
}
