use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::components::shift_card::{skill_label, training_label, volunteer_status_label};
use crate::format;
use crate::i18n::*;
use crate::pages::volunteer_sign_up::{part_label, weekday_label};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;
use shouwang_api::volunteers::{Skill, Volunteer, VolunteerAction, VolunteerStatus};

#[component]
pub fn ManageVolunteersPage() -> impl IntoView {
    view! {
        <RequireRole min=Role::Staff>
            <ManageVolunteers />
            <HoursReport />
        </RequireRole>
    }
}

/// Staff's list of volunteers by status, with approve, pause and remove at hand.
#[component]
fn ManageVolunteers() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let status = Memo::new(move |_| {
        query.with(|q| q.get("status").and_then(|s| VolunteerStatus::parse(&s)))
    });
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let volunteers = LocalResource::new(move || {
        let (status, page) = (status.get(), page.get());
        async move { api::volunteers::list(status, page).await }
    });
    let feedback = RwSignal::new(None::<Result<String, String>>);
    // Custom skills have only their stored names; built-in ones are translated.
    let skills = LocalResource::new(api::volunteers::skills);
    let skills = Signal::derive(move || skills.get().and_then(Result::ok).unwrap_or_default());
    let act = Action::new_local(move |&(id, action): &(i64, VolunteerAction)| async move {
        feedback.set(Some(match api::volunteers::act(id, action).await {
            Ok(v) => {
                let name = v.name;
                Ok(t_string!(i18n, volunteers.acted_ok, name).to_string())
            }
            Err(error) => Err(api_error_text(i18n, &error)),
        }));
        volunteers.refetch();
    });
    let href = move |p: u32| {
        let status = status
            .get_untracked()
            .map(VolunteerStatus::as_str)
            .unwrap_or_default();
        format!("/staff/volunteers?status={status}&page={p}")
    };
    let tabs = std::iter::once(None).chain(VolunteerStatus::ALL.into_iter().map(Some));

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, volunteers.manage_title), t_string!(i18n, app_name)) />
        <header class="page-header">
            <h1>{t!(i18n, volunteers.manage_title)}</h1>
            <A href="/staff/shifts" attr:class="button secondary">{t!(i18n, shifts.manage_title)}</A>
        </header>
        <nav class="tabs">
            {tabs.map(|tab| view! {
                <A
                    href=format!("/staff/volunteers?status={}", tab.map(VolunteerStatus::as_str).unwrap_or_default())
                    attr:class="tab"
                    attr:aria-current=move || if status.get() == tab { "page" } else { "false" }
                >
                    {move || tab.map_or(t_string!(i18n, volunteers.tab_all), |s| volunteer_status_label(i18n, s))}
                </A>
            }).collect_view()}
        </nav>
        {move || feedback.get().map(|f| match f {
            Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
            Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
        })}
        {move || match volunteers.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || volunteers.refetch() /> }),
            Some(Ok(page)) => EitherOf3::C(view! {
                {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, volunteers.empty)}</p> })}
                <ul class="rows">
                    {page.items.iter().cloned().map(|volunteer| view! { <VolunteerRow volunteer act skills /> }).collect_view()}
                </ul>
                <Pager page=page.page page_count=page.page_count() total=page.total href />
            }),
        }}
    }
}

