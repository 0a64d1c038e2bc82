use crate::api;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::community::Structure;
use shouwang_api::testing::{
    NAME_MAX, NOTES_MAX, PLACE_MAX, RoundInput, SlotInput, format_time, parse_time,
    sequential_slots,
};

const FIELDS: &[&str] = &["name", "date", "place", "notes", "building_ids", "slots"];

#[derive(Clone)]
struct SlotDraft {
    unit_id: i64,
    label: String,
    start: RwSignal<String>,
    end: RwSignal<String>,
}

/// 安排检测轮次: name, day, place, notes, the buildings of the caller's grids, and a slot
/// per unit filled in one after the other from a start time and minutes per unit (each
/// editable). `on_created` gets the new round's id.
/// (building id, "grid · building", [(unit id, "building unit")]): one of the caller's
/// buildings to choose for a round.
type BuildingChoice = (i64, String, Vec<(i64, String)>);

#[component]
pub fn TestingRoundForm(on_created: impl Fn(i64) + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let structure = LocalResource::new(api::community::structure);
    // The caller's buildings (every building for admins).
    let mine = LocalResource::new(|| api::zones::buildings(1));
    let name = RwSignal::new(String::new());
    let date = RwSignal::new(crate::format::today().to_string());
    let place = RwSignal::new(String::new());
    let notes = RwSignal::new(t_string!(i18n, testing.notes_default).to_owned());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let first = RwSignal::new("08:00".to_owned());
    let minutes = RwSignal::new("30".to_owned());
    let slots = RwSignal::new(Vec::<SlotDraft>::new());
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(false);

    let buildings = move || -> Vec<BuildingChoice> {
        let (Some(Ok(s)), Some(Ok(m))) = (structure.get(), mine.get()) else {
            return Vec::new();
        };
        let s: Structure = s;
        s.grids
            .into_iter()
            .filter(|g| !g.retired)
            .flat_map(|g| {
                let grid = g.name.clone();
                g.buildings.into_iter().map(move |b| (grid.clone(), b))
            })
            .filter(|(_, b)| !b.retired && m.items.iter().any(|x| x.building_id == b.id))
            .map(|(grid, b)| {
                let units = b
                    .units
                    .iter()
                    .filter(|u| !u.retired)
                    .map(|u| (u.id, format!("{} {}", b.name, u.name)))
                    .collect();
                (b.id, format!("{grid} · {}", b.name), units)
            })
            .collect()
    };
    let fill = move || {
        let chosen = chosen.get_untracked();
        let units: Vec<(i64, String)> = buildings()
            .into_iter()
            .filter(|(id, _, _)| chosen.contains(id))
            .flat_map(|(_, _, units)| units)
            .collect();
        let start = parse_time("slots", &first.get_untracked()).ok();
        let step = minutes.get_untracked().trim().parse::<u32>().unwrap_or(30);
        let times = start
            .map(|s| sequential_slots(s, step, units.len()))
            .unwrap_or_default();
        slots.set(
            units
                .into_iter()
                .enumerate()
                .map(|(i, (unit_id, label))| {
                    let (s, e) = times
                        .get(i)
                        .map(|(s, e)| (format_time(*s), format_time(*e)))
                        .unwrap_or_default();
                    SlotDraft {
                        unit_id,
                        label,
                        start: RwSignal::new(s),
                        end: RwSignal::new(e),
                    }
                })
                .collect(),
        );
    };
    let send = Action::new_local(move |input: &RoundInput| {
        let input = input.clone();
        async move {
            match api::testing::create(&input, crate::format::today()).await {
                Ok(created) => {
                    done.set(true);
                    name.set(String::new());
                    chosen.set(Vec::new());
                    slots.set(Vec::new());
                    on_created(created.id);
                }
                Err(e) => show_errors(errors, form_error(i18n, &e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        done.set(false);
        let input = RoundInput {
            name: name.get_untracked(),
            date: date.get_untracked(),
            place: place.get_untracked(),
            notes: Some(notes.get_untracked()),
            building_ids: chosen.get_untracked(),
            slots: slots
                .get_untracked()
                .iter()
                .map(|s| SlotInput {
                    unit_id: s.unit_id,
                    start: s.start.get_untracked(),
                    end: s.end.get_untracked(),
                })
                .collect(),
        };
        if !refuse_all(i18n, errors, input.errors(crate::format::today())) {
            send.dispatch(input);
        }
    };
    view! {
        <details class="panel testing-form">
            <summary>{t!(i18n, testing.new_round)}</summary>
            <form novalidate on:submit=submit>
                <Field id="testing-name" label=move || t_string!(i18n, testing.name) hint=move || t_string!(i18n, testing.name_hint) error=error_for(errors, "name") max=NAME_MAX>
                    <input id="testing-name" maxlength=NAME_MAX.to_string() bind:value=name />
                </Field>
                <Field id="testing-date" label=move || t_string!(i18n, testing.date) error=error_for(errors, "date")>
                    <input id="testing-date" type="date" bind:value=date />
                </Field>
                <Field id="testing-place" label=move || t_string!(i18n, testing.place) error=error_for(errors, "place") max=PLACE_MAX>
                    <input id="testing-place" maxlength=PLACE_MAX.to_string() bind:value=place />
                </Field>
                <Field id="testing-notes" label=move || t_string!(i18n, testing.notes) error=error_for(errors, "notes") max=NOTES_MAX>
                    <textarea id="testing-notes" rows="3" maxlength=NOTES_MAX.to_string() bind:value=notes></textarea>
                </Field>
                <fieldset class="testing-buildings">
                    <legend>{t!(i18n, testing.buildings)}</legend>
                    {move || buildings().into_iter().map(|(id, label, _)| view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                                on:change=move |ev| {
                                    chosen.update(|c| {
                                        c.retain(|x| *x != id);
                                        if event_target_checked(&ev) { c.push(id); }
                                    });
                                    fill();
                                } />
                            <span>{label}</span>
                        </label>
                    }).collect_view()}
                    <p class="field-error" aria-live="polite">{move || error_for(errors, "building_ids").get()}</p>
                </fieldset>
                <div class="testing-quick">
                    <Field id="testing-first" label=move || t_string!(i18n, testing.quick_start) error=Signal::derive(|| None::<String>)>
                        <input id="testing-first" type="time" bind:value=first on:change=move |_| fill() />
                    </Field>
                    <Field id="testing-minutes" label=move || t_string!(i18n, testing.quick_minutes) error=Signal::derive(|| None::<String>)>
                        <input id="testing-minutes" type="number" min="5" max="240" step="5" inputmode="numeric" bind:value=minutes on:change=move |_| fill() />
                    </Field>
                </div>
                <fieldset class="testing-slots">
                    <legend>{t!(i18n, testing.slots)}</legend>
                    {move || slots.get().into_iter().map(|slot| view! {
                        <div class="testing-slot">
                            <span>{slot.label.clone()}</span>
                            <input type="time" aria-label=format!("{} {}", slot.label, t_string!(i18n, testing.slot_start)) bind:value=slot.start />
                            "–"
                            <input type="time" aria-label=format!("{} {}", slot.label, t_string!(i18n, testing.slot_end)) bind:value=slot.end />
                        </div>
                    }).collect_view()}
                    <p class="field-error" aria-live="polite">{move || error_for(errors, "slots").get()}</p>
                </fieldset>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <p class="form-ok" role="status">{move || done.get().then(|| t_string!(i18n, testing.created))}</p>
                <button type="submit" class="button block" disabled=move || send.pending().get()>{t!(i18n, testing.create)}</button>
            </form>
        </details>
    }
}
