use crate::components::custody_item_row::MedicineViewer;
use crate::components::medicine_run_card::MedicineRunCard;
use crate::i18n::*;
use leptos::prelude::*;

/// A medicine run on the staff dashboard, folded: its medicines and cards are loaded when
/// opened, so a page of requests costs one call, not one per run.
#[component]
pub fn MedicineRunDetails(request_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    view! {
        <details class="medicine-details" on:toggle=move |ev| {
            use wasm_bindgen::JsCast;
            let opened = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                .is_some_and(|d| d.open());
            open.set(opened);
        }>
            <summary>{t!(i18n, medicine.details_summary)}</summary>
            <Show when=move || open.get()>
                <MedicineRunCard request_id viewer=MedicineViewer::Staff />
            </Show>
        </details>
    }
}
