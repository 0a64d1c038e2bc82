//! The server writes the board or a notice into the page (`#prerendered`) so it can be
//! read before this module has started. The app draws its own copy hidden behind it
//! (style/prerender.css) and removes the server's once its page has the same data, so
//! the reader never sees a loading line or a jump in between.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Removes the server's copy of the page; the app's own is then what shows.
pub fn remove_prerendered() {
    if let Some(copy) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("prerendered"))
    {
        copy.remove();
    }
}

/// Once the reader goes to another page the server's copy of the first one has no place.
#[component]
pub fn RemovePrerenderedOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |first: Option<String>| {
        let path = location.pathname.get();
        if first.as_ref().is_some_and(|first| *first != path) || !prerendered_here(&path) {
            remove_prerendered();
        }
        first.unwrap_or(path)
    });
}

/// Whether the server writes a copy for this page: the board and a notice. Any other page
/// (the offline shell, kept from the board, opened at /my-household) shows only the app.
fn prerendered_here(path: &str) -> bool {
    let path = path.strip_prefix(crate::base::base()).unwrap_or(path);
    path == "/" || path.is_empty() || path.starts_with("/notices/")
}
