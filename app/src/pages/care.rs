use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{Field, FormErrors, error_for, refuse_all, show_errors};
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::phone_link::PhoneLink;
use crate::components::require_role::RequireRole;
use crate::components::resident_labels::group_label;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;
use shouwang_api::health::{
    CareAssignment, CareContactInput, CareHousehold, CareInput, ContactMethod, NOTE_MAX,
};
use shouwang_api::residents::NAME_MAX;

/// The intervals offered for a 包保 contact, in hours: twice a day to once a week.
const INTERVALS: [u32; 5] = [12, 24, 48, 72, 168];

fn place(a: &shouwang_api::residents::Address) -> String {
    format!("{} {} {} {}", a.grid, a.building, a.unit, a.room)
}

/// 包保 for staff: the overdue contacts first, then every vulnerable household of their
/// grids with its contact person; name or change the contact, log a call or a visit.
#[component]
pub fn CarePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
        })
    });
    let overdue = LocalResource::new(|| api::care::overdue(100));
    let list = LocalResource::new(move || api::care::households(page.get().max(1)));
    let refresh = Callback::new(move |()| {
        overdue.refetch();
        list.refetch();
    });
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, care.care_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, care.care_title)}</h1>
            <p class="lead">{t!(i18n, care.care_lead)}</p>
            {move || overdue.get().and_then(Result::ok).filter(|p| p.total > 0).map(|p| view! {
                <section class="banner banner-warning care-overdue" aria-labelledby="care-overdue-title">
                    <h2 id="care-overdue-title">{t!(i18n, care.overdue_title)} " (" {p.total} ")"</h2>
                    <ul class="rows">{p.items.into_iter().map(|c| view! { <OverdueLine care=c /> }).collect_view()}</ul>
                </section>
            })}
            {move || match list.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || list.refetch() /> }),
                Some(Ok(p)) => EitherOf3::C(view! {
                    {p.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, care.empty)}</p> })}
                    <ul class="rows">
                        {p.items.iter().cloned().map(|household| view! { <Household household refresh /> }).collect_view()}
                    </ul>
                    <Pager page=p.page page_count=p.page_count() total=p.total href=|n| format!("/staff/care?page={n}") />
                }),
            }}
        </RequireRole>
    }
}

#[component]
fn OverdueLine(care: CareAssignment) -> impl IntoView {
    let i18n = use_i18n();
    let missed = care.missed;
    view! {
        <li class="row">
            <p class="row-title">{care.head_name} " · " {place(&care.address)}</p>
            <p>{care.contact_name} " · " <strong>{t_string!(i18n, care.missed, n = missed).to_string()}</strong></p>
        </li>
    }
}

