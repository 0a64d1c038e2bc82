use crate::api;
use crate::components::field::{Field, FormErrors, error_for, general_error, show_errors};
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::workers::DutyRules;

const FIELDS: &[&str] = &[
    "max_hours_per_week",
    "min_rest_minutes",
    "max_days_in_a_row",
];

/// The staff's rest rules (admins). The roster's warnings follow the saved rules at once.
#[component]
pub fn DutyRulesForm(rules: DutyRules, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let hours = RwSignal::new(rules.max_hours_per_week.to_string());
    let rest = RwSignal::new(rules.min_rest_minutes.to_string());
    let days = RwSignal::new(rules.max_days_in_a_row.to_string());
    let errors = RwSignal::new(FormErrors::default());
    let saved = RwSignal::new(false);
    let save = Action::new_local(move |rules: &DutyRules| {
        let rules = *rules;
        async move {
            match api::workers::set_rules(&rules).await {
                Ok(_) => {
                    saved.set(true);
                    on_saved.run(());
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        saved.set(false);
        // A box left empty or not a number is out of range: the shared validation says so.
        let number = |value: String| value.trim().parse::<u32>().unwrap_or(0);
        let rules = DutyRules {
            max_hours_per_week: number(hours.get_untracked()),
            min_rest_minutes: rest.get_untracked().trim().parse().unwrap_or(u32::MAX),
            max_days_in_a_row: number(days.get_untracked()),
        };
        match rules.validate() {
            Ok(rules) => {
                save.dispatch(rules);
            }
            Err(refusal) => show_errors(errors, form_error(i18n, &refusal.into())),
        }
    };
    view! {
        <details class="panel duty-rules">
            <summary>{t!(i18n, workers.rules_title)}</summary>
            <Show when=move || saved.get()>
                <p class="banner banner-ok" role="status">{t!(i18n, workers.rules_saved)}</p>
            </Show>
            <form class="editor" novalidate on:submit=on_submit>
                <Field id="rules-hours" label=move || t_string!(i18n, workers.rules_hours_label) error=error_for(errors, "max_hours_per_week")>
                    <input id="rules-hours" type="number" inputmode="numeric" min="1" max="168" bind:value=hours />
                </Field>
                <Field id="rules-rest" label=move || t_string!(i18n, workers.rules_rest_label) error=error_for(errors, "min_rest_minutes")>
                    <input id="rules-rest" type="number" inputmode="numeric" min="0" max="1440" bind:value=rest />
                </Field>
                <Field id="rules-days" label=move || t_string!(i18n, workers.rules_days_label) error=error_for(errors, "max_days_in_a_row")>
                    <input id="rules-days" type="number" inputmode="numeric" min="1" max="30" bind:value=days />
                </Field>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <div class="actions">
                    <button type="submit" class="button secondary" disabled=move || save.pending().get()>{t!(i18n, workers.rules_save)}</button>
                </div>
            </form>
        </details>
    }
}
