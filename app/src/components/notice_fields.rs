//! A notice's fields as its writer fills them, with the body's Markdown preview rendered
//! by the server exactly as publishing will: the community's notice editor and the
//! street's publishing form both write through this one component.

use crate::api;
use crate::components::field::{Field, FormErrors, error_for};
use crate::format;
use crate::i18n::*;
use leptos::either::Either;
use leptos::prelude::*;
use shouwang_api::notices::{
    BODY_MAX, DOC_NUMBER_MAX, ISSUING_BODY_MAX, Notice, NoticeCategory, NoticeInput, TITLE_MAX,
};

/// What the writer has typed so far, field by field.
#[derive(Clone, Copy)]
pub struct NoticeDraft {
    pub title: RwSignal<String>,
    pub body: RwSignal<String>,
    pub category: RwSignal<NoticeCategory>,
    /// None where the issuer is known already (a street signs its own notices).
    pub issuing_body: Option<RwSignal<String>>,
    pub doc_number: RwSignal<String>,
    pub issued_on: RwSignal<String>,
    pub expires_at: RwSignal<String>,
    pub pinned: RwSignal<bool>,
}

impl NoticeDraft {
    /// A draft of `initial` (a notice being edited), or an empty one; `with_issuing_body`
    /// says whether the writer names the issuer.
    pub fn new(initial: Option<&Notice>, with_issuing_body: bool) -> Self {
        let text = |f: fn(&Notice) -> Option<String>| {
            RwSignal::new(initial.and_then(f).unwrap_or_default())
        };
        NoticeDraft {
            title: text(|n| Some(n.title.clone())),
            body: text(|n| Some(n.body.clone())),
            category: RwSignal::new(initial.map(|n| n.category).unwrap_or_default()),
            issuing_body: with_issuing_body.then(|| text(|n| n.issuing_body.clone())),
            doc_number: text(|n| n.doc_number.clone()),
            issued_on: text(|n| n.issued_on.map(format::date)),
            expires_at: text(|n| n.expires_at.map(format::to_local_input)),
            pinned: RwSignal::new(initial.is_some_and(|n| n.pinned)),
        }
    }

    /// The notice as typed, for the shared validation and the request.
    pub fn input(self) -> NoticeInput {
        let optional = |s: String| Some(s).filter(|s| !s.trim().is_empty());
        NoticeInput {
            title: self.title.get_untracked(),
            body: self.body.get_untracked(),
            category: self.category.get_untracked(),
            issuing_body: self.issuing_body.and_then(|b| optional(b.get_untracked())),
            doc_number: optional(self.doc_number.get_untracked()),
            issued_on: format::parse_date(&self.issued_on.get_untracked()),
            expires_at: format::from_local_input(&self.expires_at.get_untracked()),
            pinned: self.pinned.get_untracked(),
        }
    }

    /// Empties what is particular to one notice, after it was sent.
    pub fn clear_text(self) {
        self.title.set(String::new());
        self.body.set(String::new());
        self.doc_number.set(String::new());
    }
}

/// Whose preview renders the body: a community's staff, or the street's.
#[derive(Clone, Copy, PartialEq)]
pub enum PreviewBy {
    Community,
    Street,
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Write,
    Preview,
}

