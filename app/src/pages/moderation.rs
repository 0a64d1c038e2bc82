use crate::api::{self, ApiError};
use crate::components::batch_moderation::BatchModeration;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::components::submission_photo::SubmissionPhoto;
use crate::components::submission_status::{
    SubmissionStatusBadge, submission_category_label, submission_status_label,
};
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use shouwang_api::auth::Role;
use shouwang_api::notices::TITLE_MAX;
use shouwang_api::submissions::{
    ANSWER_MAX, AnswerInput, BlockInput, DEBUNK_BODY_MAX, QueueItem, REASON_MAX, RejectInput,
    RumourInput, SOURCE_MAX, SubmissionCategory, SubmissionStatus, TEXT_MAX, VerifyInput,
    may_answer,
};
use shouwang_api::{ErrorCode, FieldError};

/// The fields of a moderation form; an error naming another belongs to the whole form.
const FIELDS: &[&str] = &[
    "source_who",
    "source_how",
    "text",
    "reason",
    "title",
    "body",
    "into",
    "answer",
];

/// The moderation queue: pending reports oldest first, each with its submitter's
/// record, and the verdicts a moderator can give.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let status = Memo::new(move |_| {
        query.with(|q| {
            q.get("status")
                .and_then(|s| SubmissionStatus::parse(&s))
                .unwrap_or(SubmissionStatus::Pending)
        })
    });
    let category = Memo::new(move |_| {
        query.with(|q| {
            q.get("category")
                .and_then(|c| SubmissionCategory::parse(&c))
        })
    });
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let queue = LocalResource::new(move || {
        let (status, category, page) = (status.get(), category.get(), page.get());
        async move { api::submissions::queue(status, category, page).await }
    });
    let href = move |status: SubmissionStatus, category: Option<SubmissionCategory>, page: u32| {
        let mut url = format!("/staff/moderation?status={}&page={page}", status.as_str());
        if let Some(c) = category {
            url.push_str("&category=");
            url.push_str(c.as_str());
        }
        url
    };
    let go = move |url: String| navigate.with_value(|n| n(&url, Default::default()));
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, infoboard.moderation_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, infoboard.moderation_title)}</h1>
            <p><A href="/staff/moderation/log">{t!(i18n, receipts.log_title)}</A></p>
            <div class="field-row filters">
                <div class="field">
                    <label for="queue-status">{t!(i18n, infoboard.filter_status)}</label>
                    <select id="queue-status" on:change=move |ev| {
                        let s = SubmissionStatus::parse(&event_target_value(&ev)).unwrap_or(SubmissionStatus::Pending);
                        go(href(s, category.get_untracked(), 1));
                    }>
                        {SubmissionStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || status.get() == s>{move || submission_status_label(i18n, s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="queue-category">{t!(i18n, infoboard.filter_category)}</label>
                    <select id="queue-category" on:change=move |ev| {
                        let c = SubmissionCategory::parse(&event_target_value(&ev));
                        go(href(status.get_untracked(), c, 1));
                    }>
                        <option value="" selected=move || category.get().is_none()>{t!(i18n, infoboard.all_categories)}</option>
                        {SubmissionCategory::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=move || category.get() == Some(c)>{move || submission_category_label(i18n, c)}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {move || match queue.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || queue.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, infoboard.moderation_empty)}</p> })}
                    <BatchModeration items=page.items.clone() on_done=move || queue.refetch() />
                    <div class="card-list">
                        {page.items.iter().cloned().map(|item| view! { <QueueCard item on_done=move || queue.refetch() /> }).collect_view()}
                    </div>
                    <Pager page=page.page page_count=page.page_count() total=page.total
                        href=move |p| href(status.get_untracked(), category.get_untracked(), p) />
                }),
            }}
        </RequireRole>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Closed,
    Verify,
    Reject,
    Rumour,
    Merge,
    Block,
    Answer,
}

