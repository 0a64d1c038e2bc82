use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::require_role::RequireRole;
use crate::components::shift_card::{ShiftCard, post_name, volunteer_status_label};
use crate::components::street_pool::StreetPool;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::auth::Role;
use shouwang_api::volunteers::VolunteerStatus;

#[component]
pub fn VolunteerHomePage() -> impl IntoView {
    view! {
        <RequireRole min=Role::Volunteer>
            <VolunteerHome />
        </RequireRole>
    }
}

/// A volunteer's own page: their status, their coming shifts with check-in and check-out,
/// their hours, and the private calendar link.
#[component]
fn VolunteerHome() -> impl IntoView {
    let i18n = use_i18n();
    let me = LocalResource::new(api::volunteers::me);
    let mine = LocalResource::new(|| api::shifts::mine(false));
    let hours = LocalResource::new(api::volunteers::my_hours);
    let feedback = RwSignal::new(None::<Result<String, String>>);
    let changed = Callback::new(move |result: Result<String, String>| {
        feedback.set(Some(result));
        mine.refetch();
        hours.refetch();
    });

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, volunteers.home_title), t_string!(i18n, app_name)) />
        <header class="page-header">
            <h1>{t!(i18n, volunteers.home_title)}</h1>
            <A href="/volunteer/shifts" attr:class="button">{t!(i18n, volunteers.browse)}</A>
        </header>
        {move || match me.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error /> }),
            Some(Ok(volunteer)) => {
                let status = volunteer_status_label(i18n, volunteer.status);
                EitherOf3::C(view! {
                    <p class="meta">{t!(i18n, volunteers.my_status, status)}</p>
                    {(volunteer.status == VolunteerStatus::Pending).then(|| view! {
                        <p class="banner" role="status">{t!(i18n, volunteers.pending_banner)}</p>
                    })}
                    {(volunteer.status == VolunteerStatus::Paused).then(|| view! {
                        <p class="banner" role="status">{t!(i18n, volunteers.paused_banner)}</p>
                    })}
                })
            }
        }}
        {move || feedback.get().map(|f| match f {
            Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
            Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
        })}
        <section class="section">
            <h2>{t!(i18n, volunteers.my_shifts)}</h2>
            {move || match mine.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || mine.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, volunteers.no_shifts)}</p> })}
                    <ul class="rows">
                        {page.items.into_iter().map(|signup| view! { <ShiftCard shift=signup.shift changed /> }).collect_view()}
                    </ul>
                }),
            }}
        </section>
        <section class="section">
            <h2>{t!(i18n, volunteers.my_hours)}</h2>
            {move || hours.get().and_then(Result::ok).map(|h| {
                let hours = format!("{:.1}", h.total_minutes as f64 / 60.0);
                let count = h.entries.len();
                view! {
                    <p>{t!(i18n, volunteers.hours_total, hours, count)}</p>
                    <ul class="rows" aria-label=move || t_string!(i18n, volunteers.my_hours)>
                        {h.entries.into_iter().map(|e| {
                            let hours = format!("{:.1}", e.minutes as f64 / 60.0);
                            let line = format!(
                                "{} · {} · {} · {}",
                                post_name(i18n, e.post, e.post_custom.as_deref()),
                                e.place,
                                format::date_time(e.checked_in_at),
                                t_string!(i18n, trial_forms.hours_entry, hours),
                            );
                            view! { <li class="row">{line}</li> }
                        }).collect_view()}
                    </ul>
                }
            })}
        </section>
        {move || me.get().and_then(Result::ok)
            .filter(|v| v.status == VolunteerStatus::Approved)
            .map(|_| view! { <StreetPool /> })}
        <CalendarLink />
    }
}

/// Make or revoke the private `.ics` link.
#[component]
fn CalendarLink() -> impl IntoView {
    let i18n = use_i18n();
    let link = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let make = Action::new_local(move |_: &()| async move {
        match api::volunteers::new_calendar_link().await {
            Ok(made) => {
                let origin = web_sys::window()
                    .and_then(|w| w.location().origin().ok())
                    .unwrap_or_default();
                // The calendar app shows the feed as written: ask for it in the
                // language the volunteer reads.
                let lang = match i18n.get_locale() {
                    Locale::en => "?lang=en",
                    Locale::zh => "",
                };
                link.set(Some(format!(
                    "{origin}{}{lang}",
                    crate::base::at(&made.path)
                )));
                message.set(None);
            }
            Err(error) => message.set(Some(api_error_text(i18n, &error))),
        }
    });
    let revoke = Action::new_local(move |_: &()| async move {
        match api::volunteers::revoke_calendar_link().await {
            Ok(()) => {
                link.set(None);
                message.set(Some(
                    t_string!(i18n, volunteers.calendar_revoked).to_owned(),
                ));
            }
            Err(error) => message.set(Some(api_error_text(i18n, &error))),
        }
    });
    view! {
        <section class="section">
            <h2>{t!(i18n, volunteers.calendar_title)}</h2>
            <p class="hint">{t!(i18n, volunteers.calendar_hint)}</p>
            {move || link.get().map(|url| view! { <CopyableLink url /> })}
            <p role="status">{move || message.get()}</p>
            <div class="actions">
                <button type="button" class="button secondary" on:click=move |_| { make.dispatch(()); }>
                    {t!(i18n, volunteers.calendar_make)}
                </button>
                <button type="button" class="button secondary" on:click=move |_| { revoke.dispatch(()); }>
                    {t!(i18n, volunteers.calendar_revoke)}
                </button>
            </div>
        </section>
    }
}

/// The link in a read-only box with a copy button. Where the clipboard cannot be written
/// (an old browser, a page not served over HTTPS), the text is selected instead so a long
/// press copies it.
#[component]
fn CopyableLink(url: String) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let copied = RwSignal::new(None::<bool>);
    let copy = Action::new_local(move |text: &String| {
        let text = text.clone();
        async move {
            let written = write_clipboard(&text).await;
            if !written && let Some(input) = input.get_untracked() {
                input.select();
            }
            copied.set(Some(written));
        }
    });
    view! {
        <div class="calendar-link">
            <input id="calendar-url" node_ref=input readonly value=url.clone()
                aria-label=move || t_string!(i18n, trial_resident.calendar_url)
                on:focus=move |ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        el.select();
                    }
                } />
            <button type="button" class="button secondary" on:click=move |_| { copy.dispatch(url.clone()); }>
                {t!(i18n, trial_resident.copy)}
            </button>
            <p role="status" class="copy-status">
                {move || copied.get().map(|ok| if ok {
                    t_string!(i18n, trial_resident.copied)
                } else {
                    t_string!(i18n, trial_resident.copy_selected)
                })}
            </p>
        </div>
    }
}

/// `navigator.clipboard.writeText`, when the browser offers it here; false otherwise.
async fn write_clipboard(text: &str) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    // Undefined outside secure contexts, though the binding's type says otherwise.
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        return false;
    }
    let promise = navigator.clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}
