use crate::api::{self, ApiError};
use crate::components::anonymous_setting::AnonymousSetting;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;
use shouwang_api::submissions::ModerationEntry;

/// Every moderation decision, newest first; a block can be lifted from its line. Admins
/// also decide here whether visitors may report without signing in.
#[component]
pub fn ModerationLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let log = LocalResource::new(move || api::submissions::moderation_log(page.get()));
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, receipts.log_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, receipts.log_title)}</h1>
            <Show when=move || session.is_admin()>
                <AnonymousSetting />
            </Show>
            {move || match log.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || log.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    <ul class="rows">
                        {page.items.iter().cloned().map(|entry| view! { <LogLine entry on_done=move || log.refetch() /> }).collect_view()}
                    </ul>
                    <Pager page=page.page page_count=page.page_count() total=page.total href=|p| format!("/staff/moderation/log?page={p}") />
                }),
            }}
        </RequireRole>
    }
}

#[component]
fn LogLine(entry: ModerationEntry, on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<ApiError>);
    let blocked = (entry.action == "block")
        .then(|| entry.detail.as_ref().and_then(|d| d["user_id"].as_i64()))
        .flatten();
    let unblock = Action::new_local(move |user: &i64| {
        let user = *user;
        async move {
            match api::submissions::unblock(user).await {
                Ok(()) => on_done(),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let subject = entry
        .submission_id
        .map(|id| t_string!(i18n, infoboard.item_number, id).to_string())
        .unwrap_or_default();
    view! {
        <li class="row">
            <div class="row-main">
                <p class="row-title">{entry.moderator_name.clone()} " · " {action_label(i18n, &entry.action)} " " {subject}</p>
                <p class="meta">{format::date_time(entry.at)}</p>
                {move || error.get().map(|error| view! { <ErrorBanner error /> })}
            </div>
            {blocked.map(|user| view! {
                <div class="row-actions">
                    <button type="button" class="button small secondary" on:click=move |_| { unblock.dispatch(user); }>{t!(i18n, infoboard.unblock)}</button>
                </div>
            })}
        </li>
    }
}

fn action_label(i18n: I18nContext<Locale>, action: &str) -> String {
    match action {
        "verify" => t_string!(i18n, infoboard.verify).to_string(),
        "reject" => t_string!(i18n, infoboard.reject).to_string(),
        "mark_rumour" => t_string!(i18n, infoboard.mark_rumour).to_string(),
        "merge" => t_string!(i18n, infoboard.merge).to_string(),
        "answer" => t_string!(i18n, trial_zones.answer).to_string(),
        "block" => t_string!(i18n, infoboard.block).to_string(),
        "unblock" => t_string!(i18n, infoboard.unblock).to_string(),
        "settings" => t_string!(i18n, receipts.anonymous_allowed).to_string(),
        other => other.to_owned(),
    }
}
