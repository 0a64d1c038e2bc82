use crate::components::worker_labels::{band_advice, band_label};
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::workers::{WellbeingBand, WellbeingResult};

/// The worker's own result: where the total puts them, what to do, and where to get help.
/// The hotline is always shown, not only to those who scored high.
#[component]
pub fn WellbeingResultCard(result: WellbeingResult) -> impl IntoView {
    let i18n = use_i18n();
    let band = result.band;
    let total = result.total;
    let serious = band >= WellbeingBand::Moderate;
    view! {
        <section class="panel wb-result" class:serious=serious aria-labelledby="wb-result-title" role="status">
            <h2 id="wb-result-title">{t!(i18n, workers.wb_result_title)}</h2>
            <p class="wb-band">{move || band_label(i18n, band)}</p>
            <p class="meta">{move || t_string!(i18n, workers.wb_score, total).to_string()}</p>
            <p>{move || band_advice(i18n, band)}</p>
            {result.anxiety_flag.then(|| view! { <p>{t!(i18n, workers.wb_anxiety_flag)}</p> })}
            {result.depression_flag.then(|| view! { <p>{t!(i18n, workers.wb_depression_flag)}</p> })}
            <h3>{t!(i18n, workers.wb_help_title)}</h3>
            <ul class="wb-help">
                <li><a href="tel:12356">{t!(i18n, workers.wb_hotline)}</a></li>
                <li><a href="tel:12320">{t!(i18n, workers.wb_hotline_local)}</a></li>
                <li>{t!(i18n, workers.wb_talk)}</li>
            </ul>
            <p class="hint">{t!(i18n, workers.wb_not_diagnosis)}</p>
        </section>
    }
}
