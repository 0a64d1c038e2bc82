use crate::api;
use crate::components::duty_form::DutyForm;
use crate::components::duty_hours::DutyHours;
use crate::components::duty_row::DutyRow;
use crate::components::duty_rules_form::DutyRulesForm;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::require_role::RequireRole;
use crate::components::worker_labels::duration_text;
use crate::format;
use crate::i18n::*;
use crate::pages::volunteer_sign_up::weekday_label;
use crate::session::use_session;
use chrono::{Datelike, Duration, NaiveDate};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;
use shouwang_api::workers::{Duty, DutyRoster};

/// 值班表: the community staff's duties of one week, Monday to Sunday, day by day, with
/// the rest rules each goes past. Every worker sees the team's roster and their own
/// warnings first; admins draw it, set the rules and export the hours.
#[component]
pub fn DutyRosterPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let from = Memo::new(move |_| {
        let day = query
            .with(|q| q.get("from").and_then(|d| format::parse_date(&d)))
            .unwrap_or_else(format::today);
        monday_of(day)
    });
    let reload = RwSignal::new(0u32);
    let roster = LocalResource::new(move || {
        reload.track();
        let from = from.get();
        api::workers::roster(from, from + Duration::days(6))
    });
    let on_change = Callback::new(move |()| reload.update(|n| *n += 1));
    let added = RwSignal::new(None::<Duty>);
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, workers.roster_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, workers.roster_title)}</h1>
            <p class="lead">{t!(i18n, workers.roster_lead)}</p>
            <nav class="week-nav" aria-label=move || t_string!(i18n, workers.this_week)>
                <A href=move || format!("/staff/roster?from={}", from.get() - Duration::days(7))>{t!(i18n, workers.prev_week)}</A>
                <span class="week-range">{move || {
                    let from = from.get();
                    t_string!(i18n, workers.days_range, from = from.format("%m-%d").to_string(), to = (from + Duration::days(6)).format("%m-%d").to_string()).to_string()
                }}</span>
                <A href=move || format!("/staff/roster?from={}", from.get() + Duration::days(7))>{t!(i18n, workers.next_week)}</A>
            </nav>
            {move || match roster.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || roster.refetch() /> }),
                Some(Ok(roster)) => EitherOf3::C(view! { <RosterWeek roster added on_change /> }),
            }}
        </RequireRole>
    }
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

#[component]
fn RosterWeek(
    roster: DutyRoster,
    added: RwSignal<Option<Duty>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = session.account.with_untracked(|a| a.as_ref().map(|a| a.id));
    let admin = session.is_admin();
    let rules = roster.rules;
    let rest = duration_text(i18n, rules.min_rest_minutes);
    let my_warned = roster
        .duties
        .iter()
        .filter(|d| Some(d.worker_id) == me && !d.warnings.is_empty())
        .count();
    let days: Vec<NaiveDate> = (0..7).map(|n| roster.from + Duration::days(n)).collect();
    let first_day = days.first().copied().unwrap_or(roster.from);
    let form_day = if (roster.from..=roster.to).contains(&format::today()) {
        format::today()
    } else {
        first_day
    };
    view! {
        <p class="hint rules-line">{move || t_string!(i18n, workers.rules_line, hours = rules.max_hours_per_week, rest = rest.clone(), days = rules.max_days_in_a_row).to_string()}</p>
        {(my_warned > 0).then(|| view! {
            <p class="banner banner-warning" role="status">{move || t_string!(i18n, workers.my_warnings, n = my_warned).to_string()}</p>
        })}
        {days.into_iter().map(|day| {
            let duties: Vec<_> = roster.duties.iter().filter(|d| d.starts_local.date() == day).cloned().collect();
            let heading = format!("{} {}", day.format("%m-%d"), weekday_label(i18n, day.weekday().number_from_monday() as u8));
            view! {
                <section class="roster-day" aria-label=heading.clone()>
                    <h2>{heading.clone()}</h2>
                    {duties.is_empty().then(|| view! { <p class="empty">{t!(i18n, workers.nobody_on_duty)}</p> })}
                    <ul class="rows">
                        {duties.into_iter().map(|duty| {
                            let mine = Some(duty.worker_id) == me;
                            view! { <DutyRow duty mine can_remove=admin on_removed=on_change /> }
                        }).collect_view()}
                    </ul>
                </section>
            }
        }).collect_view()}
        {admin.then(|| view! {
            <DutyForm workers=roster.workers.clone() day=form_day added on_added=on_change />
            <DutyRulesForm rules on_saved=on_change />
            <DutyHours from=roster.from to=roster.to />
        })}
    }
}
