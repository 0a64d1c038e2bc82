use crate::api::{self, ApiError};
use crate::components::field::{
    Field, FormError, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::components::member_fields::{MemberDraft, MemberFields};
use crate::components::resident_labels::{room_status_label, today, visit_outcome_label};
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::residents::{
    DoorRegistration, GridCoverage, MemberInput, Relation, VisitInput, VisitOutcome,
};

const FIELDS: &[&str] = &[
    "room_id",
    "visited_on",
    "note",
    "name",
    "phone",
    "relation",
    "birth_year",
    "id_number",
    "groups",
    "arrival_date",
    "arrival_from",
    "arrival_place",
    "observation_start",
    "observation_end",
];

/// 入户摸排 at the door, from a phone: pick the room (its status shown), record the visit's
/// outcome, or register the household on its behalf. Coverage refreshes after each.
#[component]
pub fn DoorVisit(coverage: LocalResource<Result<Vec<GridCoverage>, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let building = RwSignal::new(None::<i64>);
    let room = RwSignal::new(None::<i64>);
    let date = RwSignal::new(format::date(today()));
    let outcome = RwSignal::new(VisitOutcome::NobodyHome);
    let note = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let members = RwSignal::new(Vec::<MemberInput>::new());
    let draft = MemberDraft::new(Relation::SelfPerson);
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(None::<&'static str>);

    let grids = move || coverage.get().and_then(Result::ok).unwrap_or_default();
    let buildings = move || {
        grids()
            .into_iter()
            .flat_map(|g| g.buildings)
            .map(|b| (b.building_id, b.name, b.rooms))
            .collect::<Vec<_>>()
    };
    let rooms = move || {
        let b = building.get();
        buildings()
            .into_iter()
            .filter(|x| Some(x.0) == b)
            .flat_map(|x| x.2)
            .map(|r| {
                let label = format!(
                    "{} {} · {}",
                    r.unit,
                    r.room,
                    room_status_label(i18n, r.status)
                );
                (r.room_id, label)
            })
            .collect::<Vec<_>>()
    };
    let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|s| !s.trim().is_empty());
    let finish = move |result: Result<(), ApiError>, message: &'static str| match result {
        Ok(()) => {
            done.set(Some(message));
            note.set(String::new());
            coverage.refetch();
        }
        Err(error) => show_errors(errors, form_error(i18n, &error)),
    };
    let visit = Action::new_local(move |input: &VisitInput| {
        let input = input.clone();
        async move {
            let result = api::residents::record_visit(&input, today()).await;
            finish(result, t_string!(i18n, residents.visit_recorded));
        }
    });
    let register = Action::new_local(move |input: &DoorRegistration| {
        let input = input.clone();
        async move {
            let result = api::residents::register_at_door(&input, today()).await;
            if result.is_ok() {
                members.set(Vec::new());
                draft.clear();
                draft.relation.set(Relation::SelfPerson);
            }
            finish(result, t_string!(i18n, residents.door_registered));
        }
    });
    let start = move || -> Option<i64> {
        errors.set(FormErrors::default());
        done.set(None);
        let id = room.get_untracked();
        if id.is_none() {
            show_errors(
                errors,
                FormError {
                    field: Some("room_id".into()),
                    message: error_text(i18n, shouwang_api::ErrorCode::Required, None),
                },
            );
        }
        id
    };
    // Adds the member being typed to the list; an empty form adds nothing.
    let keep_member = move || -> bool {
        if draft.name.with_untracked(|n| n.trim().is_empty())
            && !members.with_untracked(Vec::is_empty)
        {
            return true;
        }
        let input = draft.input();
        if refuse_all(i18n, errors, input.errors(today(), consent.get_untracked())) {
            return false;
        }
        members.update(|ms| ms.push(input));
        draft.clear();
        true
    };
    let record = move |_| {
        if let Some(room_id) = start() {
            let input = VisitInput {
                room_id,
                visited_on: format::parse_date(&date.get_untracked()).unwrap_or_else(today),
                outcome: outcome.get_untracked(),
                note: text(note),
            };
            if !refuse_all(i18n, errors, input.errors(today())) {
                visit.dispatch(input);
            }
        }
    };
    let add_member = move |_| {
        errors.set(FormErrors::default());
        done.set(None);
        keep_member();
    };
    let submit = move |_| {
        if let Some(room_id) = start()
            && keep_member()
        {
            register.dispatch(DoorRegistration {
                room_id,
                members: members.get_untracked(),
                consent_sensitive: consent.get_untracked(),
                note: text(note),
            });
        }
    };
    let parse_id = |ev: &leptos::ev::Event| event_target_value(ev).parse::<i64>().ok();
    let busy = move || visit.pending().get() || register.pending().get();

    view! {
        <section class="panel door">
            <h2>{t!(i18n, residents.door_title)}</h2>
            <form novalidate on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                <Field id="door-building" label=move || t_string!(i18n, residents.door_building) error=Signal::derive(|| None::<String>)>
                    <select id="door-building" on:change=move |ev| { building.set(parse_id(&ev)); room.set(None); }>
                        <option value="" selected=move || building.get().is_none()>{t!(i18n, residents.choose)}</option>
                        {move || buildings().into_iter().map(|(id, name, _)| view! {
                            <option value=id.to_string() selected=move || building.get() == Some(id)>{name}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="door-room" label=move || t_string!(i18n, residents.door_room) error=error_for(errors, "room_id")>
                    <select id="door-room" on:change=move |ev| room.set(parse_id(&ev))>
                        <option value="" selected=move || room.get().is_none()>{t!(i18n, residents.choose)}</option>
                        {move || rooms().into_iter().map(|(id, label)| view! {
                            <option value=id.to_string() selected=move || room.get() == Some(id)>{label}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="door-note" label=move || t_string!(i18n, residents.visit_note) error=error_for(errors, "note") max=200>
                    <input id="door-note" maxlength="200" bind:value=note />
                </Field>
                <fieldset class="door-visit">
                    <legend>{t!(i18n, residents.record_visit)}</legend>
                    <Field id="door-date" label=move || t_string!(i18n, residents.visit_date) error=error_for(errors, "visited_on")>
                        <input id="door-date" type="date" bind:value=date />
                    </Field>
                    <Field id="door-outcome" label=move || t_string!(i18n, residents.visit_outcome) error=Signal::derive(|| None::<String>)>
                        <select id="door-outcome" on:change=move |ev| {
                            if let Some(o) = VisitOutcome::parse(&event_target_value(&ev)) { outcome.set(o); }
                        }>
                            {VisitOutcome::ALL.iter().copied().map(|o| view! {
                                <option value=o.as_str() selected=move || outcome.get() == o>{move || visit_outcome_label(i18n, o)}</option>
                            }).collect_view()}
                        </select>
                    </Field>
                    <button type="button" class="button block" disabled=busy on:click=record>{t!(i18n, residents.record_visit)}</button>
                </fieldset>
                <details class="door-register">
                    <summary>{t!(i18n, residents.door_register_title)}</summary>
                    <label class="check big">
                        <input type="checkbox" prop:checked=move || consent.get()
                            on:change=move |ev| consent.set(event_target_checked(&ev)) />
                        <span>{t!(i18n, residents.door_consent)}</span>
                    </label>
                    <p class="lead">{move || { let count = members.with(Vec::len); t_string!(i18n, residents.members_so_far, count).to_string() }}</p>
                    <MemberFields draft sensitive=consent errors />
                    <button type="button" class="button secondary block" on:click=add_member>{t!(i18n, residents.door_keep_member)}</button>
                    <button type="button" class="button block" disabled=busy on:click=submit>{t!(i18n, residents.door_submit)}</button>
                </details>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <p class="form-ok" role="status">{move || done.get()}</p>
            </form>
        </section>
    }
}