/// The fields of `draft`, their controls' ids starting with `id` (`notice` gives
/// `notice-title`, `notice-body` …), the body under 编辑 / 预览 tabs.
#[component]
pub fn NoticeFields(
    draft: NoticeDraft,
    errors: RwSignal<FormErrors>,
    id: &'static str,
    preview_by: PreviewBy,
    /// The body's height, in lines.
    #[prop(default = 14)]
    body_rows: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    let tab = RwSignal::new(Tab::Write);
    let control = move |name: &str| format!("{id}-{name}");
    let preview = Action::new_local(move |body: &String| {
        let body = body.clone();
        async move {
            match preview_by {
                PreviewBy::Community => api::notices::preview(body).await,
                PreviewBy::Street => api::street::preview(body).await,
            }
        }
    });
    let show_preview = move |_| {
        tab.set(Tab::Preview);
        if !draft.body.get_untracked().trim().is_empty() {
            preview.dispatch(draft.body.get_untracked());
        }
    };
    let doc_number = view! {
        <Field id=control("doc-number") label=move || t_string!(i18n, editor.doc_number)
            hint=move || t_string!(i18n, editor.doc_number_hint) error=error_for(errors, "doc_number") max=DOC_NUMBER_MAX>
            <input id=control("doc-number") maxlength=DOC_NUMBER_MAX bind:value=draft.doc_number />
        </Field>
    };
    let issuer_and_number = match draft.issuing_body {
        Some(issuing_body) => Either::Left(view! {
            <div class="field-row">
                <Field id=control("issuing-body") label=move || t_string!(i18n, editor.issuing_body)
                    hint=move || t_string!(i18n, editor.issuing_body_hint) error=error_for(errors, "issuing_body") max=ISSUING_BODY_MAX>
                    <input id=control("issuing-body") maxlength=ISSUING_BODY_MAX bind:value=issuing_body />
                </Field>
                {doc_number}
            </div>
        }),
        None => Either::Right(doc_number),
    };
    view! {
        <Field id=control("title") label=move || t_string!(i18n, editor.title) error=error_for(errors, "title") max=TITLE_MAX>
            <input id=control("title") maxlength=TITLE_MAX bind:value=draft.title />
        </Field>
        <Field id=control("category") label=move || t_string!(i18n, editor.category) error=error_for(errors, "category")>
            <select
                id=control("category")
                prop:value=move || draft.category.get().as_str()
                on:change=move |ev| draft.category.set(NoticeCategory::parse(&event_target_value(&ev)).unwrap_or_default())
            >
                {NoticeCategory::ALL
                    .into_iter()
                    .map(|c| view! { <option value=c.as_str() selected=move || draft.category.get() == c>{move || category_label(i18n, c)}</option> })
                    .collect_view()}
            </select>
        </Field>
        {issuer_and_number}
        <div class="field-row">
            <Field id=control("issued-on") label=move || t_string!(i18n, editor.issued_on) error=error_for(errors, "issued_on")>
                <input id=control("issued-on") type="date" bind:value=draft.issued_on />
            </Field>
            <Field id=control("expires-at") label=move || t_string!(i18n, editor.expires_at)
                hint=move || t_string!(i18n, editor.expires_at_hint) error=error_for(errors, "expires_at")>
                <input id=control("expires-at") type="datetime-local" bind:value=draft.expires_at />
            </Field>
        </div>
        <label class="check">
            <input type="checkbox" prop:checked=move || draft.pinned.get() on:change=move |ev| draft.pinned.set(event_target_checked(&ev)) />
            <span>{t!(i18n, editor.pinned)}</span>
        </label>
        <div class="tabs" role="tablist">
            <button type="button" role="tab" class="tab" aria-selected=move || (tab.get() == Tab::Write).to_string()
                on:click=move |_| tab.set(Tab::Write)>{t!(i18n, editor.write)}</button>
            <button type="button" role="tab" class="tab" aria-selected=move || (tab.get() == Tab::Preview).to_string()
                on:click=show_preview>{t!(i18n, editor.preview)}</button>
        </div>
        <div class:hidden=move || tab.get() != Tab::Write>
            <Field id=control("body") label=move || t_string!(i18n, editor.body)
                hint=move || t_string!(i18n, editor.body_hint) error=error_for(errors, "body") max=BODY_MAX>
                <textarea id=control("body") rows=body_rows maxlength=BODY_MAX prop:value=move || draft.body.get()
                    on:input=move |ev| draft.body.set(event_target_value(&ev))></textarea>
            </Field>
        </div>
        {move || (tab.get() == Tab::Preview).then(|| match preview.value().get() {
            Some(Ok(rendered)) if !draft.body.with(|b| b.trim().is_empty()) => {
                Either::Left(view! { <div class="prose preview" inner_html=rendered.html></div> })
            }
            _ => Either::Right(view! { <p class="empty preview">{t!(i18n, editor.preview_empty)}</p> }),
        })}
    }
}
