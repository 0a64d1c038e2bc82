use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{FormErrors, general_error, refuse_all, show_errors};
use crate::components::loading::Loading;
use crate::components::notice_fields::{NoticeDraft, NoticeFields, PreviewBy};
use crate::components::require_role::RequireRole;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shouwang_api::auth::Role;
use shouwang_api::notices::{Notice, NoticeAction, NoticeStatus};

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

/// The notice editor: the fields of a notice, a Markdown preview rendered by the server
/// exactly as publishing will, and save / publish.
#[component]
fn NoticeForm(initial: Option<Notice>, just_saved: bool) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let id = RwSignal::new(initial.as_ref().map(|n| n.id));
    let status = RwSignal::new(initial.as_ref().map(|n| n.status));
    let draft = NoticeDraft::new(initial.as_ref(), true);
    let errors = RwSignal::new(FormErrors::default());
    let saved_message = RwSignal::new(just_saved.then(|| t_string!(i18n, editor.saved_draft)));

    let save = Action::new_local(move |&publish: &bool| {
        let input = draft.input();
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
        if !refuse_all(i18n, errors, draft.input().errors()) {
            save.dispatch(publish);
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
            <NoticeFields draft errors id="notice" preview_by=PreviewBy::Community />
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