#[component]
fn QueueCard(item: QueueItem, on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let id = item.id;
    let category = item.category;
    let mode = RwSignal::new(Mode::Closed);
    let who = RwSignal::new(String::new());
    let how = RwSignal::new(String::new());
    let edited = RwSignal::new(item.text.clone());
    let reason = RwSignal::new(String::new());
    let title = RwSignal::new(String::from("【辟谣】"));
    let body = RwSignal::new(String::new());
    let into = RwSignal::new(String::new());
    let answer = RwSignal::new(String::new());
    let publish_qa = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let original = item.text.clone();
    let submitter = item.submitter.clone();
    let submitter_id = submitter.user_id;
    let pending = item.status == SubmissionStatus::Pending;

    let act = Action::new_local(move |m: &Mode| {
        let m = *m;
        let original = original.clone();
        async move {
            let result: Result<(), ApiError> = match m {
                Mode::Verify => {
                    let text = edited.get_untracked();
                    let input = VerifyInput {
                        source_who: who.get_untracked(),
                        source_how: how.get_untracked(),
                        text: (text.trim() != original.trim()).then_some(text),
                    };
                    api::submissions::verify(id, &input).await.map(|_| ())
                }
                Mode::Reject => api::submissions::reject(
                    id,
                    &RejectInput {
                        reason: reason.get_untracked(),
                    },
                )
                .await
                .map(|_| ()),
                Mode::Rumour => {
                    let input = RumourInput {
                        title: title.get_untracked(),
                        body: body.get_untracked(),
                        source_who: who.get_untracked(),
                        source_how: how.get_untracked(),
                    };
                    api::submissions::rumour(id, &input).await.map(|_| ())
                }
                Mode::Merge => match into
                    .get_untracked()
                    .trim()
                    .trim_start_matches('#')
                    .parse::<i64>()
                {
                    Ok(target) => api::submissions::merge(id, target).await.map(|_| ()),
                    Err(_) => Err(ApiError::from(FieldError::new(
                        "into",
                        ErrorCode::InvalidValue,
                    ))),
                },
                Mode::Block => match submitter_id {
                    Some(user) => {
                        api::submissions::block(
                            user,
                            &BlockInput {
                                reason: reason.get_untracked(),
                            },
                        )
                        .await
                    }
                    None => Ok(()),
                },
                Mode::Answer => {
                    let input = AnswerInput {
                        answer: answer.get_untracked(),
                        publish: publish_qa.get_untracked(),
                    };
                    api::submissions::answer(id, &input).await.map(|_| ())
                }
                Mode::Closed => Ok(()),
            };
            match result {
                Ok(()) => {
                    mode.set(Mode::Closed);
                    on_done();
                }
                Err(e) => show_errors(errors, form_error(i18n, &e)),
            }
        }
    });

    // Every field of the chosen verdict is checked before anything is sent.
    let submit = move |m: Mode| {
        errors.set(FormErrors::default());
        let found = match m {
            Mode::Verify => VerifyInput {
                source_who: who.get_untracked(),
                source_how: how.get_untracked(),
                text: Some(edited.get_untracked()),
            }
            .errors(),
            Mode::Rumour => RumourInput {
                title: title.get_untracked(),
                body: body.get_untracked(),
                source_who: who.get_untracked(),
                source_how: how.get_untracked(),
            }
            .errors(),
            Mode::Reject | Mode::Block => RejectInput {
                reason: reason.get_untracked(),
            }
            .validate()
            .err()
            .into_iter()
            .collect(),
            Mode::Answer => AnswerInput {
                answer: answer.get_untracked(),
                publish: false,
            }
            .validate()
            .err()
            .into_iter()
            .collect(),
            Mode::Merge | Mode::Closed => Vec::new(),
        };
        if !refuse_all(i18n, errors, found) {
            act.dispatch(m);
        }
    };
    let history = {
        let s = submitter.clone();
        move || {
            let name = s
                .display_name
                .clone()
                .unwrap_or_else(|| t_string!(i18n, infoboard.anonymous).to_string());
            t_string!(
                i18n,
                infoboard.history,
                name = name,
                total = s.total,
                published = s.published,
                rejected = s.rejected,
                rumour = s.rumour
            )
            .to_string()
        }
    };
    let grouped = item.grouped;
    let created = format::date_time(item.created_at);
    let f = move |suffix: &str| format!("q{id}-{suffix}");
    let source_fields = move || {
        view! {
            <Field id=f("who") label=move || t_string!(i18n, infoboard.source_who) error=error_for(errors, "source_who") max=SOURCE_MAX>
                <input id=f("who") maxlength=SOURCE_MAX bind:value=who />
            </Field>
            <Field id=f("how") label=move || t_string!(i18n, infoboard.source_how) error=error_for(errors, "source_how") max=SOURCE_MAX>
                <input id=f("how") maxlength=SOURCE_MAX placeholder=move || t_string!(i18n, infoboard.source_how_hint) bind:value=how />
            </Field>
        }
    };
    let button = move |m: Mode, label: &'static str| {
        view! {
            <button type="button" class="button small secondary" aria-pressed=move || (mode.get() == m).to_string()
                on:click=move |_| mode.set(if mode.get_untracked() == m { Mode::Closed } else { m })>{label}</button>
        }
    };

    view! {
        <article class="card queue-card" aria-label=move || t_string!(i18n, infoboard.item_number, id = id).to_string()>
            <p class="card-tags">
                <span class="tag">{move || t_string!(i18n, infoboard.item_number, id = id).to_string()}</span>
                <SubmissionStatusBadge status=item.status />
                <span class="tag">{move || submission_category_label(i18n, category)}</span>
                {item.place.clone().map(|p| view! { <span class="tag">{p}</span> })}
                {submitter.blocked.then(|| view! { <span class="tag status-withdrawn">{t!(i18n, infoboard.blocked)}</span> })}
            </p>
            <p class="update-text">{item.text.clone()}</p>
            {item.published_text.clone().map(|t| view! { <p class="update-text edited">{t}</p> })}
            {item.has_photo.then(|| view! { <SubmissionPhoto id /> })}
            <p class="meta">{created} " · " {history}</p>
            {(grouped > 0).then(|| view! { <p class="meta">{t!(i18n, infoboard.grouped, count = grouped)}</p> })}
            {item.reject_reason.clone().map(|r| view! { <p class="reject-reason">{r}</p> })}
            {item.answer.clone().map(|a| view! { <p class="answer">{t_string!(i18n, trial_zones.answered, answer = a).to_string()}</p> })}
            <Show when=move || pending>
                <div class="row-actions wrap">
                    {move || may_answer(category).then(|| button(Mode::Answer, t_string!(i18n, trial_zones.answer)))}
                    {move || button(Mode::Verify, t_string!(i18n, infoboard.verify))}
                    {move || button(Mode::Reject, t_string!(i18n, infoboard.reject))}
                    {move || button(Mode::Rumour, t_string!(i18n, infoboard.mark_rumour))}
                    {move || button(Mode::Merge, t_string!(i18n, infoboard.merge))}
                    {move || submitter_id.is_some().then(|| button(Mode::Block, t_string!(i18n, infoboard.block)))}
                </div>
            </Show>
            {move || (mode.get() != Mode::Closed).then(|| view! {
                <form class="moderation-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); submit(mode.get_untracked()); }>
                    {match mode.get() {
                        Mode::Verify => view! {
                            {source_fields()}
                            <Field id=f("text") label=move || t_string!(i18n, infoboard.edited_text) error=error_for(errors, "text") max=TEXT_MAX>
                                <textarea id=f("text") rows="4" maxlength=TEXT_MAX prop:value=move || edited.get() on:input=move |ev| edited.set(event_target_value(&ev))></textarea>
                            </Field>
                        }.into_any(),
                        Mode::Reject => view! {
                            <Field id=f("reason") label=move || t_string!(i18n, infoboard.reason) error=error_for(errors, "reason") max=REASON_MAX>
                                <input id=f("reason") maxlength=REASON_MAX bind:value=reason />
                            </Field>
                        }.into_any(),
                        Mode::Block => view! {
                            <Field id=f("reason") label=move || t_string!(i18n, infoboard.block_reason) error=error_for(errors, "reason") max=REASON_MAX>
                                <input id=f("reason") maxlength=REASON_MAX bind:value=reason />
                            </Field>
                        }.into_any(),
                        Mode::Rumour => view! {
                            <Field id=f("title") label=move || t_string!(i18n, infoboard.debunk_title) error=error_for(errors, "title") max=TITLE_MAX>
                                <input id=f("title") maxlength=TITLE_MAX bind:value=title />
                            </Field>
                            <Field id=f("body") label=move || t_string!(i18n, infoboard.debunk_body) error=error_for(errors, "body") max=DEBUNK_BODY_MAX>
                                <textarea id=f("body") rows="5" maxlength=DEBUNK_BODY_MAX prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                            </Field>
                            {source_fields()}
                        }.into_any(),
                        Mode::Merge => view! {
                            <Field id=f("into") label=move || t_string!(i18n, infoboard.merge_into) error=error_for(errors, "into")>
                                <input id=f("into") inputmode="numeric" bind:value=into />
                            </Field>
                        }.into_any(),
                        Mode::Answer => view! {
                            <Field id=f("answer") label=move || t_string!(i18n, trial_zones.answer_text) error=error_for(errors, "answer") max=ANSWER_MAX>
                                <textarea id=f("answer") rows="4" maxlength=ANSWER_MAX prop:value=move || answer.get() on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                            </Field>
                            <label class="check">
                                <input type="checkbox" bind:checked=publish_qa />
                                {t!(i18n, trial_zones.answer_publish)}
                            </label>
                            <p class="hint">{t!(i18n, trial_zones.answer_hint)}</p>
                        }.into_any(),
                        Mode::Closed => ().into_any(),
                    }}
                    <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                    <div class="actions">
                        <button type="submit" class="button" disabled=move || act.pending().get()>{t!(i18n, infoboard.confirm)}</button>
                    </div>
                </form>
            })}
        </article>
    }
}
