use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::notices::NoticeStatus;

#[component]
pub fn StatusBadge(status: NoticeStatus, #[prop(optional)] expired: bool) -> impl IntoView {
    let i18n = use_i18n();
    let class = format!(
        "tag status-{}",
        if expired { "expired" } else { status.as_str() }
    );
    view! {
        <span class=class>
            {move || if expired { t_string!(i18n, status.expired) } else { status_label(i18n, status) }}
        </span>
    }
}