#[component]
fn VolunteerRow(
    volunteer: Volunteer,
    act: Action<(i64, VolunteerAction), ()>,
    skills: Signal<Vec<Skill>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // What staff approve on: the skills, trainings and free times the volunteer gave.
    let codes = volunteer.skills.clone();
    let skill_line = move || {
        let names = skills.with(|all| {
            codes
                .iter()
                .map(|code| {
                    let name = all
                        .iter()
                        .find(|s| &s.code == code)
                        .map_or(code.as_str(), |s| s.name.as_str());
                    skill_label(i18n, code, name)
                })
                .collect::<Vec<_>>()
                .join("、")
        });
        if names.is_empty() {
            t_string!(i18n, forms.no_skills).to_string()
        } else {
            let skills = names;
            t_string!(i18n, forms.skills_label, skills).to_string()
        }
    };
    let trainings = volunteer.trainings.clone();
    let training_line = move || {
        let done = trainings
            .iter()
            .map(|t| {
                format!(
                    "{}（{}）",
                    training_label(i18n, t.training),
                    format::date(t.completed_on)
                )
            })
            .collect::<Vec<_>>()
            .join("、");
        if done.is_empty() {
            t_string!(i18n, forms.no_trainings).to_string()
        } else {
            let trainings = done;
            t_string!(i18n, forms.trainings_label, trainings).to_string()
        }
    };
    let availability = volunteer.availability.clone();
    let availability_line = move || {
        (!availability.is_empty()).then(|| {
            let days = availability
                .iter()
                .map(|slot| {
                    format!(
                        "{}{}",
                        weekday_label(i18n, slot.weekday),
                        part_label(i18n, slot.part)
                    )
                })
                .collect::<Vec<_>>()
                .join("、");
            t_string!(i18n, forms.availability_label, days).to_string()
        })
    };
    let id = volunteer.id;
    let status = volunteer_status_label(i18n, volunteer.status);
    let area = volunteer.service_area.clone();
    let button = move |action: VolunteerAction, label: &'static str, class: &'static str| {
        volunteer.status.after(action).map(|_| {
            view! {
                <button type="button" class=class disabled=move || act.pending().get()
                    on:click=move |_| { act.dispatch((id, action)); }>
                    {label}
                </button>
            }
        })
    };
    view! {
        <li class="row">
            <div class="row-main">
                <p class="row-title">{volunteer.name.clone()}</p>
                <p class="meta">{volunteer.phone.clone()}" · "{status}</p>
                <p class="meta">{t!(i18n, volunteers.area_label, area)}</p>
                <p class="meta">{skill_line}</p>
                <p class="meta">{training_line}</p>
                {move || availability_line().map(|line| view! { <p class="meta">{line}</p> })}
            </div>
            <div class="row-actions">
                {button(VolunteerAction::Approve, t_string!(i18n, volunteers.approve), "button small")}
                {button(VolunteerAction::Pause, t_string!(i18n, volunteers.pause), "button small secondary")}
                {button(VolunteerAction::Remove, t_string!(i18n, volunteers.remove), "button small danger")}
            </div>
        </li>
    }
}

/// Hours per volunteer in a period, and its CSV and Excel downloads.
#[component]
fn HoursReport() -> impl IntoView {
    let i18n = use_i18n();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let shown = RwSignal::new((String::new(), String::new()));
    let report = LocalResource::new(move || {
        let (from, to) = shown.get();
        async move { api::volunteers::hours(&from, &to, 1).await }
    });
    let download = move |format: &'static str| {
        move || {
            crate::base::at(&api::volunteers::hours_url(
                &from.get(),
                &to.get(),
                &format!("format={format}"),
            ))
        }
    };
    view! {
        <section class="section">
            <h2>{t!(i18n, volunteers.hours_title)}</h2>
            <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                shown.set((from.get_untracked(), to.get_untracked()));
            }>
                <label for="hours-from">{t!(i18n, volunteers.from)}</label>
                <input id="hours-from" type="date" bind:value=from />
                <label for="hours-to">{t!(i18n, volunteers.to)}</label>
                <input id="hours-to" type="date" bind:value=to />
                <button type="submit" class="button secondary">{t!(i18n, volunteers.show)}</button>
            </form>
            {move || match report.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, volunteers.hours_empty)}</p> })}
                    <ul class="rows">
                        {page.items.into_iter().map(|row| {
                            let (shifts, no_shows) = (row.shifts, row.no_shows);
                            let hours = format!("{:.2}", row.minutes as f64 / 60.0);
                            view! {
                                <li class="row">
                                    <div class="row-main">
                                        <p class="row-title">{row.name}" · "{row.phone}</p>
                                        <p class="meta">{t!(i18n, volunteers.hours_row, shifts, hours, no_shows)}</p>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }),
            }}
            <div class="actions">
                <a class="button secondary" href=download("csv") download="">{t!(i18n, volunteers.export_csv)}</a>
                <a class="button secondary" href=download("xlsx") download="">{t!(i18n, volunteers.export_xlsx)}</a>
            </div>
        </section>
    }
}
