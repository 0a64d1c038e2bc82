//! The outbox: writes made without a network, kept in the phone's `localStorage` with
//! their `Idempotency-Key` until sent. Sent in order when the connection returns (the
//! `online` event) and when the app starts; a send whose answer is lost is sent again
//! with the same key, and the server answers it without doing it twice.
//!
//! Only the request itself is kept (what the person typed), and only until it is sent,
//! cancelled, or the person signs out.

use super::WriteKind;
use crate::api::{self, ApiError};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use std::cell::Cell;

/// One outbox per community: a write kept at one community's address is only ever sent
/// to that community.
fn storage_key() -> String {
    format!("shouwang.outbox{}", crate::base::base())
}
/// Fired on `window` whenever the outbox changes, for the list on screen.
pub const CHANGED_EVENT: &str = "shouwang-outbox";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub key: String,
    pub kind: WriteKind,
    pub method: String,
    pub url: String,
    pub body: Option<String>,
    pub queued_at: DateTime<Utc>,
}

thread_local! {
    static SENDING: Cell<bool> = const { Cell::new(false) };
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn load() -> Vec<Pending> {
    storage()
        .and_then(|s| s.get_item(&storage_key()).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn save(items: &[Pending]) {
    if let Some(storage) = storage() {
        let _ = if items.is_empty() {
            storage.remove_item(&storage_key())
        } else {
            match serde_json::to_string(items) {
                Ok(json) => storage.set_item(&storage_key(), &json),
                Err(_) => Ok(()),
            }
        };
    }
    if let Ok(event) = web_sys::Event::new(CHANGED_EVENT) {
        let _ = window().dispatch_event(&event);
    }
}

pub fn push(kind: WriteKind, method: &str, url: &str, body: Option<String>, key: String) {
    let mut items = load();
    items.push(Pending {
        key,
        kind,
        method: method.to_owned(),
        url: url.to_owned(),
        body,
        queued_at: crate::clock::now(),
    });
    save(&items);
}

/// The person decided against it: it will not be sent.
pub fn cancel(key: &str) {
    let mut items = load();
    items.retain(|p| p.key != key);
    save(&items);
}

pub fn clear() {
    save(&[]);
}

/// Sends what waits, oldest first, one at a time. Stops at the first network failure
/// (still offline) and when the session is gone (sent again after signing in). Any other
/// answer, a refusal included, settles the write: it leaves the outbox.
pub fn send_all() {
    if SENDING.with(|s| s.replace(true)) {
        return;
    }
    spawn_local(async {
        for pending in load() {
            let sent = api::send_keyed(
                &pending.method,
                &pending.url,
                pending.body.as_deref(),
                &pending.key,
            )
            .await;
            match sent {
                Err(ApiError::Network) => break,
                Ok(response) if response.status() == 401 => break,
                _ => {
                    let mut items = load();
                    items.retain(|p| p.key != pending.key);
                    save(&items);
                }
            }
        }
        SENDING.with(|s| s.set(false));
    });
}

/// Sends at start-up and whenever the phone is back online.
pub fn start() {
    // For the app's whole life: the handle is never removed.
    let _ = window_event_listener(leptos::ev::online, |_| send_all());
    if super::is_online() && !load().is_empty() {
        send_all();
    }
}
