//! The phone without a network: the service worker (public/sw.js) that keeps the app and
//! the last board readable, the banner that says what is shown is not fresh, and the
//! outbox ("待发送") where writes wait to be sent, each exactly once thanks to its
//! `Idempotency-Key`.

pub mod install_prompt;
pub mod offline_banner;
pub mod outbox;
pub mod outbox_list;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// Set by the service worker on an answer it served from its cache: when that answer
/// was fetched.
pub const CACHED_AT: &str = "x-shouwang-cached-at";
/// Set by the service worker on the answer it makes up when the network is gone and it
/// kept nothing: the same as a failed request.
pub const OFFLINE: &str = "x-shouwang-offline";
/// The worker's cache of board answers and the signed-in account (public/sw.js).
const DATA_CACHE: &str = "shouwang-data";
/// Where the app is served from: the worker's scope. One constant for when the app gets
/// a base path.
const SERVICE_WORKER: &str = "/sw.js";

/// The writes that may wait in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteKind {
    CheckIn,
    AllWell,
    SupplyRequest,
    Submission,
    Receipt,
    DoorVisit,
    DoorRegistration,
    DoorReceipt,
}

thread_local! {
    // When the content on screen was fetched, while it comes from the worker's cache.
    static SHOWING_CACHED: ArcRwSignal<Option<DateTime<Utc>>> = ArcRwSignal::new(None);
}

/// `Some(fetched at)` while the page shows answers kept from an earlier visit.
pub fn showing_cached() -> Option<DateTime<Utc>> {
    SHOWING_CACHED.with(|s| s.get())
}

/// Called on every answer: a kept one (with its time) or a fresh one (`None`).
pub fn note_answer(cached_at: Option<&str>) {
    let at = cached_at.and_then(|v| v.parse::<DateTime<Utc>>().ok());
    SHOWING_CACHED.with(|s| {
        if s.get_untracked() != at {
            s.set(at);
        }
    });
}

pub fn is_online() -> bool {
    window().navigator().on_line()
}

/// A fresh `Idempotency-Key`: 128 random bits, from the browser's generator (available
/// over plain http too, unlike `randomUUID`).
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Ok(crypto) = window().crypto() {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    if bytes == [0u8; 16] {
        // No generator: still unique enough on one phone, where keys live.
        let now = js_sys::Date::now().to_bits().to_le_bytes();
        let noise = js_sys::Math::random().to_bits().to_le_bytes();
        bytes[..8].copy_from_slice(&now);
        bytes[8..].copy_from_slice(&noise);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Registers the service worker, and reloads the page once a new version of the app has
/// taken over (not on the very first install: nothing stale was shown then).
pub fn start() {
    outbox::start();
    let navigator = window().navigator();
    // Absent over plain http (other than localhost) and in old browsers.
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let container = navigator.service_worker();
    let had_controller = container.controller().is_some();
    let _ = container.register(&crate::base::at(SERVICE_WORKER));
    if had_controller {
        let reload = Closure::<dyn Fn()>::new(|| {
            let _ = window().location().reload();
        });
        container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
        reload.forget();
    }
}

/// Sign-out: nothing of this person stays on the phone, neither waiting writes nor the
/// kept answers (the account's name among them).
pub fn forget_personal_data() {
    outbox::clear();
    if let Ok(caches) = window().caches() {
        let _ = caches.delete(DATA_CACHE);
    }
    note_answer(None);
}
