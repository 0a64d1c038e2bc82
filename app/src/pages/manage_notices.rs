use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::components::status_badge::StatusBadge;
use crate::components::street_mark::StreetMark;
use crate::format;
use crate::i18n::*;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;
use shouwang_api::notices::{NoticeAction, NoticeStatus, NoticeStatusFilter, NoticeSummary};

#[component]
pub fn ManageNoticesPage() -> impl IntoView {
    view! {
        <RequireRole min=Role::Staff>
            <ManageNotices />
        </RequireRole>
    }
}

const TABS: [NoticeStatusFilter; 5] = [
    NoticeStatusFilter::All,
    NoticeStatusFilter::Draft,
    NoticeStatusFilter::Published,
    NoticeStatusFilter::Withdrawn,
    NoticeStatusFilter::Expired,
];

fn tab_label(i18n: I18nContext<Locale>, filter: NoticeStatusFilter) -> &'static str {
    match filter {
        NoticeStatusFilter::All => t_string!(i18n, status.all),
        NoticeStatusFilter::Draft => t_string!(i18n, status.draft),
        NoticeStatusFilter::Published => t_string!(i18n, status.published),
        NoticeStatusFilter::Withdrawn => t_string!(i18n, status.withdrawn),
        NoticeStatusFilter::Expired => t_string!(i18n, status.expired),
    }
}

/// Staff's list of every notice, by status, with publish and withdraw at hand.
#[component]
fn ManageNotices() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            q.get("status")
                .and_then(|s| NoticeStatusFilter::parse(&s))
                .unwrap_or(NoticeStatusFilter::All)
        })
    });
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let notices = LocalResource::new(move || {
        let (filter, page) = (filter.get(), page.get());
        async move { api::notices::list(filter, None, page).await }
    });
    let feedback = RwSignal::new(None::<Result<String, String>>);

    let act = Action::new_local(move |&(id, action): &(i64, NoticeAction)| async move {
        let result = match action {
            NoticeAction::Publish => api::notices::publish(id).await,
            NoticeAction::Withdraw => api::notices::withdraw(id).await,
        };
        feedback.set(Some(match result {
            Ok(_) => Ok(match action {
                NoticeAction::Publish => t_string!(i18n, manage.published_ok).to_string(),
                NoticeAction::Withdraw => t_string!(i18n, manage.withdrawn_ok).to_string(),
            }),
            Err(error) => Err(api_error_text(i18n, &error)),
        }));
        notices.refetch();
    });

    let href = move |p: u32| {
        format!(
            "/staff/notices?status={}&page={p}",
            filter.get_untracked().as_str()
        )
    };

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, manage.title), t_string!(i18n, app_name)) />
        <header class="page-header">
            <h1>{t!(i18n, manage.title)}</h1>
            <A href="/staff/notices/new" attr:class="button">{t!(i18n, manage.new_notice)}</A>
        </header>
        <nav class="tabs">
            {TABS
                .into_iter()
                .map(|tab| view! {
                    <A
                        href=format!("/staff/notices?status={}", tab.as_str())
                        attr:class="tab"
                        attr:aria-current=move || if filter.get() == tab { "page" } else { "false" }
                    >
                        {move || tab_label(i18n, tab)}
                    </A>
                })
                .collect_view()}
        </nav>
        {move || feedback.get().map(|f| match f {
            Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
            Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
        })}
        {move || match notices.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || notices.refetch() /> }),
            Some(Ok(page)) => EitherOf3::C(view! {
                {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, manage.empty)}</p> })}
                <ul class="rows">
                    {page.items.iter().cloned().map(|notice| view! { <NoticeRow notice act /> }).collect_view()}
                </ul>
                <Pager page=page.page page_count=page.page_count() total=page.total href />
            }),
        }}
    }
}

#[component]
fn NoticeRow(notice: NoticeSummary, act: Action<(i64, NoticeAction), ()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = notice.id;
    let expired = notice.expires_at.is_some_and(|t| t <= crate::clock::now());
    let updated = format::date_time(notice.updated_at);
    // The street's notice is read here, never changed: the street withdraws it.
    let from_street = notice.from_street;
    let can_publish = !from_street && notice.status.after(NoticeAction::Publish).is_some();
    let can_withdraw = !from_street && notice.status.after(NoticeAction::Withdraw).is_some();
    let republish = notice.status == NoticeStatus::Withdrawn;
    view! {
        <li class="row">
            <div class="row-main">
                <p class="card-tags">
                    <StatusBadge status=notice.status expired />
                    {from_street.then(|| view! { <StreetMark /> })}
                </p>
                {if from_street {
                    Either::Left(view! { <A href=format!("/notices/{id}") attr:class="row-title">{notice.title.clone()}</A> })
                } else {
                    Either::Right(view! { <A href=format!("/staff/notices/{id}/edit") attr:class="row-title">{notice.title.clone()}</A> })
                }}
                <p class="meta">{t!(i18n, manage.updated, time = updated.clone())}</p>
            </div>
            <div class="row-actions">
                {can_publish.then(|| view! {
                    <button type="button" class="button small" disabled=move || act.pending().get()
                        on:click=move |_| { act.dispatch((id, NoticeAction::Publish)); }>
                        {move || if republish { t_string!(i18n, manage.republish) } else { t_string!(i18n, manage.publish) }}
                    </button>
                })}
                {can_withdraw.then(|| view! {
                    <A href=format!("/notices/{id}") attr:class="button small secondary">{t!(i18n, manage.view)}</A>
                    <button type="button" class="button small danger" disabled=move || act.pending().get()
                        on:click=move |_| { act.dispatch((id, NoticeAction::Withdraw)); }>
                        {t!(i18n, manage.withdraw)}
                    </button>
                })}
            </div>
        </li>
    }
}
