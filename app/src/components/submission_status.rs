use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::submissions::{SubmissionCategory, SubmissionStatus};

pub fn submission_category_label(
    i18n: I18nContext<Locale>,
    category: SubmissionCategory,
) -> &'static str {
    match category {
        SubmissionCategory::SupplyDrop => t_string!(i18n, infoboard.cat_supply_drop),
        SubmissionCategory::Outage => t_string!(i18n, infoboard.cat_outage),
        SubmissionCategory::Closure => t_string!(i18n, infoboard.cat_closure),
        SubmissionCategory::Question => t_string!(i18n, infoboard.cat_question),
        SubmissionCategory::RumourCheck => t_string!(i18n, infoboard.cat_rumour_check),
        SubmissionCategory::Other => t_string!(i18n, infoboard.cat_other),
    }
}

pub fn submission_status_label(
    i18n: I18nContext<Locale>,
    status: SubmissionStatus,
) -> &'static str {
    match status {
        SubmissionStatus::Pending => t_string!(i18n, infoboard.st_pending),
        SubmissionStatus::Published => t_string!(i18n, infoboard.st_published),
        SubmissionStatus::Rejected => t_string!(i18n, infoboard.st_rejected),
        SubmissionStatus::Rumour => t_string!(i18n, infoboard.st_rumour),
        SubmissionStatus::Answered => t_string!(i18n, trial_zones.st_answered),
    }
}

/// Where a submission stands, as a coloured tag.
#[component]
pub fn SubmissionStatusBadge(status: SubmissionStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = format!("tag submission-{}", status.as_str());
    view! { <span class=class>{move || submission_status_label(i18n, status)}</span> }
}
