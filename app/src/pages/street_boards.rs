use crate::api;
use crate::api::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::notice_card::{BoardOf, NoticeCard};
use crate::components::pager::Pager;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Every board of the street on one page: a link to each community's board, then their
/// public notices together, newest first, each saying whose board it is on.
#[component]
pub fn StreetBoardsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let street_id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let page =
        Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1)));
    let boards = LocalResource::new(move || api::street::boards(page.get()));
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, street_notices.boards_title), t_string!(i18n, app_name)) />
        {move || match boards.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(ApiError::Api { status: 401 | 403, .. })) => EitherOf3::B(view! {
                <p class="empty">{t!(i18n, street_notices.street_staff_only)}</p>
            }.into_any()),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || boards.refetch() /> }.into_any()),
            Some(Ok(b)) => EitherOf3::C({
                let id = street_id.get();
                let (page, page_count, total) = (b.latest.page, b.latest.page_count(), b.latest.total);
                view! {
                    <h1>{b.street_name.clone()} " · " {t!(i18n, street_notices.boards_title)}</h1>
                    <p class="lead">{t!(i18n, street_notices.boards_intro)}</p>
                    <section aria-labelledby="board-links">
                        <h2 id="board-links">{t!(i18n, street_notices.boards_links)}</h2>
                        <ul class="board-links">
                            {b.boards.into_iter().map(|board| view! {
                                <li><a class="button small secondary" href=board.path rel="external">{board.name}</a></li>
                            }).collect_view()}
                        </ul>
                    </section>
                    <section aria-labelledby="board-latest">
                        <h2 id="board-latest">{t!(i18n, street_notices.boards_latest)}</h2>
                        {b.latest.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, street_notices.boards_empty)}</p> })}
                        <div class="card-list">
                            {b.latest.items.into_iter().map(|item| {
                                let board_of = BoardOf {
                                    community_name: item.community_name,
                                    community_path: item.community_path,
                                };
                                view! { <NoticeCard notice=item.notice board_of /> }
                            }).collect_view()}
                        </div>
                        <Pager page page_count total href=move |p| format!("/street/{id}/boards?page={p}") />
                    </section>
                }
            }),
        }}
    }
}
