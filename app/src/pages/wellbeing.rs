use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::require_role::RequireRole;
use crate::components::wellbeing_form::WellbeingForm;
use crate::components::wellbeing_result::WellbeingResultCard;
use crate::components::wellbeing_summary::WellbeingSummaryPanel;
use crate::components::worker_labels::band_label;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::auth::Role;
use shouwang_api::workers::WellbeingResult;

/// 身心自评 for staff, admins and volunteers: four questions, the worker's own result with
/// where to get help, their own past checks (erasable), and for admins the team's
/// anonymous counts.
#[component]
pub fn WellbeingPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_resident = move || {
        session
            .account
            .with(|a| a.as_ref().is_some_and(|a| a.role == Role::Resident))
    };
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, workers.wb_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Volunteer>
            {move || if is_resident() {
                view! {
                    <section class="panel">
                        <h1>{t!(i18n, denied.title)}</h1>
                        <p>{t!(i18n, denied.forbidden)}</p>
                    </section>
                }.into_any()
            } else {
                view! { <WellbeingBody /> }.into_any()
            }}
        </RequireRole>
    }
}

#[component]
fn WellbeingBody() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let latest = RwSignal::new(None::<WellbeingResult>);
    let reload = RwSignal::new(0u32);
    let history = LocalResource::new(move || {
        reload.track();
        api::workers::own_checks(1)
    });
    let erased = RwSignal::new(false);
    let erase = Action::new_local(move |_: &()| async move {
        if api::workers::erase_own().await.is_ok() {
            latest.set(None);
            erased.set(true);
            reload.update(|n| *n += 1);
        }
    });
    let on_result = Callback::new(move |result: WellbeingResult| {
        latest.set(Some(result));
        erased.set(false);
        reload.update(|n| *n += 1);
        request_animation_frame(|| {
            if let Some(card) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("wb-result-title"))
            {
                card.scroll_into_view_with_bool(true);
            }
        });
    });
    view! {
        <h1>{t!(i18n, workers.wb_title)}</h1>
        <p class="lead">{t!(i18n, workers.wb_lead)}</p>
        <p class="banner wb-private">{t!(i18n, workers.wb_private)}</p>
        {move || latest.get().map(|result| view! { <WellbeingResultCard result /> })}
        <WellbeingForm on_result />
        <section class="panel wb-history" aria-labelledby="wb-history-title">
            <h2 id="wb-history-title">{t!(i18n, workers.wb_history_title)}</h2>
            <Show when=move || erased.get()>
                <p class="banner banner-ok" role="status">{t!(i18n, workers.wb_erased)}</p>
            </Show>
            {move || match history.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || history.refetch() /> }),
                Some(Ok(page)) => {
                    let empty = page.items.is_empty();
                    EitherOf3::C(view! {
                        {empty.then(|| view! { <p class="empty">{t!(i18n, workers.wb_history_empty)}</p> })}
                        <ul class="plain">
                            {page.items.into_iter().map(|r| {
                                let at = format::date_time(r.taken_at);
                                view! { <li>{move || t_string!(i18n, workers.wb_history_row, at = at.clone(), band = band_label(i18n, r.band), total = r.total).to_string()}</li> }
                            }).collect_view()}
                        </ul>
                        {(!empty).then(|| view! {
                            <button type="button" class="button secondary" disabled=move || erase.pending().get()
                                on:click=move |_| { erase.dispatch(()); }>
                                {t!(i18n, workers.wb_erase)}
                            </button>
                        })}
                    })
                }
            }}
        </section>
        <Show when=move || session.is_admin()>
            <WellbeingSummaryPanel />
        </Show>
    }
}
