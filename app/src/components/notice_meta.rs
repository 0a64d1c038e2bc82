use crate::format;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;

/// "天津市民政局 · 津民发〔2020〕13号 · 2020-04-18": where a notice comes from, in a line.
#[component]
pub fn NoticeMetaLine(
    issuing_body: Option<String>,
    doc_number: Option<String>,
    issued_on: Option<NaiveDate>,
    published_at: Option<DateTime<Utc>>,
) -> impl IntoView {
    let date = issued_on
        .map(format::date)
        .or_else(|| published_at.map(|t| format::date(t.date_naive())));
    let parts: Vec<String> = [issuing_body, doc_number, date]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| view! { <p class="meta">{parts.join(" · ")}</p> })
}
