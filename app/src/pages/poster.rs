use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::update_card::UpdateCard;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shouwang_api::notices::{Notice, NoticeStatusFilter, NoticeSummary};

fn print_button() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="no-print actions">
            <button type="button" class="button" on:click=move |_| {
                if let Some(w) = web_sys::window() { let _ = w.print(); }
            }>{t!(i18n, infoboard.poster_print)}</button>
        </p>
    }
}

/// A QR code (drawn by the server as SVG) that leads back to `path` online.
fn qr(path: String) -> impl IntoView {
    let i18n = use_i18n();
    let src = crate::base::at(&format!("/api/board/qr.svg?path={path}"));
    view! {
        <figure class="poster-qr">
            <img src=src alt=move || t_string!(i18n, infoboard.poster_scan) width="160" height="160" />
            <figcaption>{t!(i18n, infoboard.poster_scan)}</figcaption>
        </figure>
    }
}

/// One notice laid out for an A4 sheet on the physical bulletin board (公示栏).
#[component]
pub fn NoticePosterPage() -> impl IntoView {
    let params = use_params_map();
    let notice = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
        async move { api::notices::get_one(id.unwrap_or(0)).await }
    });
    view! {
        {move || match notice.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error /> }),
            Some(Ok(notice)) => EitherOf3::C(view! { <NoticePoster notice /> }),
        }}
    }
}

#[component]
fn NoticePoster(notice: Notice) -> impl IntoView {
    let i18n = use_i18n();
    let title = notice.title.clone();
    view! {
        <Title text=title.clone() />
        {print_button()}
        <article class="poster" aria-label=move || t_string!(i18n, infoboard.poster_title)>
            <p class="poster-kicker">{move || category_label(i18n, notice.category)}</p>
            <h1 class="poster-title">{title}</h1>
            <p class="poster-provenance">
                {notice.issuing_body.clone()} " " {notice.doc_number.clone()} " "
                {notice.issued_on.map(format::date)}
            </p>
            // Sanitised by the server (ammonia) when the notice was saved.
            <div class="prose poster-body" inner_html=notice.body_html.clone()></div>
            {qr(format!("/notices/{}", notice.id))}
        </article>
    }
}

/// What fits one A4 sheet at print size (each title and text is clamped to two lines by the
/// print CSS); the QR code leads to the rest.
const POSTER_NOTICES: usize = 6;
const POSTER_UPDATES: usize = 2;

/// Each notice once: the same announcement published twice (a repeated zone change) is
/// one entry on paper. The list is pinned first, newest first, so the first copy is kept.
fn once_each(items: Vec<NoticeSummary>) -> Vec<NoticeSummary> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|n| seen.insert((n.title.clone(), n.excerpt.clone())))
        .collect()
}

/// Today's board on one A4 sheet: the current notices and verified updates.
#[component]
pub fn BoardPosterPage() -> impl IntoView {
    let i18n = use_i18n();
    let notices = LocalResource::new(|| api::notices::list(NoticeStatusFilter::Published, None, 1));
    let updates = LocalResource::new(|| api::submissions::updates(1));

    view! {
        <Title text=move || t_string!(i18n, infoboard.poster_board) />
        {print_button()}
        <article class="poster">
            <h1 class="poster-title">{move || {
                let date = format::date(format::today());
                t_string!(i18n, infoboard.poster_today, date).to_string()
            }}</h1>
            {move || notices.get().and_then(Result::ok).map(|page| view! {
                <ol class="poster-list">
                    {once_each(page.items).into_iter().take(POSTER_NOTICES).map(|n| view! {
                        <li>
                            <strong class="poster-item-title">{n.title}</strong>
                            <span class="meta">" " {n.doc_number} " " {n.published_at.map(format::date_time)}</span>
                            <p class="poster-excerpt">{n.excerpt}</p>
                        </li>
                    }).collect_view()}
                </ol>
            })}
            {move || updates.get().and_then(Result::ok).map(|page| view! {
                <div class="poster-updates">
                    {page.items.into_iter().take(POSTER_UPDATES).map(|update| view! { <UpdateCard update /> }).collect_view()}
                </div>
            })}
            <p class="poster-more">{t!(i18n, trial_resident.poster_more)}</p>
            {qr("/".to_owned())}
        </article>
    }
}
