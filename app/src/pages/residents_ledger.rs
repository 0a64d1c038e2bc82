use crate::api;
use crate::components::coverage_map::CoverageMap;
use crate::components::door_visit::DoorVisit;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::phone_link::PhoneLink;
use crate::components::require_role::RequireRole;
use crate::components::resident_labels::*;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::auth::Role;
use shouwang_api::residents::{
    HouseholdSummary, LastVisit, LedgerQuery, ObservationStatus, RiskCategory, Source, SpecialGroup,
};

#[component]
pub fn ResidentsLedgerPage() -> impl IntoView {
    let i18n = use_i18n();
    let coverage = LocalResource::new(api::residents::coverage);
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, residents.ledger_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, residents.ledger_title)}</h1>
            <CoverageMap coverage />
            <DoorVisit coverage />
            <MergeRequests />
            <Ledger />
        </RequireRole>
    }
}

/// A `<select>` over an enum's values with "all" first.
fn enum_select<T: Copy + PartialEq + Send + Sync + 'static>(
    id: &'static str,
    label: impl Fn() -> &'static str + Copy + Send + Sync + 'static,
    all: &'static [T],
    name: fn(T) -> &'static str,
    text: impl Fn(T) -> &'static str + Copy + Send + Sync + 'static,
    parse: fn(&str) -> Option<T>,
    value: RwSignal<Option<T>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| value.set(parse(&event_target_value(&ev)))>
                <option value="" selected=move || value.get().is_none()>{t!(i18n, residents.all)}</option>
                {all.iter().copied().map(|v| view! {
                    <option value=name(v) selected=move || value.get() == Some(v)>{move || text(v)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Ledger() -> impl IntoView {
    let i18n = use_i18n();
    let group = RwSignal::new(None::<SpecialGroup>);
    let risk = RwSignal::new(None::<RiskCategory>);
    let observation = RwSignal::new(None::<ObservationStatus>);
    let source = RwSignal::new(None::<Source>);
    let last_visit = RwSignal::new(None::<LastVisit>);
    let q = RwSignal::new(String::new());
    let applied = RwSignal::new(LedgerQuery::default());
    let page = RwSignal::new(1u32);
    let list = LocalResource::new(move || {
        let query = applied.get();
        let page = page.get();
        async move { api::residents::ledger(&query, page).await }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        page.set(1);
        applied.set(LedgerQuery {
            group: group.get_untracked(),
            risk: risk.get_untracked(),
            observation: observation.get_untracked(),
            source: source.get_untracked(),
            last_visit: last_visit.get_untracked(),
            q: Some(q.get_untracked()).filter(|q| !q.trim().is_empty()),
            ..LedgerQuery::default()
        });
    };

    view! {
        <section class="panel">
            <h2>{t!(i18n, residents.households_title)}</h2>
            <form class="filters" on:submit=apply>
                <div class="field">
                    <label for="ledger-q">{t!(i18n, residents.search)}</label>
                    <input id="ledger-q" type="search" bind:value=q />
                </div>
                {enum_select("ledger-group", move || t_string!(i18n, residents.filter_group), SpecialGroup::ALL,
                    SpecialGroup::as_str, move |v| group_label(i18n, v), SpecialGroup::parse, group)}
                {enum_select("ledger-risk", move || t_string!(i18n, residents.filter_risk), RiskCategory::ALL,
                    RiskCategory::as_str, move |v| risk_label(i18n, v), RiskCategory::parse, risk)}
                {enum_select("ledger-observation", move || t_string!(i18n, residents.filter_observation), ObservationStatus::ALL,
                    ObservationStatus::as_str, move |v| observation_label(i18n, v), ObservationStatus::parse, observation)}
                {enum_select("ledger-source", move || t_string!(i18n, residents.filter_source), Source::ALL,
                    Source::as_str, move |v| source_label(i18n, v), Source::parse, source)}
                {enum_select("ledger-last-visit", move || t_string!(i18n, residents.filter_last_visit), LastVisit::ALL,
                    LastVisit::as_str, move |v| last_visit_label(i18n, v), LastVisit::parse, last_visit)}
                <div class="actions">
                    <button type="submit" class="button">{t!(i18n, residents.apply)}</button>
                    <a class="button secondary" download href=move || api::residents::export_url(&applied.get(), "csv")>{t!(i18n, residents.export_csv)}</a>
                    <a class="button secondary" download href=move || api::residents::export_url(&applied.get(), "xlsx")>{t!(i18n, residents.export_xlsx)}</a>
                </div>
            </form>
            {move || match list.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || list.refetch() /> }),
                Some(Ok(result)) => {
                    let total = result.total;
                    let has_next = result.has_next();
                    let current = result.page;
                    let pages = result.page_count();
                    EitherOf3::C(view! {
                        {result.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, residents.empty)}</p> })}
                        <ul class="rows ledger">
                            {result.items.into_iter().map(|h| view! { <LedgerRow household=h /> }).collect_view()}
                        </ul>
                        <nav class="pager">
                            <button type="button" class="button secondary" disabled={current <= 1}
                                on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>{t!(i18n, common.previous_page)}</button>
                            <span class="pager-status">{t!(i18n, common.page_of, page = current, pages)} " · " {t!(i18n, common.total_items, total)}</span>
                            <button type="button" class="button secondary" disabled={!has_next}
                                on:click=move |_| page.update(|p| *p += 1)>{t!(i18n, common.next_page)}</button>
                        </nav>
                    })
                }
            }}
        </section>
    }
}

