use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::medicine_labels::{custody_label, item_label};
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;
use shouwang_api::medicine::CustodyOut;

/// 卡证保管 for staff: every 医保卡, 病历本 and 处方单 out of a resident's hands in their
/// grids, who holds it and until when; overdue ones first, in red.
#[component]
pub fn MedicineCustodyPage() -> impl IntoView {
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
    let list = LocalResource::new(move || api::medicine::custody_out(page.get()));
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, medicine.custody_page_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, medicine.custody_page_title)}</h1>
            <p class="lead">{t!(i18n, medicine.custody_page_lead)}</p>
            {move || match list.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || list.refetch() /> }),
                Some(Ok(p)) => EitherOf3::C(view! {
                    {p.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, medicine.custody_empty)}</p> })}
                    <ul class="rows">
                        {p.items.iter().cloned().map(|out| view! { <CustodyOutRow out /> }).collect_view()}
                    </ul>
                    <Pager page=p.page page_count=p.page_count() total=p.total href=|n| format!("/staff/medicine?page={n}") />
                }),
            }}
        </RequireRole>
    }
}

#[component]
fn CustodyOutRow(out: CustodyOut) -> impl IntoView {
    let i18n = use_i18n();
    let item = out.item;
    let (kind, state, overdue) = (item.kind, item.state, item.overdue);
    let address = out.address.clone();
    let title = move || {
        format!(
            "{} · {} · {}",
            address,
            item_label(i18n, kind),
            custody_label(i18n, state)
        )
    };
    let holder = item.holder_name.clone();
    let since = item.marks.out_since().map(format::date_time);
    let due = item.due_back_at.map(format::date_time);
    let row_label = title.clone();
    view! {
        <li class="row custody-row" class:overdue=overdue aria-label=row_label>
            <div class="row-main">
                <p class="row-title">
                    {overdue.then(|| view! { <span class="tag overdue">{t!(i18n, medicine.overdue)}</span>" " })}
                    {title}
                </p>
                {holder.map(|name| view! { <p>{move || t_string!(i18n, medicine.holder, name = name.clone()).to_string()}</p> })}
                {since.map(|at| view! { <p class="meta">{move || t_string!(i18n, medicine.out_since, at = at.clone()).to_string()}</p> })}
                {due.map(|at| view! { <p class="meta custody-due">{move || t_string!(i18n, medicine.due_back, at = at.clone()).to_string()}</p> })}
                <p class="meta">{move || { let id = out.request_id; t_string!(i18n, medicine.request_number, id).to_string() }}</p>
            </div>
        </li>
    }
}
