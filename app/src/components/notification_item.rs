use crate::api;
use crate::components::link::A;
use crate::components::shift_card;
use crate::components::supply_labels::state_label;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use leptos::prelude::*;
use shouwang_api::notifications::{Message, Notification};

/// The sentence for a notification; a kind this build does not know still shows, as a
/// generic line.
pub fn notification_text(i18n: I18nContext<Locale>, notification: &Notification) -> String {
    let Some(message) = notification.message() else {
        return t_string!(i18n, notifications.generic).to_string();
    };
    match message {
        Message::MergeRequest { .. } => t_string!(i18n, residents.merge_notification).to_string(),
        Message::ShiftPromoted(shift) => shift_card::notify_shift(i18n, &shift, true),
        Message::ShiftCancelled(shift) => shift_card::notify_shift(i18n, &shift, false),
        Message::VolunteerApproved { .. } => t_string!(i18n, volunteers.notif_approved).to_owned(),
        Message::VolunteerPaused { cancelled } => {
            t_string!(i18n, volunteers.notif_paused, cancelled).to_string()
        }
        Message::VolunteerRemoved { cancelled } => {
            t_string!(i18n, volunteers.notif_removed, cancelled).to_string()
        }
        Message::SubmissionVerified { .. } => {
            t_string!(i18n, infoboard.notify_verified).to_string()
        }
        Message::SubmissionRejected { reason, .. } => {
            t_string!(i18n, infoboard.notify_rejected, reason = reason).to_string()
        }
        Message::SubmissionAnswered { .. } => {
            t_string!(i18n, trial_zones.notify_answered).to_string()
        }
        Message::SubmissionRumour { .. } => t_string!(i18n, infoboard.notify_rumour).to_string(),
        Message::ReceiptDebunk { .. } => t_string!(i18n, receipts.notify_debunk).to_string(),
        Message::SupplyState { state, .. } => {
            let state = state_label(i18n, state);
            t_string!(i18n, supplies.notify_state, state).to_string()
        }
        Message::SupplyAssignment { .. } => t_string!(i18n, supplies.notify_assignment).to_string(),
        Message::SupplyPickupLocked { .. } => {
            t_string!(i18n, supplies.notify_pickup_locked).to_string()
        }
        Message::MedicineCustodyOverdue { item, .. } => {
            let item = crate::components::medicine_labels::item_label(i18n, item);
            t_string!(i18n, medicine.notify_custody_overdue, item).to_string()
        }
        Message::MedicineShort { .. } => t_string!(i18n, medicine.notify_short).to_string(),
        Message::DutyAssigned { post, starts, .. } => {
            t_string!(i18n, workers.notify_duty, post = post, starts = starts).to_string()
        }
        Message::HealthFlagged { name } => {
            t_string!(i18n, health.notify_flagged, name = name).to_string()
        }
        Message::ObservationEnded { .. } => {
            t_string!(i18n, health.notify_observation_ended).to_string()
        }
        Message::TestingScheduled {
            name,
            date,
            place,
            start,
            end,
        } => {
            let date = format::date(date);
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
        }
        Message::TestingCancelled { name, date } => {
            let date = format::date(date);
            t_string!(i18n, testing.notify_cancelled, name, date).to_string()
        }
    }
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
