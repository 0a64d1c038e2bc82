use crate::api;
use crate::components::worker_labels::warning_text;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::workers::Duty;

/// One duty on the roster: time, post and worker, its rest warnings in red, and for
/// admins a button to take it off.
#[component]
pub fn DutyRow(
    duty: Duty,
    /// This duty is the signed-in worker's own.
    mine: bool,
    can_remove: bool,
    on_removed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let time = format!(
        "{}–{}",
        duty.starts_local.format("%H:%M"),
        duty.ends_local.format("%H:%M")
    );
    let next_day = duty.ends_local.date() > duty.starts_local.date();
    let warned = !duty.warnings.is_empty();
    let warnings = duty.warnings.clone();
    let failed = RwSignal::new(None::<String>);
    let remove = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            match api::workers::remove_duty(id).await {
                Ok(()) => on_removed.run(()),
                Err(error) => failed.set(Some(crate::i18n::api_error_text(i18n, &error))),
            }
        }
    });
    let who = duty.worker_name.clone();
    let when = format!("{} {}", duty.starts_local.format("%m-%d"), time);
    let id = duty.id;
    view! {
        <li class="row duty-row" class:mine=mine class:warned=warned>
            <div class="row-main">
                <p class="row-title">
                    <span class="duty-time">{time.clone()}{next_day.then_some("⁺¹")}</span>
                    " " {duty.post.clone()}
                </p>
                <p class="duty-worker">
                    {duty.worker_name.clone()}
                    {mine.then(|| view! { " " <span class="tag">{t!(i18n, workers.mine)}</span> })}
                </p>
                {duty.note.clone().map(|note| view! { <p class="meta">{note}</p> })}
                <ul class="duty-warnings">
                    {warnings.into_iter().map(|w| view! {
                        <li class="tag overdue">{move || warning_text(i18n, &w)}</li>
                    }).collect_view()}
                </ul>
                <p class="form-error" role="alert">{move || failed.get()}</p>
            </div>
            {can_remove.then(|| view! {
                <button type="button" class="link-button"
                    aria-label=move || t_string!(i18n, workers.remove_label, who = who.clone(), when = when.clone()).to_string()
                    disabled=move || remove.pending().get()
                    on:click=move |_| { remove.dispatch(id); }>
                    {t!(i18n, workers.remove)}
                </button>
            })}
        </li>
    }
}
