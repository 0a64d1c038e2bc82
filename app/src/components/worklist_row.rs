use crate::components::health_check_in::symptom_label;
use crate::components::link::A;
use crate::i18n::*;
use crate::pages::health_worklist::flag_label;
use leptos::prelude::*;
use shouwang_api::health::WorklistEntry;

/// One person on a health follow-up list (the community's worklist, the street's granted
/// copy): name linking to `href`, phone as the list gives it (masked), where, why, and
/// today's reading; `children` below (the staff's follow-up form).
#[component]
pub fn WorklistRow(
    entry: WorklistEntry,
    href: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let a = &entry.address;
    let place = format!("{} {} {} {}", a.grid, a.building, a.unit, a.room);
    let reading = entry
        .temperature
        .map(|t| format!("{t:.1} ℃"))
        .into_iter()
        .chain(
            entry
                .symptoms
                .iter()
                .map(|s| symptom_label(i18n, *s).to_owned()),
        )
        .collect::<Vec<_>>()
        .join(" · ");
    let name = entry.name.clone();
    view! {
        <li class="row health-entry" aria-label=entry.name.clone()>
            <p class="row-title"><A href=href>{name}</A> {entry.phone.clone().map(|p| view! { <span class="muted">" · " {p}</span> })}</p>
            <p class="muted">{place}</p>
            <p class="tags">
                {entry.flags.iter().map(|f| view! { <span class=format!("tag health-{}", f.as_str())>{flag_label(i18n, *f)}</span> }).collect_view()}
                {entry.acknowledged.then(|| view! { <span class="tag health-acknowledged">{t!(i18n, health.acknowledged)}</span> })}
            </p>
            {(!reading.is_empty()).then(|| view! { <p>{reading}</p> })}
            {children.map(|c| c())}
        </li>
    }
}
