use crate::components::link::A;
use crate::components::notice_meta::NoticeMetaLine;
use crate::components::street_mark::StreetMark;
use crate::i18n::*;
use leptos::either::Either;
use leptos::prelude::*;
use shouwang_api::notices::NoticeSummary;

/// Whose board a notice is on, where one page lists several communities' boards (the
/// street's): the card names the community and leaves for its address.
pub struct BoardOf {
    pub community_name: String,
    /// The community's board: `/c/<slug>/`.
    pub community_path: String,
}

/// One notice in a board's list. The whole card is the link: a big touch target. A
/// notice that asks households for a receipt says so on the card.
#[component]
pub fn NoticeCard(
    notice: NoticeSummary,
    #[prop(optional)] board_of: Option<BoardOf>,
) -> impl IntoView {
    let i18n = use_i18n();
    let category = notice.category;
    let on_many_boards = board_of.is_some();
    let board_name = board_of
        .as_ref()
        .map(|b| view! { <p class="board-of">{b.community_name.clone()}</p> });
    let title = notice.title.clone();
    let content = view! {
        {board_name}
        <p class="card-tags">
            {notice.pinned.then(|| view! { <span class="tag tag-pinned">{t!(i18n, board.pinned)}</span> })}
            <span class="tag">{move || category_label(i18n, category)}</span>
            {notice.receipt_asked.then(|| view! { <span class="tag tag-warning">{t!(i18n, trial_resident.receipt_asked)}</span> })}
            {notice.from_street.then(|| view! { <StreetMark /> })}
        </p>
        // Under the street's page's own section heading, one level down.
        {if on_many_boards {
            Either::Left(view! { <h3 class="card-title">{title}</h3> })
        } else {
            Either::Right(view! { <h2 class="card-title">{title}</h2> })
        }}
        <NoticeMetaLine
            issuing_body=notice.issuing_body.clone()
            doc_number=notice.doc_number.clone()
            issued_on=notice.issued_on
            published_at=notice.published_at
        />
        <p class="excerpt">{notice.excerpt.clone()}</p>
    };
    let link = match board_of {
        None => Either::Left(view! {
            <A href=format!("/notices/{}", notice.id) attr:class="card-link">{content}</A>
        }),
        // Another community's page: a page load at its own address, not a route of this app.
        Some(board) => Either::Right(view! {
            <a href=format!("{}notices/{}", board.community_path, notice.id) class="card-link" rel="external">{content}</a>
        }),
    };
    view! {
        <article class="card notice-card" class:pinned=notice.pinned>
            {link}
        </article>
    }
}
