use crate::api;
use crate::components::category_filter::CategoryFilter;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::live_board::use_live_board;
use crate::components::loading::Loading;
use crate::components::notice_card::NoticeCard;
use crate::components::pager::Pager;
use crate::components::update_card::UpdateCard;
use crate::i18n::*;
use crate::offline::install_prompt::InstallPrompt;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::notices::{NoticeCategory, NoticeStatusFilter};

/// The public board: published notices, pinned first, by category, a page at a time.
#[component]
pub fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let category = Memo::new(move |_| {
        query.with(|q| q.get("category").and_then(|c| NoticeCategory::parse(&c)))
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
        let (category, page) = (category.get(), page.get());
        async move { api::notices::list(NoticeStatusFilter::Published, category, page).await }
    });

    let updates = LocalResource::new(|| api::submissions::updates(1));
    // Newly published items arrive without a reload; the latest one is announced.
    let latest = RwSignal::new(None::<String>);
    use_live_board(move |event| {
        latest.set(Some(event.title));
        notices.refetch();
        updates.refetch();
    });

    // The server's copy of the board stays until this one can show the same.
    Effect::new(move |_| {
        if notices.with(Option::is_some) && updates.with(Option::is_some) {
            crate::takeover::remove_prerendered();
        }
    });

    let href = move |p: u32| match category.get_untracked() {
        Some(c) => format!("/?category={}&page={p}", c.as_str()),
        None => format!("/?page={p}"),
    };

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, board.title), t_string!(i18n, app_name)) />
        <section class="board">
            <h1>{t!(i18n, board.title)}</h1>
            <p class="lead">{t!(i18n, board.intro)}</p>
            <InstallPrompt />
            <p class="board-tools">
                <A href="/search" attr:class="button small secondary">{t!(i18n, infoboard.nav_search)}</A>
                <A href="/poster" attr:class="button small secondary">{t!(i18n, infoboard.poster_board)}</A>
                <A href="/screen" attr:class="button small secondary">{t!(i18n, infoboard.nav_screen)}</A>
            </p>
            <p class="live-status" role="status">
                {move || latest.get().map(|title| t_string!(i18n, infoboard.live_new, title = title).to_string())}
            </p>
            <CategoryFilter selected=category />
            {move || match notices.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || notices.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    <Show when={
                        let empty = page.items.is_empty();
                        move || empty
                    }>
                        <p class="empty">{t!(i18n, board.empty)}</p>
                    </Show>
                    <div class="card-list">
                        {page.items.iter().cloned().map(|notice| view! { <NoticeCard notice /> }).collect_view()}
                    </div>
                    <Pager page=page.page page_count=page.page_count() total=page.total href />
                }),
            }}
            <section class="updates" aria-labelledby="updates-title">
                <h2 id="updates-title">{t!(i18n, infoboard.updates_title)}</h2>
                {move || updates.get().and_then(Result::ok).map(|page| view! {
                    {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, infoboard.updates_empty)}</p> })}
                    <div class="card-list">
                        {page.items.into_iter().map(|update| view! { <UpdateCard update /> }).collect_view()}
                    </div>
                })}
            </section>
        </section>
    }
}
