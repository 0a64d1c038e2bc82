use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::marked_text::MarkedText;
use crate::format;
use crate::i18n::*;
use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use shouwang_api::board::{BoardItemKind, DocNumberAnswer, SearchHit};
use shouwang_api::notices::NoticeStatus;

/// Search the board, and check a forwarded document number (文号).
#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let q = Memo::new(move |_| query.with(|p| p.get("q").unwrap_or_default()));
    let input = RwSignal::new(q.get_untracked());
    let results = LocalResource::new(move || {
        let q = q.get();
        async move {
            if q.trim().is_empty() {
                None
            } else {
                Some(api::board::search(&q, 1).await)
            }
        }
    });
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = input.get_untracked();
        let encoded: String = js_encode(&text);
        navigate(&format!("/search?q={encoded}"), Default::default());
    };
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, infoboard.search_title), t_string!(i18n, app_name)) />
        <section class="search-page">
            <h1>{t!(i18n, infoboard.search_title)}</h1>
            <form class="search-form" role="search" on:submit=go>
                <div class="field">
                    <label for="search-q">{t!(i18n, infoboard.search_label)}</label>
                    <input id="search-q" type="search" placeholder=move || t_string!(i18n, infoboard.search_hint) bind:value=input />
                </div>
                <button type="submit" class="button">{t!(i18n, infoboard.search_button)}</button>
            </form>
            {move || match results.get() {
                None => EitherOf4::A(view! { <Loading /> }),
                Some(None) => EitherOf4::B(()),
                Some(Some(Err(error))) => EitherOf4::C(view! { <ErrorBanner error /> }),
                Some(Some(Ok(page))) => EitherOf4::D(view! {
                    <p class="meta" role="status">{
                        let total = page.total;
                        if total == 0 { Either::Left(view! { {t!(i18n, infoboard.search_empty)} }) }
                        else { Either::Right(view! { {t!(i18n, infoboard.search_total, total = total)} }) }
                    }</p>
                    <ol class="search-results">
                        {page.items.iter().cloned().map(|hit| view! { <SearchResult hit /> }).collect_view()}
                    </ol>
                }),
            }}
            <DocNumberCheck />
        </section>
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = encodeURIComponent)]
    fn js_encode(s: &str) -> String;
}

#[component]
fn SearchResult(hit: SearchHit) -> impl IntoView {
    let i18n = use_i18n();
    let href = match hit.kind {
        BoardItemKind::Notice => format!("/notices/{}", hit.id),
        BoardItemKind::Update => format!("/updates/{}", hit.id),
    };
    let kind = hit.kind;
    view! {
        <li class="card search-hit">
            <p class="card-tags">
                <span class="tag">{move || match kind {
                    BoardItemKind::Notice => t_string!(i18n, infoboard.kind_notice),
                    BoardItemKind::Update => t_string!(i18n, infoboard.kind_update),
                }}</span>
                {hit.doc_number.clone().map(|d| view! { <span class="tag">{d}</span> })}
                {hit.published_at.map(|t| view! { <span class="meta">{format::date_time(t)}</span> })}
            </p>
            <A href=href attr:class="card-title"><MarkedText marked=hit.title_marked.clone() /></A>
            <p class="excerpt"><MarkedText marked=hit.snippet_marked.clone() /></p>
        </li>
    }
}

#[component]
fn DocNumberCheck() -> impl IntoView {
    let i18n = use_i18n();
    let number = RwSignal::new(String::new());
    let check = Action::new_local(move |_: &()| {
        let n = number.get_untracked();
        async move { api::board::doc_number(&n).await }
    });
    view! {
        <section class="doc-check panel">
            <h2>{t!(i18n, infoboard.doc_title)}</h2>
            <p>{t!(i18n, infoboard.doc_intro)}</p>
            <form class="search-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); check.dispatch(()); }>
                <div class="field">
                    <label for="doc-number">{t!(i18n, infoboard.doc_label)}</label>
                    <input id="doc-number" placeholder=move || t_string!(i18n, infoboard.doc_hint) bind:value=number />
                </div>
                <button type="submit" class="button">{t!(i18n, infoboard.doc_button)}</button>
            </form>
            {move || check.value().get().map(|answer| match answer {
                Ok(answer) => Either::Left(view! { <DocAnswer answer /> }),
                Err(error) => Either::Right(view! { <p class="form-error" role="alert">{api_error_text(i18n, &error)}</p> }),
            })}
        </section>
    }
}

#[component]
fn DocAnswer(answer: DocNumberAnswer) -> impl IntoView {
    let i18n = use_i18n();
    if answer.matches.is_empty() {
        let number = answer.doc_number.clone();
        return Either::Left(view! {
            <p class="banner banner-warning" role="status">{t!(i18n, infoboard.doc_none, number = number.clone())}</p>
        });
    }
    Either::Right(view! {
        <div role="status">
            <p>{t!(i18n, infoboard.doc_found)}</p>
            {answer.matches.into_iter().map(|m| {
                let state = move || if m.status == NoticeStatus::Withdrawn {
                    t_string!(i18n, infoboard.doc_withdrawn)
                } else if m.expired {
                    t_string!(i18n, infoboard.doc_expired)
                } else {
                    t_string!(i18n, infoboard.doc_valid)
                };
                view! {
                    <article class="card">
                        <p class="card-tags"><span class="tag">{m.doc_number.clone()}</span><span class="tag">{state}</span></p>
                        <A href=format!("/notices/{}", m.id) attr:class="card-title">{m.title.clone()}</A>
                        <p class="meta">{m.issuing_body.clone()} " " {m.issued_on.map(format::date)}</p>
                        <p class="excerpt">{m.excerpt.clone()}</p>
                        {m.superseded_by.clone().map(|s| view! {
                            <p class="banner banner-warning">{t!(i18n, infoboard.doc_superseded)} " "
                                <A href=format!("/notices/{}", s.id)>{s.title.clone()} " " {s.doc_number.clone()}</A></p>
                        })}
                    </article>
                }
            }).collect_view()}
        </div>
    })
}
