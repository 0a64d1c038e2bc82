//! 守望 Shouwang: the web app. Client-side rendered Leptos, compiled to WebAssembly and
//! embedded in the server binary by its build script.

mod api;
mod app;
mod base;
mod clock;
mod components;
mod format;
mod i18n;
mod offline;
mod pages;
mod prefs;
mod session;
mod takeover;

fn main() {
    console_error_panic_hook::set_once();
    i18n::default_to_chinese();
    prefs::remove_boot_placeholder();
    leptos::mount::mount_to_body(app::App);
}
