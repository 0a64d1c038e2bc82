use crate::components::link::A;
use crate::i18n::*;
use leptos::prelude::*;

/// Previous / next links and "page 2 of 7". `href` builds the link for a page number.
#[component]
pub fn Pager(
    page: u32,
    page_count: u32,
    total: u64,
    href: impl Fn(u32) -> String + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < page_count).then(|| href(page + 1));
    let pages = page_count;
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, common.page_of, page, pages)>
            {previous.map(|h| view! { <A href=h attr:class="button secondary" attr:rel="prev">{t!(i18n, common.previous_page)}</A> })}
            <span class="pager-status">
                {t!(i18n, common.page_of, page, pages)}
                " · "
                {t!(i18n, common.total_items, total)}
            </span>
            {next.map(|h| view! { <A href=h attr:class="button secondary" attr:rel="next">{t!(i18n, common.next_page)}</A> })}
        </nav>
    }
}
