use crate::components::link::A;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::notices::NoticeCategory;

/// Category chips above the board; each is a link, so the choice lives in the URL.
#[component]
pub fn CategoryFilter(#[prop(into)] selected: Signal<Option<NoticeCategory>>) -> impl IntoView {
    let i18n = use_i18n();
    let current =
        move |c: Option<NoticeCategory>| if selected.get() == c { "page" } else { "false" };
    view! {
        <nav class="chips" aria-label=move || t_string!(i18n, board.filter_label)>
            <A href="/" attr:class="chip" attr:aria-current=move || current(None)>
                {t!(i18n, category.all)}
            </A>
            {NoticeCategory::ALL
                .into_iter()
                .map(|c| {
                    view! {
                        <A
                            href=format!("/?category={}", c.as_str())
                            attr:class="chip"
                            attr:aria-current=move || current(Some(c))
                        >
                            {move || category_label(i18n, c)}
                        </A>
                    }
                })
                .collect_view()}
        </nav>
    }
}