#[component]
fn LedgerRow(household: HouseholdSummary) -> impl IntoView {
    let i18n = use_i18n();
    let id = household.id;
    let a = &household.address;
    let address = format!("{} · {} · {} · {}", a.grid, a.building, a.unit, a.room);
    let revealed = RwSignal::new(None::<Vec<(String, String, String)>>);
    let reveal = Action::new_local(move |_: &()| async move {
        if let Ok(h) = api::residents::reveal(id).await {
            revealed.set(Some(
                h.members
                    .into_iter()
                    .map(|m| {
                        (
                            m.name,
                            m.phone.unwrap_or_default(),
                            m.id_number.unwrap_or_default(),
                        )
                    })
                    .collect(),
            ));
        }
    });
    let count = household.member_count;
    let tags: Vec<&'static str> = household
        .groups
        .iter()
        .map(|g| group_label(i18n, *g))
        .chain(
            household
                .risk_categories
                .iter()
                .map(|r| risk_label(i18n, *r)),
        )
        .chain(
            household
                .under_observation
                .then(|| t_string!(i18n, residents.under_observation)),
        )
        .collect();
    let visit = household.last_visit_on.map(format::date);
    let label = format!(
        "{} {}",
        t_string!(i18n, residents.reveal),
        household.head_name
    );
    view! {
        <li class="row">
            <div class="row-main">
                <p class="row-title">{household.head_name.clone()} " · " {t!(i18n, residents.members_n, count)}</p>
                <p class="meta">{address} " · " {source_label(i18n, household.source)}</p>
                <p class="meta">{household.head_phone.clone().unwrap_or_default()} {visit.map(|d| format!(" · {d}"))}</p>
                <p class="tags">{tags.into_iter().map(|t| view! { <span class="tag">{t}</span> }).collect_view()}</p>
                {move || revealed.get().map(|members| view! {
                    <ul class="revealed">
                        {members.into_iter().map(|(name, phone, id_number)| view! { <li>{name} " " <PhoneLink phone /> " " {id_number}</li> }).collect_view()}
                    </ul>
                })}
            </div>
            <div class="row-actions">
                <button type="button" class="button small secondary" aria-label=label
                    on:click=move |_| { reveal.dispatch(()); }>{t!(i18n, residents.reveal)}</button>
            </div>
        </li>
    }
}

#[component]
fn MergeRequests() -> impl IntoView {
    let i18n = use_i18n();
    let requests = LocalResource::new(api::residents::merge_requests);
    let decide = Action::new_local(move |&(id, merge): &(i64, bool)| async move {
        let _ = api::residents::decide_merge(id, merge).await;
        requests.refetch();
    });
    move || {
        requests.get().and_then(Result::ok).filter(|r| !r.is_empty()).map(|items| view! {
            <section class="panel">
                <h2>{t!(i18n, residents.merge_title)}</h2>
                <ul class="rows">
                    {items.into_iter().map(|r| {
                        let id = r.id;
                        let count = r.member_count;
                        let a = r.address;
                        view! {
                            <li class="row">
                                <div class="row-main">
                                    <p class="row-title">{format!("{} · {} · {} · {}", a.grid, a.building, a.unit, a.room)}</p>
                                    <p class="meta">{t!(i18n, residents.merge_line, count)}</p>
                                </div>
                                <div class="row-actions">
                                    <button type="button" class="button small" on:click=move |_| { decide.dispatch((id, true)); }>{t!(i18n, residents.merge)}</button>
                                    <button type="button" class="button small secondary" on:click=move |_| { decide.dispatch((id, false)); }>{t!(i18n, residents.reject)}</button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}
