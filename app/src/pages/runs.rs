use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::components::supply_labels::{kind_label, state_label};
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use shouwang_api::auth::Role;
use shouwang_api::supplies::{RunInput, RunWithStops};
use std::collections::HashSet;

/// Sealed-building runs for staff: pick a sealed building, put its accepted orders into a
/// run for the gate, record the hand-over there, and follow each order to its door.
#[component]
pub fn RunsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let building =
        Memo::new(move |_| query.with(|q| q.get("building").and_then(|b| b.parse::<i64>().ok())));
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let buildings = LocalResource::new(api::zones::sealed_buildings);
    let navigate = use_navigate();
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, care.runs_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, care.runs_title)}</h1>
            <div class="field">
                <label for="run-building">{t!(i18n, care.building)}</label>
                <select id="run-building" on:change={
                    let navigate = navigate.clone();
                    move |ev| navigate(&format!("/staff/runs?building={}", event_target_value(&ev)), Default::default())
                }>
                    <option value="">{t!(i18n, care.choose_building)}</option>
                    {move || buildings.get().and_then(Result::ok).map(|p| p.items.into_iter().map(|b| {
                        let id = b.building_id;
                        view! {
                            <option value=id.to_string() selected=move || building.get() == Some(id)>
                                {format!("{} {}", b.grid_name, b.building_name)}
                            </option>
                        }
                    }).collect_view())}
                </select>
            </div>
            {move || buildings.get().and_then(Result::ok).filter(|p| p.total == 0)
                .map(|_| view! { <p class="empty">{t!(i18n, care.no_sealed)}</p> })}
            {move || building.get().map(|b| view! { <BuildingRuns building=b page=page.get() /> })}
        </RequireRole>
    }
}

#[component]
fn BuildingRuns(building: i64, page: u32) -> impl IntoView {
    let i18n = use_i18n();
    let ready = LocalResource::new(move || api::supplies::ready_for_run(building));
    let runs = LocalResource::new(move || api::supplies::runs(building, page));
    let volunteers = LocalResource::new(api::supplies::volunteers);
    let left_out = RwSignal::new(HashSet::<i64>::new());
    let receiver = RwSignal::new(None::<i64>);
    let feedback = RwSignal::new(None::<Result<&'static str, String>>);
    let done = move |result: Result<&'static str, api::ApiError>| {
        feedback.set(Some(result.map_err(|e| api_error_text(i18n, &e))));
        ready.refetch();
        runs.refetch();
    };
    let create = Action::new_local(move |input: &RunInput| {
        let input = input.clone();
        async move {
            let result = api::supplies::create_run(&input).await;
            done(result.map(|_| t_string!(i18n, care.run_created)));
        }
    });
    let hand_over = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            let result = api::supplies::hand_over(id).await;
            done(result.map(|_| t_string!(i18n, care.handed_over_ok)));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let skip = left_out.get_untracked();
        let request_ids = ready
            .get_untracked()
            .and_then(Result::ok)
            .map(|p| {
                p.items
                    .iter()
                    .map(|r| r.id)
                    .filter(|id| !skip.contains(id))
                    .collect()
            })
            .unwrap_or_default();
        create.dispatch(RunInput {
            building_id: building,
            request_ids,
            volunteer_id: receiver.get_untracked(),
        });
    };
    view! {
        {move || feedback.get().map(|f| match f {
            Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
            Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
        })}
        <h2>{t!(i18n, care.ready_title)}</h2>
        {move || match ready.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || ready.refetch() /> }),
            Some(Ok(p)) if p.items.is_empty() => EitherOf3::C(view! { <p class="empty">{t!(i18n, care.no_ready)}</p> }.into_any()),
            Some(Ok(p)) => EitherOf3::C(view! {
                <form novalidate class="run-new" on:submit=submit>
                    <fieldset class="choices">
                        <legend>{t!(i18n, care.orders)}</legend>
                        {p.items.into_iter().map(|r| {
                            let id = r.id;
                            let label = format!("{} · {} · {}", r.address, kind_label(i18n, r.kind), r.items);
                            view! {
                                <label class="check">
                                    <input type="checkbox" prop:checked=true on:change=move |ev| left_out.update(|s| {
                                        if event_target_checked(&ev) { s.remove(&id); } else { s.insert(id); }
                                    }) />
                                    <span>{label}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <div class="field">
                        <label for="run-receiver">{t!(i18n, care.receiver)}</label>
                        <select id="run-receiver" on:change=move |ev| receiver.set(event_target_value(&ev).parse().ok())>
                            <option value="">{t!(i18n, care.receiver_head)}</option>
                            {move || volunteers.get().and_then(Result::ok).map(|list| list.into_iter().map(|v| view! {
                                <option value=v.id.to_string()>{v.name}</option>
                            }).collect_view())}
                        </select>
                    </div>
                    <button type="submit" class="button" disabled=move || create.pending().get()>{t!(i18n, care.create_run)}</button>
                </form>
            }.into_any()),
        }}
        <h2>{t!(i18n, care.runs_list)}</h2>
        {move || match runs.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || runs.refetch() /> }),
            Some(Ok(p)) => EitherOf3::C(view! {
                {p.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, care.no_runs)}</p> })}
                <ul class="rows">{p.items.iter().cloned().map(|run| view! { <Run run hand_over /> }).collect_view()}</ul>
                <Pager page=p.page page_count=p.page_count() total=p.total
                    href=move |n| format!("/staff/runs?building={building}&page={n}") />
            }),
        }}
    }
}

#[component]
fn Run(run: RunWithStops, hand_over: Action<i64, ()>) -> impl IntoView {
    let i18n = use_i18n();
    let RunWithStops { run, stops } = run;
    let id = run.id;
    let title = t_string!(i18n, care.run_title, id, building = run.building_name).to_string();
    let receiver = run.handover_to.unwrap_or_default();
    let label = title.clone();
    view! {
        <li class="row" aria-label=label>
            <p class="row-title">{title}</p>
            <p>{t_string!(i18n, care.run_receiver, name = receiver).to_string()}</p>
            {match run.handed_over_at {
                Some(at) => view! { <p class="tag">{t_string!(i18n, care.handed_over_at, at = format::date_time(at)).to_string()}</p> }.into_any(),
                None => view! {
                    <button type="button" class="button" on:click=move |_| { hand_over.dispatch(id); }>{t!(i18n, care.hand_over)}</button>
                }.into_any(),
            }}
            <ul>
                {stops.into_iter().map(|s| view! {
                    <li>{s.address} " · " {kind_label(i18n, s.kind)} " · " <span class="tag">{state_label(i18n, s.state)}</span></li>
                }).collect_view()}
            </ul>
        </li>
    }
}
