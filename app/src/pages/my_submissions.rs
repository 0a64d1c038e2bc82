use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::components::submission_photo::SubmissionPhoto;
use crate::components::submission_status::{SubmissionStatusBadge, submission_category_label};
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;
use shouwang_api::submissions::MySubmission;

/// What I reported, and where each report stands.
#[component]
pub fn MySubmissionsPage() -> impl IntoView {
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
    let items = LocalResource::new(move || {
        let page = page.get();
        async move { api::submissions::mine(page).await }
    });
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, infoboard.mine_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Resident>
            <header class="page-header">
                <h1>{t!(i18n, infoboard.mine_title)}</h1>
                <A href="/submit" attr:class="button">{t!(i18n, infoboard.nav_submit)}</A>
            </header>
            {move || match items.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || items.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, infoboard.mine_empty)}</p> })}
                    <ul class="rows">
                        {page.items.iter().cloned().map(|item| view! { <MySubmissionRow item /> }).collect_view()}
                    </ul>
                    <Pager page=page.page page_count=page.page_count() total=page.total href=|p| format!("/submissions/mine?page={p}") />
                }),
            }}
        </RequireRole>
    }
}

#[component]
fn MySubmissionRow(item: MySubmission) -> impl IntoView {
    let i18n = use_i18n();
    let category = item.category;
    let time = format::date_time(item.created_at);
    view! {
        <li class="row submission-row">
            <div class="row-main">
                <p class="card-tags">
                    <SubmissionStatusBadge status=item.status />
                    <span class="tag">{move || submission_category_label(i18n, category)}</span>
                </p>
                <p class="update-text">{item.text.clone()}</p>
                {item.has_photo.then(|| view! { <SubmissionPhoto id=item.id /> })}
                <p class="meta">{t!(i18n, infoboard.submitted_at, time = time.clone())}</p>
                {item.reject_reason.clone().map(|reason| view! {
                    <p class="reject-reason">{t!(i18n, infoboard.reject_reason, reason = reason.clone())}</p>
                })}
                {item.answer.clone().map(|answer| view! {
                    <p class="answer">{t_string!(i18n, trial_zones.answered, answer).to_string()}</p>
                })}
                {item.debunk_notice_id.map(|id| view! {
                    <p><A href=format!("/notices/{id}")>{t!(i18n, infoboard.see_debunk)}</A></p>
                })}
            </div>
        </li>
    }
}
