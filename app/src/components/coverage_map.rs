use crate::api::ApiError;
use crate::components::resident_labels::room_status_label;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::residents::{BuildingCoverage, GridCoverage, RoomCoverage, RoomStatus};

/// Coverage at a glance: per grid a figure and a bar, per building and unit a grid of rooms
/// marked and coloured by status under a legend, so a worker sees which doors are still
/// unknocked.
#[component]
pub fn CoverageMap(coverage: LocalResource<Result<Vec<GridCoverage>, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel coverage" aria-labelledby="coverage-title">
            <h2 id="coverage-title">{t!(i18n, residents.coverage_title)}</h2>
            <Legend />
            {move || coverage.get().and_then(Result::ok).map(|grids| {
                grids.into_iter().map(|g| view! { <GridFigure grid=g /> }).collect_view()
            })}
        </section>
    }
}

#[component]
fn GridFigure(grid: GridCoverage) -> impl IntoView {
    let i18n = use_i18n();
    let (covered, known, registered, visited) =
        (grid.covered, grid.known, grid.registered, grid.visited);
    view! {
        <div class="coverage-grid">
            <h3>{grid.name.clone()}</h3>
            <p class="coverage-figure">{t!(i18n, residents.coverage_figure, covered, known)}</p>
            <meter min="0" max=known.max(1) value=covered aria-label=grid.name.clone()></meter>
            <p class="meta">{t!(i18n, residents.coverage_detail, registered, visited)}</p>
            {grid.buildings.into_iter().map(|b| view! { <BuildingRooms building=b /> }).collect_view()}
        </div>
    }
}

#[component]
fn BuildingRooms(building: BuildingCoverage) -> impl IntoView {
    let i18n = use_i18n();
    let (covered, known) = (building.covered, building.known);
    let name = building.name.clone();
    // Rooms arrive ordered by unit; each unit gets its own labelled row, so 101–602 of
    // 1单元 and of 2单元 are told apart.
    let mut units: Vec<(String, Vec<RoomCoverage>)> = Vec::new();
    for room in building.rooms {
        match units.last_mut() {
            Some((unit, rooms)) if *unit == room.unit => rooms.push(room),
            _ => units.push((room.unit.clone(), vec![room])),
        }
    }
    view! {
        <div class="coverage-building">
            <h4 class="row-title">
                {building.name.clone()} " · " {t!(i18n, residents.coverage_figure, covered, known)}
                {building.head_name.clone().map(|h| view! { " · " {t!(i18n, residents.building_head)} " " {h} })}
            </h4>
            {units.into_iter().map(|(unit, rooms)| {
                let label = format!("{name} {unit}");
                view! {
                    <div class="coverage-unit">
                        <p class="unit-label">{unit.clone()}</p>
                        <ul class="rooms" aria-label=label>
                            {rooms.into_iter().map(|r| view! { <RoomCell room=r /> }).collect_view()}
                        </ul>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// A door: its number and a mark for its status, both printed, so the status reads
/// without hovering and without telling colours apart; the legend says what each mark means.
#[component]
fn RoomCell(room: RoomCoverage) -> impl IntoView {
    let i18n = use_i18n();
    let status = room.status;
    let number = room.room.clone();
    let label = move || {
        format!(
            "{} {} {}",
            room.unit,
            room.room,
            room_status_label(i18n, status)
        )
    };
    view! {
        <li class=format!("room status-{}", status.as_str()) aria-label=label>
            <span class="room-number">{number}</span>
            <span class="room-mark" aria-hidden="true">{move || status_mark(i18n, status)}</span>
        </li>
    }
}

/// The one-character mark of a status, in the current language.
fn status_mark(i18n: I18nContext<Locale>, s: RoomStatus) -> &'static str {
    match s {
        RoomStatus::Unknown => t_string!(i18n, trial_resident.mark_unknown),
        RoomStatus::SelfRegistered => t_string!(i18n, trial_resident.mark_self),
        RoomStatus::StaffRegistered => t_string!(i18n, trial_resident.mark_staff),
        RoomStatus::NobodyHome => t_string!(i18n, trial_resident.mark_nobody_home),
        RoomStatus::Refused => t_string!(i18n, trial_resident.mark_refused),
        RoomStatus::MovedOut => t_string!(i18n, trial_resident.mark_moved_out),
    }
}

/// What each mark and colour means.
#[component]
fn Legend() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="coverage-legend" aria-label=move || t_string!(i18n, trial_resident.legend)>
            {RoomStatus::ALL.iter().copied().map(|s| view! {
                <li>
                    <span class=format!("room status-{}", s.as_str()) aria-hidden="true">{move || status_mark(i18n, s)}</span>
                    " " {move || room_status_label(i18n, s)}
                </li>
            }).collect_view()}
        </ul>
    }
}
