use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::notice_receipt::NoticeReceipt;
use crate::components::status_badge::StatusBadge;
use crate::components::street_mark::StreetMark;
use crate::components::supersede_notice::SupersedeNotice;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shouwang_api::notices::{Notice, NoticeStatus};

/// One notice in full, with where it comes from.
#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let notice = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::notices::get_one(id).await,
                None => Err(api::ApiError::Api {
                    status: 404,
                    code: shouwang_api::ErrorCode::NotFound,
                    field: None,
                    limit: None,
                    retry_after: None,
                }),
            }
        }
    });
    // The server's copy of the notice stays until this one can show it.
    Effect::new(move |_| {
        if notice.with(Option::is_some) {
            crate::takeover::remove_prerendered();
        }
    });
    let i18n = use_i18n();
    view! {
        <p class="back"><A href="/">{t!(i18n, notice.back_to_board)}</A></p>
        {move || match notice.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error /> }),
            Some(Ok(notice)) => EitherOf3::C(view! { <NoticeArticle notice /> }),
        }}
    }
}

#[component]
fn NoticeArticle(notice: Notice) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let expired = notice.expires_at.is_some_and(|t| t <= crate::clock::now());
    let status = notice.status;
    let title = notice.title.clone();
    let notice_id = notice.id;
    let edit_href = format!("/staff/notices/{}/edit", notice.id);
    // The street's notice is the street's: the community's staff read it, never edit it.
    let from_street = notice.from_street;
    let poster_href = format!("/notices/{}/poster", notice.id);
    view! {
        <Title text=title.clone() />
        <article class="notice">
            <header class="notice-header">
                <p class="card-tags">
                    <span class="tag">{move || category_label(i18n, notice.category)}</span>
                    {from_street.then(|| view! { <StreetMark /> })}
                    {(status != NoticeStatus::Published || expired).then(|| view! { <StatusBadge status expired /> })}
                </p>
                <h1>{title}</h1>
                <dl class="provenance">
                    {notice.issuing_body.clone().map(|v| view! { <dt>{t!(i18n, notice.issuing_body)}</dt><dd>{v}</dd> })}
                    {notice.doc_number.clone().map(|v| view! { <dt>{t!(i18n, notice.doc_number)}</dt><dd>{v}</dd> })}
                    {notice.issued_on.map(|v| view! { <dt>{t!(i18n, notice.issued_on)}</dt><dd>{format::date(v)}</dd> })}
                    {notice.published_at.map(|v| view! { <dt>{t!(i18n, notice.published_at)}</dt><dd>{format::date_time(v)}</dd> })}
                    {notice.expires_at.map(|v| view! { <dt>{t!(i18n, notice.expires_at)}</dt><dd>{format::date_time(v)}</dd> })}
                </dl>
            </header>
            {expired.then(|| view! { <p class="banner banner-warning">{t!(i18n, notice.expired_banner)}</p> })}
            {(status != NoticeStatus::Published).then(|| {
                view! {
                    <p class="banner banner-warning">
                        {move || { let status = status_label(i18n, status); t_string!(i18n, notice.not_public_banner, status).to_string() }}
                    </p>
                }
            })}
            // Above the text: on a phone the end of a long notice is many screens away, and a
            // household must see that a receipt is asked before it starts reading.
            <NoticeReceipt notice_id />
            // The server renders Markdown and sanitises the HTML (ammonia) before it is stored.
            <div class="prose" inner_html=notice.body_html></div>
            <p class="actions"><A href=poster_href attr:class="button secondary">{t!(i18n, infoboard.poster)}</A></p>
            <Show when=move || session.is_staff() && from_street>
                <p class="hint">{t!(i18n, street_notices.read_only)}</p>
            </Show>
            <Show when=move || session.is_staff() && !from_street>
                <p class="actions"><A href=edit_href.clone() attr:class="button secondary">{t!(i18n, notice.edit)}</A></p>
                <SupersedeNotice notice_id />
            </Show>
        </article>
    }
}
