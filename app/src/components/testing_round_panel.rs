use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shouwang_api::testing::{DoorReason, MarkInput, Phase, RoundPerson, TestPlace};

pub fn phase_label(i18n: I18nContext<Locale>, phase: Phase) -> &'static str {
    match phase {
        Phase::Upcoming => t_string!(i18n, testing.phase_upcoming),
        Phase::Today => t_string!(i18n, testing.phase_today),
        Phase::Finished => t_string!(i18n, testing.phase_finished),
        Phase::Cancelled => t_string!(i18n, testing.phase_cancelled),
    }
}

pub fn place_label(i18n: I18nContext<Locale>, place: TestPlace) -> &'static str {
    match place {
        TestPlace::Site => t_string!(i18n, testing.tested_site),
        TestPlace::Door => t_string!(i18n, testing.tested_door),
    }
}

fn reason_label(i18n: I18nContext<Locale>, reason: DoorReason) -> &'static str {
    match reason {
        DoorReason::ElderlyAlone => t_string!(i18n, testing.reason_elderly_alone),
        DoorReason::Disabled => t_string!(i18n, testing.reason_disabled),
        DoorReason::SeriouslyIll => t_string!(i18n, testing.reason_seriously_ill),
        DoorReason::Observation => t_string!(i18n, testing.reason_observation),
        DoorReason::Sealed => t_string!(i18n, testing.reason_sealed),
    }
}

/// One round for staff: progress per unit (已检 / 应检), the not-yet-tested list and the
/// door-to-door list (入户采样), each person marked with one tap.
#[component]
pub fn TestingRoundPanel(
    id: i64,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let detail = LocalResource::new(move || api::testing::round(id));
    let query = use_query_map();
    let list = Memo::new(move |_| {
        query.with(|q| {
            if q.get("list").as_deref() == Some("door") {
                "door"
            } else {
                "untested"
            }
        })
    });
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("pp")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let people = LocalResource::new(move || {
        let (which, page) = (list.get(), page.get());
        async move { api::testing::people(id, which, page).await }
    });
    let error = RwSignal::new(None::<String>);
    let refresh = move || {
        detail.refetch();
        people.refetch();
        on_change();
    };
    let cancel = Action::new_local(move |_: &()| async move {
        match api::testing::cancel(id).await {
            Ok(()) => refresh(),
            Err(e) => error.set(Some(api_error_text(i18n, &e))),
        }
    });
    let tab = move |which: &'static str, label: &'static str| {
        view! {
            <A href=format!("/staff/testing?round={id}&list={which}") attr:class="tab"
                attr:aria-current=move || if list.get() == which { "page" } else { "false" }>{label}</A>
        }
    };
    view! {
        <section class="panel testing-round" aria-labelledby="testing-round-title">
            {move || match detail.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || detail.refetch() /> }),
                Some(Ok(d)) => EitherOf3::C(view! {
                    <h2 id="testing-round-title">{d.name.clone()}</h2>
                    <p class="muted">{format::date(d.date)} " · " {d.place.clone()} " · "
                        <span class=format!("tag testing-{}", phase_class(d.phase))>{phase_label(i18n, d.phase)}</span></p>
                    <p class="testing-total">{t!(i18n, testing.progress_line, tested = d.tested, expected = d.expected)}</p>
                    <table class="testing-progress">
                        <thead><tr>
                            <th>{t!(i18n, testing.col_unit)}</th>
                            <th>{t!(i18n, testing.col_slot)}</th>
                            <th>{t!(i18n, testing.col_tested)}</th>
                            <th>{t!(i18n, testing.col_door)}</th>
                        </tr></thead>
                        <tbody>
                            {d.progress.iter().map(|u| {
                                let slot = d.slots.iter().find(|s| s.unit_id == u.unit_id)
                                    .map(|s| format!("{}–{}", s.start, s.end)).unwrap_or_default();
                                view! { <tr>
                                    <td>{format!("{} {}", u.building, u.unit)}</td>
                                    <td>{slot}</td>
                                    <td>{format!("{} / {}", u.tested, u.expected)}</td>
                                    <td>{u.at_door}</td>
                                </tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {d.phase.may_cancel().then(|| view! {
                        <button type="button" class="button small secondary" disabled=move || cancel.pending().get()
                            on:click=move |_| { cancel.dispatch(()); }>{t!(i18n, testing.cancel)}</button>
                    })}
                }),
            }}
            <p class="form-error" role="alert">{move || error.get()}</p>
            <nav class="tabs">
                {tab("untested", t_string!(i18n, testing.tab_untested))}
                {tab("door", t_string!(i18n, testing.tab_door))}
            </nav>
            {move || match people.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || people.refetch() /> }),
                Some(Ok(p)) => EitherOf3::C(view! {
                    {p.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, testing.list_empty)}</p> })}
                    <ul class="rows">
                        {p.items.iter().cloned().map(|person| view! { <Person id person error refresh /> }).collect_view()}
                    </ul>
                    <Pager page=p.page page_count=p.page_count() total=p.total href=move |n: u32| format!("/staff/testing?round={id}&list={}&pp={n}", list.get_untracked()) />
                }),
            }}
        </section>
    }
}

fn phase_class(phase: Phase) -> &'static str {
    match phase {
        Phase::Upcoming => "upcoming",
        Phase::Today => "today",
        Phase::Finished => "finished",
        Phase::Cancelled => "cancelled",
    }
}

#[component]
fn Person(
    id: i64,
    person: RoundPerson,
    error: RwSignal<Option<String>>,
    refresh: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let member_id = person.member_id;
    let mark = Action::new_local(move |place: &TestPlace| {
        let input = MarkInput {
            member_id,
            place: *place,
        };
        async move {
            match api::testing::mark(id, &input).await {
                Ok(_) => refresh(),
                Err(e) => error.set(Some(api_error_text(i18n, &e))),
            }
        }
    });
    let undo = Action::new_local(move |_: &()| async move {
        match api::testing::undo(id, member_id).await {
            Ok(()) => refresh(),
            Err(e) => error.set(Some(api_error_text(i18n, &e))),
        }
    });
    let busy = move || mark.pending().get() || undo.pending().get();
    let a = &person.address;
    let address = format!("{} {} {}", a.building, a.unit, a.room);
    let at_door = !person.door_reasons.is_empty();
    view! {
        <li class="row testing-person" aria-label=person.name.clone()>
            <p class="row-title">{person.name.clone()} <span class="muted">" · " {person.birth_year} " · " {person.phone.clone()}</span></p>
            <p class="muted">{address}</p>
            <p class="tags">
                {person.door_reasons.iter().copied().map(|r| view! { <span class="tag testing-reason">{move || reason_label(i18n, r)}</span> }).collect_view()}
                {person.result.as_ref().map(|r| { let place = r.place; view! { <span class="tag testing-done">{move || place_label(i18n, place)}</span> } })}
            </p>
            <div class="row-actions">
                {match person.result {
                    Some(_) => view! {
                        <button type="button" class="button small secondary" disabled=busy on:click=move |_| { undo.dispatch(()); }>{t!(i18n, testing.undo)}</button>
                    }.into_any(),
                    None => view! {
                        <button type="button" class="button small" disabled=busy
                            on:click=move |_| { mark.dispatch(if at_door { TestPlace::Door } else { TestPlace::Site }); }>
                            {if at_door { t!(i18n, testing.mark_door).into_any() } else { t!(i18n, testing.mark_site).into_any() }}
                        </button>
                    }.into_any(),
                }}
            </div>
        </li>
    }
}
