use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::components::loading::Loading;
use crate::components::require_role::RequireRole;
use crate::format;
use crate::i18n::*;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shouwang_api::auth::Role;
use shouwang_api::notices::{
    BODY_MAX, DOC_NUMBER_MAX, ISSUING_BODY_MAX, Notice, NoticeAction, NoticeCategory, NoticeInput,
    NoticeStatus, TITLE_MAX,
};

const FIELDS: &[&str] = &[
    "title",
    "body",
    "category",
    "issuing_body",
    "doc_number",
    "issued_on",
    "expires_at",
];

#[component]
pub fn NewNoticePage() -> impl IntoView {
    view! {
        <RequireRole min=Role::Staff>
            <NoticeForm initial=None just_saved=false />
        </RequireRole>
    }
}

#[component]
pub fn EditNoticePage() -> impl IntoView {
    let params = use_params_map();
    // A new draft's first save moves here with `?saved=1`, so the editor can say so.
    let just_saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let notice = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
        async move { api::notices::get_one(id.unwrap_or(0)).await }
    });
    view! {
        <RequireRole min=Role::Staff>
            {move || match notice.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error /> }),
                Some(Ok(notice)) => EitherOf3::C(view! { <NoticeForm initial=Some(notice) just_saved /> }),
            }}
        </RequireRole>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Write,
    Preview,
}

