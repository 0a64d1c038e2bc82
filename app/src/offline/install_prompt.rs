use crate::i18n::*;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// "添加到主屏幕" on phones whose browser offers to install the app
/// (`beforeinstallprompt`): the board then opens from the home screen, and offline.
#[component]
pub fn InstallPrompt() -> impl IntoView {
    let i18n = use_i18n();
    // The browser's event, kept to call its `prompt()` on the person's tap.
    let offer = RwSignal::new_local(None::<JsValue>);
    let _ = window_event_listener_untyped("beforeinstallprompt", move |event| {
        event.prevent_default();
        offer.set(Some(event.into()));
    });
    let _ = window_event_listener_untyped("appinstalled", move |_| offer.set(None));
    let install = move |_| {
        if let Some(event) = offer.get_untracked() {
            if let Ok(prompt) = js_sys::Reflect::get(&event, &"prompt".into())
                .and_then(|f| f.dyn_into::<js_sys::Function>())
            {
                let _ = prompt.call0(&event);
            }
            // An offer can be used once.
            offer.set(None);
        }
    };
    move || {
        offer.with(Option::is_some).then(|| view! {
            <div class="install-prompt">
                <p>{t!(i18n, offline.install_text)}</p>
                <button type="button" class="button small" on:click=install>
                    {t!(i18n, offline.install)}
                </button>
                <button type="button" class="button small secondary" on:click=move |_| offer.set(None)>
                    {t!(i18n, offline.install_later)}
                </button>
            </div>
        })
    }
}
