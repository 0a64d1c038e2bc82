use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::medicine_run_details::MedicineRunDetails;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::components::supply_labels::{
    event_detail_text, event_note_text, kind_label, state_label,
};
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;
use shouwang_api::supplies::{
    ActionInput, AssignableVolunteer, NOTE_MAX, RequestAction, RequestEvent, RequestState,
    SupplyRequest, Urgency,
};

/// Staff: open requests of their grids, urgent first, then priority, then oldest, overdue
/// ones flagged, each with the resident's note;
/// accept, assign to a volunteer, or refuse with a reason.
#[component]
pub fn SupplyDashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let state =
        Memo::new(move |_| query.with(|q| q.get("state").and_then(|s| RequestState::parse(&s))));
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let requests = LocalResource::new(move || api::supplies::dashboard(state.get(), page.get()));
    let volunteers = LocalResource::new(api::supplies::volunteers);
    let feedback = RwSignal::new(None::<Result<String, String>>);
    let act = Action::new_local(move |(id, input): &(i64, ActionInput)| {
        let (id, input) = (*id, input.clone());
        async move {
            feedback.set(Some(match api::supplies::act(id, &input).await {
                Ok(_) => Ok(t_string!(i18n, supplies.acted_ok).to_owned()),
                Err(error) => Err(api_error_text(i18n, &error)),
            }));
            requests.refetch();
        }
    });
    let href = move |p: u32| {
        let state = state
            .get_untracked()
            .map(RequestState::as_str)
            .unwrap_or_default();
        format!("/staff/supplies?state={state}&page={p}")
    };
    let navigate = leptos_router::hooks::use_navigate();
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, supplies.dashboard_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, supplies.dashboard_title)}</h1>
            <div class="field">
                <label for="supply-state">{t!(i18n, supplies.filter_state)}</label>
                <select id="supply-state" on:change={
                    let navigate = navigate.clone();
                    move |ev| navigate(&format!("/staff/supplies?state={}", event_target_value(&ev)), Default::default())
                }>
                    <option value="">{t!(i18n, supplies.all_open)}</option>
                    {RequestState::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || state.get() == Some(s)>{move || state_label(i18n, s)}</option>
                    }).collect_view()}
                </select>
            </div>
            {move || feedback.get().map(|f| match f {
                Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
            })}
            {move || match requests.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || requests.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, supplies.empty)}</p> })}
                    <ul class="rows">
                        {page.items.iter().cloned().map(|request| {
                            let volunteers = volunteers.get().and_then(Result::ok).unwrap_or_default();
                            view! { <DashboardRow request volunteers act /> }
                        }).collect_view()}
                    </ul>
                    <Pager page=page.page page_count=page.page_count() total=page.total href />
                }),
            }}
        </RequireRole>
    }
}