/// The notice editor: the fields of a notice, a Markdown preview rendered by the server
/// exactly as publishing will, and save / publish.
#[component]
fn NoticeForm(initial: Option<Notice>, just_saved: bool) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let id = RwSignal::new(initial.as_ref().map(|n| n.id));
    let status = RwSignal::new(initial.as_ref().map(|n| n.status));
    let title = RwSignal::new(
        initial
            .as_ref()
            .map(|n| n.title.clone())
            .unwrap_or_default(),
    );
    let body = RwSignal::new(initial.as_ref().map(|n| n.body.clone()).unwrap_or_default());
    let category = RwSignal::new(initial.as_ref().map(|n| n.category).unwrap_or_default());
    let issuing_body = RwSignal::new(
        initial
            .as_ref()
            .and_then(|n| n.issuing_body.clone())
            .unwrap_or_default(),
    );
    let doc_number = RwSignal::new(
        initial
            .as_ref()
            .and_then(|n| n.doc_number.clone())
            .unwrap_or_default(),
    );
    let issued_on = RwSignal::new(
        initial
            .as_ref()
            .and_then(|n| n.issued_on)
            .map(format::date)
            .unwrap_or_default(),
    );
    let expires_at = RwSignal::new(
        initial
            .as_ref()
            .and_then(|n| n.expires_at)
            .map(format::to_local_input)
            .unwrap_or_default(),
    );
    let pinned = RwSignal::new(initial.as_ref().is_some_and(|n| n.pinned));
    let errors = RwSignal::new(FormErrors::default());
    let saved_message = RwSignal::new(just_saved.then(|| t_string!(i18n, editor.saved_draft)));
    let tab = RwSignal::new(Tab::Write);

    let optional = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let input = move || NoticeInput {
        title: title.get_untracked(),
        body: body.get_untracked(),
        category: category.get_untracked(),
        issuing_body: optional(issuing_body.get_untracked()),
        doc_number: optional(doc_number.get_untracked()),
        issued_on: format::parse_date(&issued_on.get_untracked()),
        expires_at: format::from_local_input(&expires_at.get_untracked()),
        pinned: pinned.get_untracked(),
    };

    let save = Action::new_local(move |&publish: &bool| {
        let input = input();
        let navigate = navigate.clone();
        async move {
            errors.set(FormErrors::default());
            saved_message.set(None);
            let was_new = id.get_untracked().is_none();
            let saved = match id.get_untracked() {
                Some(id) => api::notices::update(id, &input).await,
                None => api::notices::create(&input).await,
            };
            let mut notice = match saved {
                Ok(notice) => notice,
                Err(error) => return show_errors(errors, form_error(i18n, &error)),
            };
            id.set(Some(notice.id));
            if publish && notice.status.after(NoticeAction::Publish).is_some() {
                match api::notices::publish(notice.id).await {
                    Ok(published) => notice = published,
                    Err(error) => return show_errors(errors, form_error(i18n, &error)),
                }
            }
            status.set(Some(notice.status));
            if publish {
                navigate(&format!("/notices/{}", notice.id), Default::default());
            } else {
                if was_new {
                    let options = NavigateOptions {
                        replace: true,
                        ..Default::default()
                    };
                    navigate(
                        &format!("/staff/notices/{}/edit?saved=1", notice.id),
                        options,
                    );
                } else {
                    saved_message.set(Some(t_string!(i18n, editor.saved_draft)));
                }
            }
        }
    });
    // Every field is checked before anything is sent; the first refused one gets focus.
    let save_checked = move |publish: bool| {
        errors.set(FormErrors::default());
        if !refuse_all(i18n, errors, input().errors()) {
            save.dispatch(publish);
        }
    };

    let preview = Action::new_local(|body: &String| {
        let body = body.clone();
        async move { api::notices::preview(body).await }
    });
    let show_preview = move |_| {
        tab.set(Tab::Preview);
        if !body.get_untracked().trim().is_empty() {
            preview.dispatch(body.get_untracked());
        }
    };

    let heading = move || {
        if id.get().is_some() {
            t_string!(i18n, editor.edit_title)
        } else {
            t_string!(i18n, editor.new_title)
        }
    };
    let published = move || status.get() == Some(NoticeStatus::Published);

    view! {
        <Title text=move || format!("{} · {}", heading(), t_string!(i18n, app_name)) />
        <header class="page-header">
            <h1>{heading}</h1>
            {move || status.get().map(|s| {
                let status = status_label(i18n, s);
                view! { <p class="meta">{t!(i18n, editor.status_now, status)}</p> }
            })}
        </header>
        <form class="editor" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save_checked(false); }>
            <Field id="notice-title" label=move || t_string!(i18n, editor.title) error=error_for(errors, "title") max=TITLE_MAX>
                <input id="notice-title" maxlength=TITLE_MAX bind:value=title />
            </Field>
            <Field id="notice-category" label=move || t_string!(i18n, editor.category) error=error_for(errors, "category")>
                <select
                    id="notice-category"
                    prop:value=move || category.get().as_str()
                    on:change=move |ev| category.set(NoticeCategory::parse(&event_target_value(&ev)).unwrap_or_default())
                >
                    {NoticeCategory::ALL
                        .into_iter()
                        .map(|c| view! { <option value=c.as_str() selected=move || category.get() == c>{move || category_label(i18n, c)}</option> })
                        .collect_view()}
                </select>
            </Field>
            <div class="field-row">
                <Field id="notice-issuing-body" label=move || t_string!(i18n, editor.issuing_body)
                    hint=move || t_string!(i18n, editor.issuing_body_hint) error=error_for(errors, "issuing_body") max=ISSUING_BODY_MAX>
                    <input id="notice-issuing-body" maxlength=ISSUING_BODY_MAX bind:value=issuing_body />
                </Field>
                <Field id="notice-doc-number" label=move || t_string!(i18n, editor.doc_number)
                    hint=move || t_string!(i18n, editor.doc_number_hint) error=error_for(errors, "doc_number") max=DOC_NUMBER_MAX>
                    <input id="notice-doc-number" maxlength=DOC_NUMBER_MAX bind:value=doc_number />
                </Field>
            </div>
            <div class="field-row">
                <Field id="notice-issued-on" label=move || t_string!(i18n, editor.issued_on) error=error_for(errors, "issued_on")>
                    <input id="notice-issued-on" type="date" bind:value=issued_on />
                </Field>
                <Field id="notice-expires-at" label=move || t_string!(i18n, editor.expires_at)
                    hint=move || t_string!(i18n, editor.expires_at_hint) error=error_for(errors, "expires_at")>
                    <input id="notice-expires-at" type="datetime-local" bind:value=expires_at />
                </Field>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || pinned.get() on:change=move |ev| pinned.set(event_target_checked(&ev)) />
                <span>{t!(i18n, editor.pinned)}</span>
            </label>
            <div class="tabs" role="tablist">
                <button type="button" role="tab" class="tab" aria-selected=move || (tab.get() == Tab::Write).to_string()
                    on:click=move |_| tab.set(Tab::Write)>{t!(i18n, editor.write)}</button>
                <button type="button" role="tab" class="tab" aria-selected=move || (tab.get() == Tab::Preview).to_string()
                    on:click=show_preview>{t!(i18n, editor.preview)}</button>
            </div>
            <div class:hidden=move || tab.get() != Tab::Write>
                <Field id="notice-body" label=move || t_string!(i18n, editor.body)
                    hint=move || t_string!(i18n, editor.body_hint) error=error_for(errors, "body") max=BODY_MAX>
                    <textarea id="notice-body" rows="14" maxlength=BODY_MAX prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                </Field>
            </div>
            {move || (tab.get() == Tab::Preview).then(|| match preview.value().get() {
                Some(Ok(rendered)) if !body.with(|b| b.trim().is_empty()) => {
                    Either::Left(view! { <div class="prose preview" inner_html=rendered.html></div> })
                }
                _ => Either::Right(view! { <p class="empty preview">{t!(i18n, editor.preview_empty)}</p> }),
            })}
            <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
            <p class="form-ok" role="status">{move || saved_message.get()}</p>
            <div class="actions">
                <button type="submit" class="button secondary" disabled=move || save.pending().get()>
                    {move || if published() { t_string!(i18n, editor.save) } else { t_string!(i18n, editor.save_draft) }}
                </button>
                <Show when=move || !published()>
                    <button type="button" class="button" disabled=move || save.pending().get()
                        on:click=move |_| save_checked(true)>
                        {t!(i18n, editor.save_and_publish)}
                    </button>
                </Show>
            </div>
        </form>
    }
}
