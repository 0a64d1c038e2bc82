use crate::components::field::{Field, FormErrors, error_for};
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::medicine::{DOSE_MAX, DRUG_MAX, MedicineLineInput, QUANTITY_MAX};

/// One medicine of a request being written. `key` stays with the line when another is
/// removed, so its controls, its ids and its errors stay together.
#[derive(Debug, Clone, Copy)]
pub struct LineDraft {
    pub key: usize,
    pub drug: RwSignal<String>,
    pub dose: RwSignal<String>,
    pub quantity: RwSignal<String>,
}

impl LineDraft {
    pub fn new(key: usize) -> Self {
        LineDraft {
            key,
            drug: RwSignal::new(String::new()),
            dose: RwSignal::new(String::new()),
            quantity: RwSignal::new(String::new()),
        }
    }

    pub fn input(&self) -> MedicineLineInput {
        let dose = self.dose.get_untracked();
        MedicineLineInput {
            drug: self.drug.get_untracked(),
            dose: (!dose.trim().is_empty()).then_some(dose),
            quantity: self.quantity.get_untracked(),
        }
    }

    /// The name a refusal of this line's `field` (drug, dose, quantity) is shown under.
    pub fn field(&self, field: &str) -> String {
        format!("line-{}-{field}", self.key)
    }
}

/// The three boxes of one medicine (药品名称, 规格, 数量) under "第 N 种药", with a button
/// to take the line out when the request has more than one.
#[component]
pub fn MedicineLineFields(
    line: LineDraft,
    /// Its place in the list, from 1.
    number: usize,
    errors: RwSignal<FormErrors>,
    removable: bool,
    on_remove: Callback<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = line.key;
    let (drug_id, dose_id, quantity_id) = (
        format!("medicine-drug-{key}"),
        format!("medicine-dose-{key}"),
        format!("medicine-quantity-{key}"),
    );
    view! {
        <fieldset class="medicine-line">
            <legend>{move || t_string!(i18n, medicine.line_legend, n = number).to_string()}</legend>
            <Field id=drug_id.clone() label=move || t_string!(i18n, medicine.drug_label)
                hint=move || t_string!(i18n, medicine.drug_hint) error=error_for(errors, line.field("drug")) max=DRUG_MAX>
                <input id=drug_id maxlength=DRUG_MAX bind:value=line.drug />
            </Field>
            <Field id=dose_id.clone() label=move || t_string!(i18n, medicine.dose_label)
                hint=move || t_string!(i18n, medicine.dose_hint) error=error_for(errors, line.field("dose")) max=DOSE_MAX>
                <input id=dose_id maxlength=DOSE_MAX bind:value=line.dose />
            </Field>
            <Field id=quantity_id.clone() label=move || t_string!(i18n, medicine.quantity_label)
                hint=move || t_string!(i18n, medicine.quantity_hint) error=error_for(errors, line.field("quantity")) max=QUANTITY_MAX>
                <input id=quantity_id maxlength=QUANTITY_MAX bind:value=line.quantity />
            </Field>
            {removable.then(|| view! {
                <button type="button" class="button small secondary" on:click=move |_| on_remove.run(key)>
                    {move || t_string!(i18n, medicine.remove_line, n = number).to_string()}
                </button>
            })}
        </fieldset>
    }
}
