use crate::api;
use crate::components::shift_card;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use shouwang_api::notifications::Notification;

type Render = fn(I18nContext<Locale>, &serde_json::Value) -> String;

/// How each kind of notification reads. Features add their kinds here, as
/// `("shift.promoted", |i18n, params| ...)`.
const KINDS: &[(&str, Render)] = &[
    ("residents.merge_request", |i18n, _| {
        t_string!(i18n, residents.merge_notification).to_string()
    }),
    ("shift.promoted", shift_card::notify_promoted),
    ("shift.cancelled", shift_card::notify_shift_cancelled),
    ("volunteer.approved", shift_card::notify_approved),
    ("volunteer.paused", shift_card::notify_paused),
    ("volunteer.removed", shift_card::notify_removed),
    ("submission.verified", |i18n, _| {
        t_string!(i18n, infoboard.notify_verified).to_string()
    }),
    ("submission.rejected", |i18n, params| {
        let reason = params["reason"].as_str().unwrap_or_default().to_owned();
        t_string!(i18n, infoboard.notify_rejected, reason = reason).to_string()
    }),
    ("submission.answered", |i18n, _| {
        t_string!(i18n, trial_zones.notify_answered).to_string()
    }),
    ("submission.rumour", |i18n, _| {
        t_string!(i18n, infoboard.notify_rumour).to_string()
    }),
    ("receipt.debunk", |i18n, _| {
        t_string!(i18n, receipts.notify_debunk).to_string()
    }),
    (
        "supply.state",
        crate::components::supply_labels::notify_state,
    ),
    ("supply.assignment", |i18n, _| {
        t_string!(i18n, supplies.notify_assignment).to_string()
    }),
    ("supply.pickup_locked", |i18n, _| {
        t_string!(i18n, supplies.notify_pickup_locked).to_string()
    }),
    ("health.flagged", |i18n, params| {
        let name = params["name"].as_str().unwrap_or_default().to_owned();
        t_string!(i18n, health.notify_flagged, name = name).to_string()
    }),
    ("health.observation_ended", |i18n, _| {
        t_string!(i18n, health.notify_observation_ended).to_string()
    }),
    ("testing.scheduled", |i18n, p| {
        let s = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
        let (name, date, start, end, place) =
            (s("name"), s("date"), s("start"), s("end"), s("place"));
        t_string!(
            i18n,
            testing.notify_scheduled,
            name,
            date,
            start,
            end,
            place
        )
        .to_string()
    }),
    ("testing.cancelled", |i18n, p| {
        let s = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
        let (name, date) = (s("name"), s("date"));
        t_string!(i18n, testing.notify_cancelled, name, date).to_string()
    }),
];

/// The sentence for a notification; a kind this build does not know still shows, as a
/// generic line.
pub fn notification_text(i18n: I18nContext<Locale>, notification: &Notification) -> String {
    KINDS
        .iter()
        .find(|(kind, _)| *kind == notification.kind)
        .map(|(_, render)| render(i18n, &notification.params))
        .unwrap_or_else(|| t_string!(i18n, notifications.generic).to_string())
}

/// One message; opening it marks it read.
#[component]
pub fn NotificationItem(notification: Notification) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let read = RwSignal::new(notification.read);
    let id = notification.id;
    let mark_read = move || {
        if !read.get_untracked() {
            read.set(true);
            session.unread.update(|n| *n = n.saturating_sub(1));
            leptos::task::spawn_local(async move {
                let _ = api::notifications::mark_read(id).await;
            });
        }
    };
    let text = {
        let notification = notification.clone();
        move || notification_text(i18n, &notification)
    };
    view! {
        <li class="row" class:unread=move || !read.get()>
            <div class="row-main">
                <p class="row-title">{text}</p>
                <p class="meta">{format::date_time(notification.created_at)}</p>
            </div>
            {notification.link.clone().map(|link| view! {
                <div class="row-actions">
                    <A href=link attr:class="button small secondary" on:click=move |_| mark_read()>
                        {t!(i18n, notifications.open)}
                    </A>
                </div>
            })}
        </li>
    }
}