#[component]
fn Household(household: CareHousehold, refresh: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = household.household_id;
    let care = household.care.clone();
    let name = RwSignal::new(
        care.as_ref()
            .map(|c| c.contact_name.clone())
            .unwrap_or_default(),
    );
    let phone = RwSignal::new(String::new());
    let interval = RwSignal::new(care.as_ref().map_or(24, |c| c.interval_hours));
    let method = RwSignal::new(ContactMethod::Phone);
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(None::<&'static str>);
    let assign = Action::new_local(move |input: &CareInput| {
        let input = input.clone();
        async move {
            match api::care::assign(id, &input).await {
                Ok(()) => {
                    done.set(Some(t_string!(i18n, care.assigned_ok)));
                    refresh.run(());
                }
                Err(e) => show_errors(errors, form_error(i18n, &e)),
            }
        }
    });
    let log = Action::new_local(move |input: &CareContactInput| {
        let input = input.clone();
        async move {
            match api::care::log_contact(id, &input).await {
                Ok(_) => {
                    done.set(Some(t_string!(i18n, care.logged_ok)));
                    refresh.run(());
                }
                Err(e) => show_errors(errors, form_error(i18n, &e)),
            }
        }
    });
    let submit_assign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let input = CareInput {
            contact_user_id: None,
            contact_name: Some(name.get_untracked()),
            contact_phone: Some(phone.get_untracked()),
            interval_hours: interval.get_untracked(),
        };
        if !refuse_all(i18n, errors, input.errors()) {
            assign.dispatch(input);
        }
    };
    let submit_log = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let input = CareContactInput {
            method: Some(method.get_untracked()),
            note: Some(note.get_untracked()),
        };
        if !refuse_all(i18n, errors, input.validate().err().into_iter().collect()) {
            log.dispatch(input);
        }
    };
    let field_id = move |f: &str| format!("care-{id}-{f}");
    let title = format!("{} · {}", household.head_name, place(&household.address));
    let label = title.clone();
    view! {
        <li class="row care-household" aria-label=label>
            <p class="row-title">{title}</p>
            <p class="tags">
                {household.groups.iter().map(|g| view! { <span class="tag">{group_label(i18n, *g)}</span> }).collect_view()}
            </p>
            {match care.clone() {
                None => view! { <p class="muted">{t!(i18n, care.no_contact)}</p> }.into_any(),
                Some(c) => {
                    let contact = c.contact_name.clone();
                    let phone = c.contact_phone.clone();
                    let hours = c.interval_hours;
                    let last = c.last_contact_at.map(format::date_time);
                    let due = format::date_time(c.due_at);
                    view! {
                        <p>
                            {t_string!(i18n, care.contact, name = contact).to_string()}
                            {phone.map(|phone| view! { " " <PhoneLink phone /> })}
                            " · " {t_string!(i18n, care.every_hours, hours).to_string()}
                        </p>
                        <p class="muted">
                            {match last {
                                Some(at) => t_string!(i18n, care.last_contact, at).to_string(),
                                None => t_string!(i18n, care.never_contacted).to_string(),
                            }}
                            " · " {t_string!(i18n, care.due, at = due).to_string()}
                        </p>
                    }.into_any()
                }
            }}
            {move || done.get().map(|text| view! { <p class="banner banner-ok" role="status">{text}</p> })}
            {care.is_some().then(|| view! {
                <form novalidate class="care-log" on:submit=submit_log>
                    <Field id=field_id("method") label=move || t_string!(i18n, care.method) error=error_for(errors, "method")>
                        <select id=field_id("method") on:change=move |ev| {
                            if let Some(m) = ContactMethod::parse(&event_target_value(&ev)) { method.set(m) }
                        }>
                            <option value="phone">{t!(i18n, care.method_phone)}</option>
                            <option value="visit">{t!(i18n, care.method_visit)}</option>
                        </select>
                    </Field>
                    <Field id=field_id("note") label=move || t_string!(i18n, care.note) error=error_for(errors, "note") max=NOTE_MAX>
                        <input id=field_id("note") maxlength=NOTE_MAX bind:value=note />
                    </Field>
                    <button type="submit" class="button" disabled=move || log.pending().get()>{t!(i18n, care.log_submit)}</button>
                </form>
            })}
            <details>
                <summary>{t!(i18n, care.assign_title)}</summary>
                <form novalidate class="care-assign" on:submit=submit_assign>
                    <Field id=field_id("name") label=move || t_string!(i18n, care.contact_name) error=error_for(errors, "contact_name") max=NAME_MAX>
                        <input id=field_id("name") autocomplete="off" maxlength=NAME_MAX bind:value=name />
                    </Field>
                    <Field id=field_id("phone") label=move || t_string!(i18n, care.contact_phone) error=error_for(errors, "contact_phone")>
                        <input id=field_id("phone") type="tel" inputmode="numeric" autocomplete="off" bind:value=phone />
                    </Field>
                    <Field id=field_id("interval") label=move || t_string!(i18n, care.interval) error=error_for(errors, "interval_hours")>
                        <select id=field_id("interval") on:change=move |ev| {
                            if let Ok(h) = event_target_value(&ev).parse() { interval.set(h) }
                        }>
                            {INTERVALS.into_iter().map(|hours| view! {
                                <option value=hours.to_string() selected=move || interval.get() == hours>
                                    {move || t_string!(i18n, care.every_hours, hours).to_string()}
                                </option>
                            }).collect_view()}
                        </select>
                    </Field>
                    <button type="submit" class="button secondary" disabled=move || assign.pending().get()>{t!(i18n, care.save_assignment)}</button>
                </form>
            </details>
        </li>
    }
}
