use crate::api;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::components::worker_labels::warning_text;
use crate::format;
use crate::i18n::*;
use chrono::{NaiveDate, NaiveTime};
use leptos::prelude::*;
use shouwang_api::workers::{Duty, DutyInput, NOTE_MAX, POST_MAX, Worker};

const FIELDS: &[&str] = &["worker_id", "date", "start", "end", "post", "note"];

/// 安排值班 (admins): a worker, a day, the hours and the post. A duty past the rest rules is
/// still added; the form then says which rules it goes past, so the person drawing the
/// roster can change it.
#[component]
pub fn DutyForm(
    workers: Vec<Worker>,
    day: NaiveDate,
    /// The duty just added, kept by the page: adding redraws the roster and this form.
    added: RwSignal<Option<Duty>>,
    on_added: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let worker = RwSignal::new(String::new());
    let date = RwSignal::new(format::date(day));
    let start = RwSignal::new("08:00".to_owned());
    let end = RwSignal::new("20:00".to_owned());
    let post = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());

    let send = Action::new_local(move |input: &DutyInput| {
        let input = input.clone();
        async move {
            match api::workers::add_duty(&input).await {
                Ok(duty) => {
                    added.set(Some(duty));
                    on_added.run(());
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        added.set(None);
        let mut found = FormErrors::default();
        let day = format::parse_date(&date.get_untracked());
        let time = |value: String| NaiveTime::parse_from_str(&value, "%H:%M").ok();
        let (starts, ends) = (time(start.get_untracked()), time(end.get_untracked()));
        for (field, missing) in [
            ("date", day.is_none()),
            ("start", starts.is_none()),
            ("end", ends.is_none()),
        ] {
            if missing {
                found.push(form_error(
                    i18n,
                    &shouwang_api::FieldError::new(field, shouwang_api::ErrorCode::Required).into(),
                ));
            }
        }
        let (Some(day), Some(starts), Some(ends)) = (day, starts, ends) else {
            show_errors(errors, found);
            return;
        };
        let input = DutyInput {
            worker_id: worker.get_untracked().parse().unwrap_or(0),
            date: day,
            start: starts,
            end: ends,
            post: post.get_untracked(),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        if !refuse_all(i18n, errors, input.errors()) {
            send.dispatch(input);
        }
    };

    view! {
        <section class="panel duty-form" aria-labelledby="duty-form-title">
            <h2 id="duty-form-title">{t!(i18n, workers.add_title)}</h2>
            {move || added.get().map(|duty| {
                if duty.warnings.is_empty() {
                    view! { <p class="banner banner-ok" role="status">{t!(i18n, workers.added)}</p> }.into_any()
                } else {
                    view! {
                        <div class="banner banner-warning" role="status">
                            <p>{t!(i18n, workers.added_with_warnings)}</p>
                            <ul>{duty.warnings.iter().map(|w| view! { <li>{warning_text(i18n, w)}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any()
                }
            })}
            <form class="editor" novalidate on:submit=on_submit>
                <Field id="duty-worker" label=move || t_string!(i18n, workers.worker_label) error=error_for(errors, "worker_id")>
                    <select id="duty-worker" on:change=move |ev| worker.set(event_target_value(&ev))>
                        <option value="" selected=move || worker.with(String::is_empty)>{t!(i18n, workers.worker_pick)}</option>
                        {workers.into_iter().map(|w| {
                            let value = w.id.to_string();
                            let chosen = value.clone();
                            view! { <option value=value selected=move || worker.with(|v| *v == chosen)>{w.name}</option> }
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="duty-date" label=move || t_string!(i18n, workers.date_label) error=error_for(errors, "date")>
                    <input id="duty-date" type="date" bind:value=date />
                </Field>
                <div class="field-pair">
                    <Field id="duty-start" label=move || t_string!(i18n, workers.start_label) error=error_for(errors, "start")>
                        <input id="duty-start" type="time" bind:value=start />
                    </Field>
                    <Field id="duty-end" label=move || t_string!(i18n, workers.end_label) error=error_for(errors, "end")>
                        <input id="duty-end" type="time" bind:value=end />
                    </Field>
                </div>
                <p class="hint">{t!(i18n, workers.end_hint)}</p>
                <Field id="duty-post" label=move || t_string!(i18n, workers.post_label)
                    hint=move || t_string!(i18n, workers.post_hint) error=error_for(errors, "post") max=POST_MAX>
                    <input id="duty-post" maxlength=POST_MAX bind:value=post />
                </Field>
                <Field id="duty-note" label=move || t_string!(i18n, workers.note_label) error=error_for(errors, "note") max=NOTE_MAX>
                    <input id="duty-note" maxlength=NOTE_MAX bind:value=note />
                </Field>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <div class="actions">
                    <button type="submit" class="button" disabled=move || send.pending().get()>{t!(i18n, workers.add_submit)}</button>
                </div>
            </form>
        </section>
    }
}
