use crate::api;
use crate::components::link::A;
use crate::components::live_board::use_live_board;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::notices::NoticeStatusFilter;
use std::time::Duration;

/// How long each item stays on the screen.
const ROTATE: Duration = Duration::from_secs(10);

#[derive(Clone)]
struct Slide {
    kicker: String,
    title: String,
    text: String,
    meta: String,
}

/// Large type, one item at a time, rotating: for an LED display or a kiosk in the
/// community office. New items arrive live.
#[component]
pub fn ScreenPage() -> impl IntoView {
    let i18n = use_i18n();
    let slides = LocalResource::new(move || async move {
        let mut slides = Vec::new();
        if let Ok(page) = api::notices::list(NoticeStatusFilter::Published, None, 1).await {
            slides.extend(page.items.into_iter().map(|n| {
                Slide {
                    kicker: category_label(i18n, n.category).to_owned(),
                    title: n.title,
                    text: n.excerpt,
                    meta: [
                        n.issuing_body,
                        n.doc_number,
                        n.published_at.map(format::date_time),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("  "),
                }
            }));
        }
        if let Ok(page) = api::submissions::updates(1).await {
            slides.extend(page.items.into_iter().take(10).map(|u| {
                Slide {
                    kicker: crate::components::submission_status::submission_category_label(
                        i18n, u.category,
                    )
                    .to_owned(),
                    title: u.place.unwrap_or_default(),
                    text: u.text,
                    meta: format!("{}（{}）", u.provenance.source_who, u.provenance.source_how),
                }
            }));
        }
        slides
    });
    let index = RwSignal::new(0usize);
    if let Ok(handle) =
        set_interval_with_handle(move || index.update(|i| *i = i.wrapping_add(1)), ROTATE)
    {
        on_cleanup(move || handle.clear());
    }
    use_live_board(move |_| {
        index.set(0);
        slides.refetch();
    });
    let current = move || {
        slides.get().and_then(|all| {
            if all.is_empty() {
                None
            } else {
                Some(all[index.get() % all.len()].clone())
            }
        })
    };
    view! {
        <Title text=move || t_string!(i18n, infoboard.screen_title) />
        <section class="screen-mode" aria-live="polite">
            <p class="screen-brand">{t!(i18n, app_name)} " · " {t!(i18n, motto)}</p>
            {move || match current() {
                Some(slide) => view! {
                    <article class="screen-slide">
                        <p class="screen-kicker">{slide.kicker}</p>
                        <h1 class="screen-title">{slide.title}</h1>
                        <p class="screen-text">{slide.text}</p>
                        <p class="screen-meta">{slide.meta}</p>
                    </article>
                }.into_any(),
                None => view! { <p class="screen-title">{t!(i18n, infoboard.screen_empty)}</p> }.into_any(),
            }}
            <A href="/" attr:class="screen-exit">{t!(i18n, infoboard.screen_exit)}</A>
        </section>
    }
}
