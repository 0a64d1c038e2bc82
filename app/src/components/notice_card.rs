use crate::components::link::A;
use crate::components::notice_meta::NoticeMetaLine;
use crate::components::street_mark::StreetMark;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::notices::NoticeSummary;

/// One notice in the board's list. The whole card is the link: a big touch target. A
/// notice that asks households for a receipt says so on the card.
#[component]
pub fn NoticeCard(notice: NoticeSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/notices/{}", notice.id);
    let category = notice.category;
    view! {
        <article class="card notice-card" class:pinned=notice.pinned>
            <A href=href attr:class="card-link">
                <p class="card-tags">
                    {notice.pinned.then(|| view! { <span class="tag tag-pinned">{t!(i18n, board.pinned)}</span> })}
                    <span class="tag">{move || category_label(i18n, category)}</span>
                    {notice.receipt_asked.then(|| view! { <span class="tag tag-warning">{t!(i18n, trial_resident.receipt_asked)}</span> })}
                    {notice.from_street.then(|| view! { <StreetMark /> })}
                </p>
                <h2 class="card-title">{notice.title.clone()}</h2>
                <NoticeMetaLine
                    issuing_body=notice.issuing_body.clone()
                    doc_number=notice.doc_number.clone()
                    issued_on=notice.issued_on
                    published_at=notice.published_at
                />
                <p class="excerpt">{notice.excerpt.clone()}</p>
            </A>
        </article>
    }
}
