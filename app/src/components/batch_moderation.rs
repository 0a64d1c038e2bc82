use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::components::field::Field;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::submissions::{
    BatchInput, ModerationAction, QueueItem, REASON_MAX, RejectInput, SOURCE_MAX, SubmissionStatus,
    VerifyInput,
};

/// One verdict for many pending reports: tick them, give the source (or the reason), and
/// verify or reject them all at once.
#[component]
pub fn BatchModeration(
    items: Vec<QueueItem>,
    on_done: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let ids: Vec<i64> = items
        .iter()
        .filter(|i| i.status == SubmissionStatus::Pending)
        .map(|i| i.id)
        .collect();
    let chosen = RwSignal::new(Vec::<i64>::new());
    let who = RwSignal::new(String::new());
    let how = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let result = RwSignal::new(None::<String>);
    let run = Action::new_local(move |action: &ModerationAction| {
        let input = BatchInput {
            ids: chosen.get_untracked(),
            action: *action,
            verify: Some(VerifyInput {
                source_who: who.get_untracked(),
                source_how: how.get_untracked(),
                text: None,
            }),
            reject: Some(RejectInput {
                reason: reason.get_untracked(),
            }),
        };
        async move {
            match api::submissions::batch(&input).await {
                Ok(r) => {
                    let (done, skipped) = (r.done.len(), r.skipped.len());
                    error.set(None);
                    chosen.set(Vec::new());
                    result.set(Some(
                        t_string!(i18n, infoboard.batch_done, done, skipped).to_string(),
                    ));
                    on_done();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    (!ids.is_empty()).then(|| view! {
        <details class="batch">
            <summary>{t!(i18n, receipts.batch_title)}</summary>
            <fieldset class="batch-choices">
                {ids.into_iter().map(|id| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |ev| chosen.update(|c| if event_target_checked(&ev) { c.push(id) } else { c.retain(|x| *x != id) }) />
                        <span>{t!(i18n, infoboard.select, id)}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <Field id="batch-who" label=move || t_string!(i18n, infoboard.source_who) error=Signal::derive(|| None::<String>) max=SOURCE_MAX>
                <input id="batch-who" type="text" maxlength=SOURCE_MAX prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev)) />
            </Field>
            <Field id="batch-how" label=move || t_string!(i18n, infoboard.source_how) error=Signal::derive(|| None::<String>) max=SOURCE_MAX>
                <input id="batch-how" type="text" maxlength=SOURCE_MAX prop:value=move || how.get() on:input=move |ev| how.set(event_target_value(&ev)) />
            </Field>
            <Field id="batch-reason" label=move || t_string!(i18n, infoboard.reason) error=Signal::derive(|| None::<String>) max=REASON_MAX>
                <input id="batch-reason" type="text" maxlength=REASON_MAX prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
            </Field>
            {move || error.get().map(|error| view! { <ErrorBanner error /> })}
            {move || result.get().map(|text| view! { <p role="status">{text}</p> })}
            <p class="actions">
                <button type="button" class="button" on:click=move |_| { run.dispatch(ModerationAction::Verify); }>{t!(i18n, infoboard.batch_verify)}</button>
                <button type="button" class="button secondary" on:click=move |_| { run.dispatch(ModerationAction::Reject); }>{t!(i18n, infoboard.batch_reject)}</button>
            </p>
        </details>
    })
}
