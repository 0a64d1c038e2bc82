use crate::api;
use crate::api::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{FormErrors, error_for, general_error, refuse_all, show_errors};
use crate::components::loading::Loading;
use crate::components::notice_fields::{NoticeDraft, NoticeFields, PreviewBy};
use crate::components::pager::Pager;
use crate::format;
use crate::i18n::*;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shouwang_api::deployment::CommunitySummary;
use shouwang_api::street_notices::{StreetNoticeRequest, StreetNoticeSummary};

const FIELDS: &[&str] = &[
    "title",
    "body",
    "category",
    "doc_number",
    "issued_on",
    "expires_at",
    "communities",
];

/// Street staff write a notice once and publish it on the boards of some or all of the
/// street's communities; below, what the street sent, each withdrawable from every board.
#[component]
pub fn StreetNoticesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let street_id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let page =
        Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1)));
    let directory = LocalResource::new(api::deployment::directory);
    let sent = LocalResource::new(move || api::street::sent(page.get()));
    let street = move || {
        let id = street_id.get()?;
        directory
            .get()
            .and_then(Result::ok)
            .and_then(|streets| streets.into_iter().find(|s| s.id == id))
    };
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, street_notices.publish_title), t_string!(i18n, app_name)) />
        <section class="panel">
            <h1>{t!(i18n, street_notices.publish_title)}</h1>
            <p class="lead">{t!(i18n, street_notices.publish_intro)}</p>
            {move || match street() {
                Some(street) => Either::Left(view! {
                    <PublishForm street_name=street.name communities=street.communities on_done=move || sent.refetch() />
                }),
                None => Either::Right(view! { <Loading /> }),
            }}
        </section>
        <section class="panel" aria-labelledby="sent-title">
            <h2 id="sent-title">{t!(i18n, street_notices.sent_title)}</h2>
            {move || match sent.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(ApiError::Api { status: 401 | 403, .. })) => EitherOf3::B(view! {
                    <p class="empty">{t!(i18n, street_notices.street_staff_only)}</p>
                }.into_any()),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || sent.refetch() /> }.into_any()),
                Some(Ok(list)) => EitherOf3::C({
                    let id = street_id.get().unwrap_or_default();
                    let (page, page_count, total) = (list.page, list.page_count(), list.total);
                    view! {
                        {list.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, street_notices.sent_empty)}</p> })}
                        <div class="card-list">
                            {list.items.into_iter().map(|notice| view! {
                                <SentNotice notice on_done=move || sent.refetch() />
                            }).collect_view()}
                        </div>
                        <Pager page page_count total href=move |p| format!("/street/{id}/notices?page={p}") />
                    }
                }),
            }}
        </section>
    }
}

/// The editor's fields where they make sense for a street (no 发布单位: it is the street),
/// and the communities it goes to, all ticked at first.
#[component]
fn PublishForm(
    street_name: String,
    communities: Vec<CommunitySummary>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = NoticeDraft::new(None, false);
    let all_ids: Vec<i64> = communities.iter().map(|c| c.id).collect();
    let chosen = RwSignal::new(all_ids.clone());
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(None::<String>);

    let request = move || {
        let picked = chosen.get_untracked();
        let everyone = all_ids.iter().all(|id| picked.contains(id));
        StreetNoticeRequest {
            notice: draft.input(),
            // Every community ticked: "all", so one added later is not left out by a
            // list written before it existed.
            communities: (!everyone).then_some(picked),
        }
    };
    let publish = Action::new_local(move |request: &StreetNoticeRequest| {
        let request = request.clone();
        async move {
            match api::street::publish(&request).await {
                Ok(sent) => {
                    let count = sent.copies.len();
                    done.set(Some(
                        t_string!(i18n, street_notices.published_ok, count).to_string(),
                    ));
                    draft.clear_text();
                    on_done();
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        done.set(None);
        let request = request();
        if !refuse_all(i18n, errors, request.errors()) {
            publish.dispatch(request);
        }
    };
    let toggle = move |id: i64, on: bool| {
        chosen.update(|ids| {
            ids.retain(|x| *x != id);
            if on {
                ids.push(id);
            }
        });
    };

    view! {
        <form class="editor" novalidate on:submit=submit>
            <p class="meta">{t!(i18n, street_notices.issued_as, street = street_name.clone())}</p>
            <NoticeFields draft errors id="street-notice" preview_by=PreviewBy::Street body_rows=8 />
            <fieldset class="community-picks" aria-describedby="street-notice-communities-error">
                <legend>{t!(i18n, street_notices.communities)}</legend>
                {communities.into_iter().map(|c| {
                    let id = c.id;
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || chosen.with(|ids| ids.contains(&id))
                                on:change=move |ev| toggle(id, event_target_checked(&ev)) />
                            <span>{c.name}</span>
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" id="street-notice-communities-error" aria-live="polite">{move || error_for(errors, "communities").get()}</p>
            </fieldset>
            <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
            <p class="form-ok" role="status">{move || done.get()}</p>
            <div class="actions">
                <button type="submit" class="button" disabled=move || publish.pending().get()>
                    {move || if publish.pending().get() { t_string!(i18n, street_notices.publishing) } else { t_string!(i18n, street_notices.publish) }}
                </button>
            </div>
        </form>
    }
}

/// One notice the street sent: where it went (each copy's page), and withdrawing it from
/// every board.
#[component]
fn SentNotice(
    notice: StreetNoticeSummary,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = notice.id;
    let who = notice.sent_by.clone();
    let time = format::date_time(notice.created_at);
    let withdraw = Action::new_local(move |_: &()| async move {
        let result = api::street::withdraw(id).await;
        if result.is_ok() {
            on_done();
        }
        result
    });
    let ask = move |_| {
        let sure = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(t_string!(i18n, street_notices.withdraw_confirm))
                    .ok()
            })
            .unwrap_or(false);
        if sure {
            withdraw.dispatch(());
        }
    };
    view! {
        <article class="card" aria-label=notice.title.clone()>
            <p class="card-tags">
                <span class="tag">{move || category_label(i18n, notice.category)}</span>
                {notice.withdrawn_at.is_some().then(|| view! { <span class="tag">{t!(i18n, street_notices.withdrawn)}</span> })}
            </p>
            <h3 class="card-title">{notice.title.clone()}</h3>
            <p class="meta">{move || t_string!(i18n, street_notices.sent_by, who = who.clone(), time = time.clone()).to_string()}</p>
            <p class="meta">
                {t!(i18n, street_notices.sent_to)}
                {notice.copies.into_iter().enumerate().map(|(i, copy)| view! {
                    {(i > 0).then_some("、")}
                    <a href=copy.path rel="external">{copy.community_name}</a>
                }).collect_view()}
            </p>
            {notice.withdrawn_at.is_none().then(|| view! {
                <p class="actions">
                    <button type="button" class="button small secondary" on:click=ask disabled=move || withdraw.pending().get()>
                        {t!(i18n, street_notices.withdraw)}
                    </button>
                </p>
            })}
            {move || withdraw.value().get().and_then(Result::err).map(|error| view! { <ErrorBanner error /> })}
        </article>
    }
}
