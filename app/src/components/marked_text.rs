use leptos::prelude::*;
use shouwang_api::board::marked_runs;

/// Text whose search matches the server marked: each match becomes a `<mark>`. The
/// text is never parsed as HTML.
#[component]
pub fn MarkedText(#[prop(into)] marked: String) -> impl IntoView {
    marked_runs(&marked)
        .into_iter()
        .map(|(text, is_match)| {
            if is_match {
                view! { <mark>{text}</mark> }.into_any()
            } else {
                text.into_any()
            }
        })
        .collect_view()
}
