use crate::api;
use crate::components::field::{Field, FormErrors, error_for, general_error, show_errors};
use crate::components::medicine_labels::item_label;
use crate::components::medicine_line_fields::{LineDraft, MedicineLineFields};
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::medicine::{
    CustodyItemKind, HOSPITAL_MAX, LINES_MAX, MedicineRequestInput, NOTE_MAX,
};
use shouwang_api::supplies::Urgency;

/// The fields the shared validation names once per line.
const LINE_FIELDS: &[&str] = &["drug", "dose", "quantity"];
/// The form's own fields; a refusal of any other shows above the button.
const FIELDS: &[&str] = &["hospital", "handed_over", "urgency", "notes"];

/// 代配药: a chronic patient asks a volunteer to fetch their regular medicine with their
/// 医保卡 and 病历本. The card itself is handed over; its number is never asked for.
#[component]
pub fn MedicineRequestForm(
    /// Called once the request is made, so the list of requests shows it.
    on_sent: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let next_key = StoredValue::new(1usize);
    let lines = RwSignal::new(vec![LineDraft::new(0)]);
    let hospital = RwSignal::new(String::new());
    let handed_over = RwSignal::new(Vec::<CustodyItemKind>::new());
    let urgency = RwSignal::new(Urgency::Normal);
    let notes = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let sent = RwSignal::new(false);

    let add_line = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        lines.update(|ls| {
            if ls.len() < LINES_MAX {
                ls.push(LineDraft::new(key));
            }
        });
    };
    let remove_line = Callback::new(move |key: usize| {
        lines.update(|ls| {
            if ls.len() > 1 {
                ls.retain(|l| l.key != key);
            }
        });
    });

    let send = Action::new_local(move |input: &MedicineRequestInput| {
        let input = input.clone();
        async move {
            match api::medicine::create(&input).await {
                Ok(_) => {
                    sent.set(true);
                    // The hospital is usually the same next time; the rest starts afresh.
                    let key = next_key.get_value();
                    next_key.set_value(key + 1);
                    lines.set(vec![LineDraft::new(key)]);
                    handed_over.set(Vec::new());
                    notes.set(String::new());
                    on_sent.run(());
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        sent.set(false);
        let drafts = lines.get_untracked();
        let input = MedicineRequestInput {
            lines: drafts.iter().map(LineDraft::input).collect(),
            hospital: hospital.get_untracked(),
            handed_over: handed_over.get_untracked(),
            urgency: urgency.get_untracked(),
            notes: Some(notes.get_untracked()).filter(|n| !n.trim().is_empty()),
            contact_phone: None,
        };
        if input.errors().is_empty() {
            send.dispatch(input);
        } else {
            show_errors(errors, refusals(i18n, &input, &drafts));
        }
    };

    let item_box = move |item: CustodyItemKind| {
        let checked = move || handed_over.with(|h| h.contains(&item));
        view! {
            <label class="check big">
                <input type="checkbox" prop:checked=checked on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    handed_over.update(|h| {
                        h.retain(|x| *x != item);
                        if on { h.push(item); }
                    });
                } />
                <span>{move || item_label(i18n, item)}</span>
            </label>
        }
    };

    view! {
        <section class="panel medicine-panel" aria-labelledby="medicine-form-title">
            <h2 id="medicine-form-title">{t!(i18n, medicine.form_title)}</h2>
            <p class="lead">{t!(i18n, medicine.form_lead)}</p>
            <Show when=move || sent.get()>
                <p class="banner banner-ok" role="status">{t!(i18n, medicine.sent_ok)}</p>
            </Show>
            <form class="editor" novalidate on:submit=on_submit>
                // Redrawn only when a line is added or removed; what is typed lives in
                // each line's signals, so it stays.
                {move || {
                    let drafts = lines.get();
                    let removable = drafts.len() > 1;
                    drafts.into_iter().enumerate().map(|(i, line)| view! {
                        <MedicineLineFields line number=i + 1 errors removable on_remove=remove_line />
                    }).collect_view()
                }}
                <div class="medicine-add-line">
                    <button type="button" class="button secondary" on:click=add_line
                        disabled=move || lines.with(|ls| ls.len() >= LINES_MAX)>
                        {t!(i18n, medicine.add_line)}
                    </button>
                    <p class="hint">{move || t_string!(i18n, medicine.lines_max, max = LINES_MAX).to_string()}</p>
                </div>
                <Field id="medicine-hospital" label=move || t_string!(i18n, medicine.hospital_label)
                    hint=move || t_string!(i18n, medicine.hospital_hint) error=error_for(errors, "hospital") max=HOSPITAL_MAX>
                    <input id="medicine-hospital" maxlength=HOSPITAL_MAX bind:value=hospital />
                </Field>
                <fieldset class="groups medicine-handover">
                    <legend>{t!(i18n, medicine.handed_over_label)}</legend>
                    {CustodyItemKind::ALL.into_iter().map(item_box).collect_view()}
                    <p class="hint card-number-note">{t!(i18n, medicine.no_card_number)}</p>
                </fieldset>
                <Field id="medicine-urgency" label=move || t_string!(i18n, supplies.urgency_label) error=error_for(errors, "urgency")>
                    <select id="medicine-urgency" on:change=move |ev| urgency.set(Urgency::parse(&event_target_value(&ev)).unwrap_or_default())>
                        <option value="normal" selected=move || urgency.get() == Urgency::Normal>{t!(i18n, supplies.urgency_normal)}</option>
                        <option value="urgent" selected=move || urgency.get() == Urgency::Urgent>{t!(i18n, supplies.urgency_urgent)}</option>
                    </select>
                </Field>
                <Field id="medicine-notes" label=move || t_string!(i18n, medicine.notes_label)
                    hint=move || t_string!(i18n, medicine.notes_hint) error=error_for(errors, "notes") max=NOTE_MAX>
                    <textarea id="medicine-notes" rows="2" maxlength=NOTE_MAX prop:value=move || notes.get()
                        on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                </Field>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <div class="actions">
                    <button type="submit" class="button" disabled=move || send.pending().get()>{t!(i18n, medicine.submit)}</button>
                </div>
            </form>
        </section>
    }
}

/// Every refusal of the shared validation, each under its own control. The validation
/// names a line's fields `drug`, `dose`, `quantity` whatever the line; each line is
/// therefore checked alone too, by the same rules, so its refusals land on its own boxes.
fn refusals(
    i18n: I18nContext<Locale>,
    input: &MedicineRequestInput,
    drafts: &[LineDraft],
) -> FormErrors {
    let mut found = FormErrors::default();
    for (line, draft) in input.lines.iter().zip(drafts) {
        let alone = MedicineRequestInput {
            lines: vec![line.clone()],
            ..MedicineRequestInput::default()
        };
        for refusal in alone.errors() {
            if LINE_FIELDS.contains(&refusal.field) {
                let field = draft.field(refusal.field);
                let mut shown = form_error(i18n, &refusal.into());
                shown.field = Some(field);
                found.push(shown);
            }
        }
    }
    for refusal in input.errors() {
        if !LINE_FIELDS.contains(&refusal.field) {
            found.push(form_error(i18n, &refusal.into()));
        }
    }
    found
}
