use super::outbox::{self, CHANGED_EVENT, Pending};
use super::{WriteKind, is_online};
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;

/// "待发送": the writes waiting on this phone for a connection, each of which the person
/// can read and cancel. Shown on every page while anything waits.
#[component]
pub fn OutboxList() -> impl IntoView {
    let i18n = use_i18n();
    let items = RwSignal::new(outbox::load());
    let online = RwSignal::new(is_online());
    let refresh = move || items.set(outbox::load());
    let _ = window_event_listener_untyped(CHANGED_EVENT, move |_| refresh());
    let _ = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));

    move || {
        let pending = items.get();
        (!pending.is_empty()).then(|| {
            let count = pending.len();
            view! {
                <section class="outbox" aria-labelledby="outbox-title">
                    <h2 id="outbox-title">{t!(i18n, offline.outbox_title)} " (" {count} ")"</h2>
                    <p class="outbox-hint">
                        {move || if online.get() {
                            t_string!(i18n, offline.outbox_sending)
                        } else {
                            t_string!(i18n, offline.outbox_waiting)
                        }}
                    </p>
                    <ul class="outbox-items">
                        {pending.into_iter().map(|item| view! { <OutboxItem item /> }).collect_view()}
                    </ul>
                    <button type="button" class="button small secondary"
                        disabled=move || !online.get()
                        on:click=move |_| outbox::send_all()>
                        {t!(i18n, offline.send_now)}
                    </button>
                </section>
            }
        })
    }
}

#[component]
fn OutboxItem(item: Pending) -> impl IntoView {
    let i18n = use_i18n();
    let key = item.key.clone();
    let what = kind_label(i18n, item.kind);
    let detail = summary(&item);
    let when = format::month_day_time(item.queued_at);
    view! {
        <li class="outbox-item">
            <div>
                <strong>{what}</strong>
                {detail.map(|d| view! { <span class="outbox-detail">{d}</span> })}
                <span class="outbox-time">{t!(i18n, offline.queued_at, time = when)}</span>
            </div>
            <button type="button" class="button small secondary"
                aria-label=move || format!("{} {}", t_string!(i18n, offline.cancel), what)
                on:click=move |_| outbox::cancel(&key)>
                {t!(i18n, offline.cancel)}
            </button>
        </li>
    }
}

fn kind_label(i18n: I18nContext<Locale>, kind: WriteKind) -> &'static str {
    match kind {
        WriteKind::CheckIn => t_string!(i18n, offline.kind_check_in),
        WriteKind::AllWell => t_string!(i18n, offline.kind_all_well),
        WriteKind::SupplyRequest => t_string!(i18n, offline.kind_supply_request),
        WriteKind::Submission => t_string!(i18n, offline.kind_submission),
        WriteKind::Receipt => t_string!(i18n, offline.kind_receipt),
        WriteKind::DoorVisit => t_string!(i18n, offline.kind_door_visit),
        WriteKind::DoorRegistration => t_string!(i18n, offline.kind_door_registration),
        WriteKind::DoorReceipt => t_string!(i18n, offline.kind_door_receipt),
    }
}

/// A few words of what was typed, so the person recognises the write: a temperature,
/// the start of a text.
fn summary(item: &Pending) -> Option<String> {
    let body: serde_json::Value = serde_json::from_str(item.body.as_deref()?).ok()?;
    if let Some(t) = body.get("temperature").and_then(serde_json::Value::as_f64) {
        return Some(format!("{t:.1} °C"));
    }
    let text = ["text", "description", "note"]
        .iter()
        .find_map(|field| body.get(*field).and_then(serde_json::Value::as_str))?;
    let mut short: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        short.push('…');
    }
    Some(short)
}
