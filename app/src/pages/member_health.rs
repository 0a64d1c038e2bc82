use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::health_check_in::symptom_label;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shouwang_api::auth::Role;
use shouwang_api::health::{CheckIn, MemberHealth};

/// Check-ins shown per page of the history.
const PER_PAGE: usize = 10;

/// One person's health record for staff of their grid: the observation period, the
/// check-ins newest first, and what staff did about them. Every opening is audited.
#[component]
pub fn MemberHealthPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<usize>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let record = LocalResource::new(move || api::health::member(id.get().unwrap_or_default()));
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, care.member_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <p class="back"><A href="/staff/health">{t!(i18n, care.back_to_worklist)}</A></p>
            {move || match record.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || record.refetch() /> }),
                Some(Ok(m)) => EitherOf3::C(view! { <Record m page=page.get() /> }),
            }}
        </RequireRole>
    }
}

#[component]
fn Record(m: MemberHealth, page: usize) -> impl IntoView {
    let i18n = use_i18n();
    let id = m.member_id;
    let observation = match (m.observation_start, m.observation_end) {
        (Some(start), Some(end)) => {
            let (start, end) = (format::date(start), format::date(end));
            t_string!(i18n, care.observation, start, end).to_string()
        }
        _ => t_string!(i18n, care.no_observation).to_string(),
    };
    let total = m.check_ins.len();
    let page_count = total.div_ceil(PER_PAGE).max(1);
    let shown: Vec<CheckIn> = m
        .check_ins
        .into_iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    view! {
        <h1>{m.name} " · " {t!(i18n, care.member_title)}</h1>
        <p>{observation}</p>
        {m.ended_observations.iter().map(|o| {
            let (start, end) = (format::date(o.starts_on), format::date(o.ends_on));
            view! { <p class="muted">{t_string!(i18n, care.ended_observation, start, end).to_string()}</p> }
        }).collect_view()}
        <h2>{t!(i18n, care.check_ins)}</h2>
        {(total == 0).then(|| view! { <p class="empty">{t!(i18n, care.no_check_ins)}</p> })}
        <ul class="rows">{shown.into_iter().map(|c| view! { <CheckInLine c /> }).collect_view()}</ul>
        <Pager page={page as u32} page_count={page_count as u32} total={total as u64}
            href=move |p| format!("/staff/health/member/{id}?page={p}") />
        <h2>{t!(i18n, care.follow_ups)}</h2>
        {m.follow_ups.is_empty().then(|| view! { <p class="empty">{t!(i18n, care.no_follow_ups)}</p> })}
        <ul class="rows">
            {m.follow_ups.into_iter().map(|f| view! {
                <li class="row">
                    <p class="meta">{format::date_time(f.at)} " · " {f.staff_name}</p>
                    <p>{f.note}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn CheckInLine(c: CheckIn) -> impl IntoView {
    let i18n = use_i18n();
    let reading = c
        .temperature
        .map(|t| format!("{t:.1} ℃"))
        .into_iter()
        .chain(
            c.symptoms
                .iter()
                .map(|s| symptom_label(i18n, *s).to_owned()),
        )
        .collect::<Vec<_>>()
        .join(" · ");
    let by = c.by_name.unwrap_or_default();
    view! {
        <li class="row">
            <p class="row-title">
                {format::date(c.day)}
                {c.fever.then(|| view! { " " <span class="tag health-fever">{t!(i18n, health.flag_fever)}</span> })}
            </p>
            <p>{if reading.is_empty() { t_string!(i18n, health.all_well_one).to_string() } else { reading }}</p>
            {c.note.map(|n| view! { <p>{n}</p> })}
            <p class="meta">{format::date_time(c.at)} " · " {t_string!(i18n, care.by, name = by).to_string()}</p>
        </li>
    }
}