#[component]
fn DashboardRow(
    request: SupplyRequest,
    volunteers: Vec<AssignableVolunteer>,
    act: Action<(i64, ActionInput), ()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = request.id;
    let state = request.state;
    let kind = request.kind;
    let address = request.address.clone();
    // A closure, so the row follows a change of language.
    let title = move || {
        format!(
            "{} · {} · {}",
            address,
            kind_label(i18n, kind),
            state_label(i18n, state)
        )
    };
    let urgent = request.urgency == Urgency::Urgent;
    let volunteer = RwSignal::new(volunteers.first().map(|v| v.id));
    let reason = RwSignal::new(String::new());
    let run = move |action: RequestAction| {
        let mut input = ActionInput::new(action);
        input.volunteer_id = volunteer.get_untracked();
        input.note = Some(reason.get_untracked()).filter(|r| !r.trim().is_empty());
        act.dispatch((id, input));
    };
    let can = move |action: RequestAction| state.after(action).is_some();
    let at = format::date_time(request.created_at);
    let volunteer_name = request.volunteer_name.clone();
    let row_label = title.clone();
    view! {
        <li class="row supply-row" class:stale=request.stale class:urgent=urgent aria-label=row_label>
            <div class="row-main">
                <p class="row-title">
                    {urgent.then(|| view! { <span class="tag urgent">{t!(i18n, trial_resident.urgent)}</span>" " })}
                    {request.priority.then(|| view! { <span class="tag priority">{t!(i18n, supplies.priority)}</span>" " })}
                    {request.stale.then(|| view! { <span class="tag stale">{t!(i18n, supplies.stale)}</span>" " })}
                    {title}
                </p>
                <p>{request.items.clone()}</p>
                {request.notes.clone().map(|notes| view! {
                    <p class="supply-notes"><strong>{t!(i18n, trial_resident.resident_note)}</strong>" " {notes}</p>
                })}
                <p class="meta">{move || t_string!(i18n, supplies.created, at = at.clone()).to_string()}
                    {move || volunteer_name.clone().map(|name| format!(" · {}", t_string!(i18n, supplies.volunteer, name)))}
                </p>
                {request.medicine_run.then(|| view! { <MedicineRunDetails request_id=id /> })}
                <RequestHistory id />
            </div>
            <div class="row-actions">
                {can(RequestAction::Accept).then(|| view! {
                    <button type="button" class="button small" on:click=move |_| run(RequestAction::Accept)>{t!(i18n, supplies.accept)}</button>
                })}
                {can(RequestAction::Assign).then(|| {
                    let select_id = format!("assign-{id}");
                    view! {
                        <label for=select_id.clone()>{t!(i18n, supplies.volunteer_label)}</label>
                        <select id=select_id on:change=move |ev| volunteer.set(event_target_value(&ev).parse().ok())>
                            {volunteers.iter().map(|v| {
                                let label = if v.can_deliver { format!("{}（{}）", v.name, t_string!(i18n, supplies.can_deliver)) } else { v.name.clone() };
                                view! { <option value=v.id.to_string()>{label}</option> }
                            }).collect_view()}
                        </select>
                        <button type="button" class="button small" on:click=move |_| run(RequestAction::Assign)>{t!(i18n, supplies.assign)}</button>
                    }
                })}
                {can(RequestAction::Refuse).then(|| {
                    let reason_id = format!("refuse-{id}");
                    view! {
                        <label for=reason_id.clone()>{t!(i18n, supplies.refuse_reason)}</label>
                        <input id=reason_id maxlength=NOTE_MAX bind:value=reason />
                        <button type="button" class="button small danger" on:click=move |_| run(RequestAction::Refuse)>{t!(i18n, supplies.refuse)}</button>
                    }
                })}
            </div>
        </li>
    }
}

/// A request's history (处理记录), loaded when opened: each line worded in the reader's
/// language from the codes the server stored.
#[component]
fn RequestHistory(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let history = LocalResource::new(move || {
        let opened = open.get();
        async move {
            if opened {
                api::supplies::one(id).await.ok().map(|r| r.events)
            } else {
                None
            }
        }
    });
    view! {
        <details class="supply-history" on:toggle=move |ev| {
            use wasm_bindgen::JsCast;
            let opened = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                .is_some_and(|d| d.open());
            open.set(opened);
        }>
            <summary>{t!(i18n, trial_resident.history)}</summary>
            <ol class="history-lines">
                {move || history.get().flatten().map(|events| {
                    events.into_iter().map(|e| view! { <li>{move || history_line(i18n, &e)}</li> }).collect_view()
                })}
            </ol>
        </details>
    }
}

fn history_line(i18n: I18nContext<Locale>, e: &RequestEvent) -> String {
    let mut parts = vec![
        format::date_time(e.at),
        state_label(i18n, e.to_state).to_owned(),
    ];
    parts.extend(e.actor_name.clone());
    parts.extend(e.detail.as_ref().map(|d| event_detail_text(i18n, d)));
    parts.extend(e.note.as_deref().map(|n| event_note_text(i18n, n)));
    parts.join(" · ")
}
