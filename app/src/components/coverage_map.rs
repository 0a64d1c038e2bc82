use crate::api::ApiError;
use crate::components::resident_labels::room_status_label;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::residents::{BuildingCoverage, GridCoverage};

/// Coverage at a glance: per grid a figure and a bar, per building a grid of rooms
/// coloured by status, so a worker sees which doors are still unknocked.
#[component]
pub fn CoverageMap(coverage: LocalResource<Result<Vec<GridCoverage>, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel coverage">
            <h2>{t!(i18n, residents.coverage_title)}</h2>
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
    view! {
        <div class="coverage-building">
            <p class="row-title">
                {building.name.clone()} " · " {t!(i18n, residents.coverage_figure, covered, known)}
                {building.head_name.clone().map(|h| view! { " · " {t!(i18n, residents.building_head)} " " {h} })}
            </p>
            <ul class="rooms" role="list">
                {building.rooms.into_iter().map(|r| {
                    let status = r.status;
                    let room = r.room.clone();
                    let title = move || format!("{} {} {}", r.unit, r.room, room_status_label(i18n, status));
                    view! {
                        <li class=format!("room status-{}", status.as_str()) title=title.clone() aria-label=title>
                            {room}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
