use crate::format;
use crate::i18n::*;
use leptos::prelude::*;

/// "离线 · 显示的是 12-07 08:30 的内容": what is on screen was kept from an earlier
/// visit, and when it was fetched, in the community's time.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let i18n = use_i18n();
    move || {
        super::showing_cached().map(|at| {
            let time = format::month_day_time(at);
            view! {
                <div class="banner banner-warning offline-banner" role="status">
                    <p>{t!(i18n, offline.showing_cached, time = time)}</p>
                </div>
            }
        })
    }
}
