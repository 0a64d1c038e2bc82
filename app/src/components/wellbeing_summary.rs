use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::worker_labels::band_label;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;

/// What an admin sees of the team's checks: how many took one, and counts per band when
/// at least five did. Never a name, never an answer.
#[component]
pub fn WellbeingSummaryPanel() -> impl IntoView {
    let i18n = use_i18n();
    let summary = LocalResource::new(api::workers::summary);
    view! {
        <section class="panel wb-summary" aria-labelledby="wb-summary-title">
            <h2 id="wb-summary-title">{t!(i18n, workers.wb_summary_title)}</h2>
            <p class="hint">{t!(i18n, workers.wb_summary_lead)}</p>
            {move || match summary.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || summary.refetch() /> }),
                Some(Ok(s)) => EitherOf3::C(view! {
                    <p>{move || t_string!(i18n, workers.wb_summary_workers, n = s.workers).to_string()}</p>
                    {s.withheld.then(|| view! { <p class="meta">{t!(i18n, workers.wb_summary_withheld)}</p> })}
                    <ul class="plain">
                        {s.bands.into_iter().map(|b| view! {
                            <li>{move || t_string!(i18n, workers.wb_summary_band, band = band_label(i18n, b.band), n = b.workers).to_string()}</li>
                        }).collect_view()}
                    </ul>
                }),
            }}
        </section>
    }
}
