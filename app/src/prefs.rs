//! Reading preferences kept on this device: large text for elderly readers.

use leptos::prelude::*;

const LARGE_TEXT_KEY: &str = "shouwang.large_text";
const LARGE_TEXT_CLASS: &str = "large-text";

#[derive(Clone, Copy)]
pub struct LargeText(pub RwSignal<bool>);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn root_element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// The large-text choice lives in localStorage and as a class on `<html>`, which the
/// stylesheet scales everything from.
pub fn provide_large_text() -> LargeText {
    let saved = storage()
        .and_then(|s| s.get_item(LARGE_TEXT_KEY).ok().flatten())
        .is_some_and(|v| v == "1");
    let large = RwSignal::new(saved);
    Effect::new(move |_| {
        let on = large.get();
        if let Some(root) = root_element() {
            let classes = root.class_list();
            let _ = if on {
                classes.add_1(LARGE_TEXT_CLASS)
            } else {
                classes.remove_1(LARGE_TEXT_CLASS)
            };
        }
        if let Some(storage) = storage() {
            let _ = storage.set_item(LARGE_TEXT_KEY, if on { "1" } else { "0" });
        }
    });
    provide_context(LargeText(large));
    LargeText(large)
}

pub fn use_large_text() -> LargeText {
    expect_context::<LargeText>()
}

/// index.html shows "正在加载…" while the module downloads; the app replaces it.
pub fn remove_boot_placeholder() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
}
