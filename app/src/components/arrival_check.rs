use crate::api;
use crate::components::field::{Field, FormErrors, error_for, general_error, show_errors};
use crate::components::medicine_labels::arrival_label;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::medicine::{Arrival, ArrivalInput, LineCheck, MedicineLine, NOTE_MAX};

const FIELDS: &[&str] = &["lines", "note"];
const ARRIVALS: [Arrival; 3] = [Arrival::Complete, Arrival::Partial, Arrival::Missing];

/// The resident checks what arrived, medicine by medicine (齐全 / 不全 / 没有), and so
/// confirms the delivery; a shortfall needs a word on what is wrong, and tells the grid.
#[component]
pub fn ArrivalCheck(
    request_id: i64,
    lines: Vec<MedicineLine>,
    on_checked: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let line_ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
    let chosen = RwSignal::new(Vec::<LineCheck>::new());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let send = Action::new_local(move |input: &ArrivalInput| {
        let input = input.clone();
        async move {
            match api::medicine::check_arrival(request_id, &input).await {
                Ok(_) => on_checked.run(()),
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let input = ArrivalInput {
            lines: chosen.get_untracked(),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        match input.validate(&line_ids) {
            Ok(_) => {
                send.dispatch(input);
            }
            Err(refusal) => show_errors(errors, form_error(i18n, &refusal.into())),
        }
    };
    view! {
        <form class="editor arrival-check" novalidate on:submit=on_submit>
            <h4>{t!(i18n, medicine.arrival_title)}</h4>
            <p class="hint">{t!(i18n, medicine.arrival_hint)}</p>
            {lines.into_iter().map(|line| {
                let line_id = line.id;
                let name = line_text(&line);
                let choice = move |arrival: Arrival| {
                    let checked = move || chosen.with(|c| c.iter().any(|l| l.line_id == line_id && l.arrival == arrival));
                    view! {
                        <label class="check big arrival-choice">
                            <input type="radio" name=format!("arrival-{request_id}-{line_id}") prop:checked=checked
                                on:change=move |_| chosen.update(|c| {
                                    c.retain(|l| l.line_id != line_id);
                                    c.push(LineCheck { line_id, arrival });
                                }) />
                            <span>{move || arrival_label(i18n, arrival)}</span>
                        </label>
                    }
                };
                view! {
                    <fieldset class="arrival-line">
                        <legend>{name}</legend>
                        <div class="arrival-choices">{ARRIVALS.into_iter().map(choice).collect_view()}</div>
                    </fieldset>
                }
            }).collect_view()}
            <p class="field-error" aria-live="polite">{move || error_for(errors, "lines").get()}</p>
            <Field id=format!("arrival-note-{request_id}") label=move || t_string!(i18n, medicine.arrival_note_label)
                hint=move || t_string!(i18n, medicine.arrival_note_hint) error=error_for(errors, "note") max=NOTE_MAX>
                <textarea id=format!("arrival-note-{request_id}") rows="2" maxlength=NOTE_MAX prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </Field>
            <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
            <div class="actions">
                <button type="submit" class="button" disabled=move || send.pending().get()>{t!(i18n, medicine.arrival_submit)}</button>
            </div>
        </form>
    }
}

/// 硝苯地平缓释片 30mg ×2盒.
pub fn line_text(line: &MedicineLine) -> String {
    match &line.dose {
        Some(dose) => format!("{} {} ×{}", line.drug, dose, line.quantity),
        None => format!("{} ×{}", line.drug, line.quantity),
    }
}
