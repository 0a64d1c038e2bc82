use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::i18n::*;
use chrono::NaiveDate;
use leptos::either::EitherOf3;
use leptos::prelude::*;

/// Duty hours per worker on the roster's days, for the subsidy (补贴), with the exports
/// for the report upward (admins).
#[component]
pub fn DutyHours(from: NaiveDate, to: NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let rows = LocalResource::new(move || api::workers::hours(from, to));
    view! {
        <section class="panel duty-hours" aria-labelledby="duty-hours-title">
            <h2 id="duty-hours-title">{t!(i18n, workers.hours_title)}</h2>
            <p class="hint">{t!(i18n, workers.hours_lead)}</p>
            {move || match rows.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || rows.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, workers.hours_none)}</p> })}
                    <ul class="plain">
                        {page.items.into_iter().map(|row| {
                            let hours = format!("{:.1}", row.minutes as f64 / 60.0);
                            let warned = row.warned_duties;
                            view! {
                                <li>
                                    {move || t_string!(i18n, workers.hours_row, name = row.name.clone(), duties = row.duties, hours = hours.clone()).to_string()}
                                    {(warned > 0).then(|| view! { <span class="warned">{move || t_string!(i18n, workers.hours_warned, n = warned).to_string()}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }),
            }}
            <p class="actions">
                <a class="button secondary" href=api::workers::hours_file_url(from, to, "xlsx") download>{t!(i18n, workers.export_xlsx)}</a>
                <a class="button secondary" href=api::workers::hours_file_url(from, to, "csv") download>{t!(i18n, workers.export_csv)}</a>
            </p>
        </section>
    }
}
