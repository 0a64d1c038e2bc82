use leptos::prelude::*;
use shouwang_api::board::LiveEvent;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// Listens to the board's live stream (server-sent events) while the calling component
/// lives, and calls `on_event` for each newly published item. The browser's
/// EventSource reconnects by itself after a network drop and sends `Last-Event-ID`, so
/// the server replays whatever was published meanwhile.
pub fn use_live_board(on_event: impl Fn(LiveEvent) + 'static) {
    let Ok(source) = web_sys::EventSource::new(&crate::base::at("/api/board/live")) else {
        return;
    };
    let listener =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(data) = event.data().as_string()
                && let Ok(parsed) = serde_json::from_str::<LiveEvent>(&data)
            {
                on_event(parsed);
            }
        });
    let _ = source.add_event_listener_with_callback("board", listener.as_ref().unchecked_ref());
    let handle = StoredValue::new_local((source, listener));
    on_cleanup(move || {
        handle.with_value(|(source, _)| source.close());
        handle.dispose();
    });
}
