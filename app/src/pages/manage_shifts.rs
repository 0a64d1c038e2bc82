use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{
    Field, FormError, FormErrors, error_for, general_error, show_errors,
};
use crate::components::loading::Loading;
use crate::components::require_role::RequireRole;
use crate::components::shift_card::{
    post_label, post_type_label, signup_label, skill_label, time_range, training_label,
};
use crate::format;
use crate::i18n::*;
use chrono::NaiveTime;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::ErrorCode;
use shouwang_api::auth::Role;
use shouwang_api::shifts::{
    NOTES_MAX, PLACE_MAX, POST_CUSTOM_MAX, PostType, Repeat, RosterShift, ShiftInput, SignupStatus,
};
use shouwang_api::volunteers::Training;

const FIELDS: &[&str] = &[
    "post",
    "post_custom",
    "place",
    "date",
    "start",
    "end",
    "capacity",
    "required_skill",
    "required_training",
    "notes",
    "repeat_until",
];

#[component]
pub fn ManageShiftsPage() -> impl IntoView {
    let i18n = use_i18n();
    let roster_day = RwSignal::new(String::new());
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, shifts.manage_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <header class="page-header">
                <h1>{t!(i18n, shifts.manage_title)}</h1>
            </header>
            <ShiftForm roster_day />
            <RosterView day=roster_day />
        </RequireRole>
    }
}

fn parse_time(value: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(value, "%H:%M").ok()
}

/// A new shift, once or repeating daily or weekly until a day.
#[component]
fn ShiftForm(roster_day: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let post = RwSignal::new(PostType::Entrance);
    let post_custom = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let start = RwSignal::new(String::from("07:00"));
    let end = RwSignal::new(String::from("11:00"));
    let capacity = RwSignal::new(String::from("2"));
    let skill = RwSignal::new(String::new());
    let training = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let repeat = RwSignal::new(Repeat::Once);
    let repeat_until = RwSignal::new(String::new());
    let open_to_street = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(None::<String>);
    let skills = LocalResource::new(api::volunteers::skills);

    let create = Action::new_local(move |input: &ShiftInput| {
        let input = input.clone();
        async move {
            match api::shifts::create(&input).await {
                Ok(created) => {
                    let count = created.ids.len();
                    done.set(Some(t_string!(i18n, shifts.created_ok, count).to_string()));
                    roster_day.set(format::date(input.date));
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let field_error = move |field: &str, code: ErrorCode| FormError {
        field: Some(field.into()),
        message: field_error_text(i18n, code, field, None),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        done.set(None);
        // Every field is read before anything is refused, so all errors show at once.
        let mut found = FormErrors::default();
        let day = format::parse_date(&date.get_untracked());
        if day.is_none() {
            let code = if date.get_untracked().trim().is_empty() {
                ErrorCode::Required
            } else {
                ErrorCode::InvalidDate
            };
            found.push(field_error("date", code));
        }
        let start_time = parse_time(&start.get_untracked());
        if start_time.is_none() {
            found.push(field_error("start", ErrorCode::InvalidType));
        }
        let end_time = parse_time(&end.get_untracked());
        if end_time.is_none() {
            found.push(field_error("end", ErrorCode::InvalidType));
        }
        let capacity = capacity.get_untracked().trim().parse::<u32>().ok();
        if capacity.is_none() {
            found.push(field_error("capacity", ErrorCode::InvalidValue));
        }
        let optional = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        // The shared validation checks the other fields too. Where a typed value could not
        // be read, a stand-in lets it run, and its verdict on that value is left out.
        let input = ShiftInput {
            post: post.get_untracked(),
            post_custom: optional(post_custom.get_untracked()),
            place: place.get_untracked(),
            date: day.unwrap_or_default(),
            start: start_time.unwrap_or_default(),
            end: end_time
                .unwrap_or_else(|| start_time.unwrap_or_default() + chrono::Duration::hours(1)),
            capacity: capacity.unwrap_or(1),
            required_skill: optional(skill.get_untracked()),
            required_training: Training::parse(&training.get_untracked()),
            notes: optional(notes.get_untracked()),
            repeat: repeat.get_untracked(),
            repeat_until: format::parse_date(&repeat_until.get_untracked()),
            open_to_street: open_to_street.get_untracked(),
        };
        let unread = |field: &str| match field {
            "date" | "repeat_until" => day.is_none(),
            "end" => start_time.is_none() || end_time.is_none(),
            "capacity" => capacity.is_none(),
            _ => false,
        };
        for error in input.errors() {
            if !unread(error.field) {
                found.push(form_error(i18n, &error.into()));
            }
        }
        if found.is_empty() {
            create.dispatch(input);
        } else {
            show_errors(errors, found);
        }
    };
    let repeat_value = |r: Repeat| match r {
        Repeat::Once => "once",
        Repeat::Daily => "daily",
        Repeat::Weekly => "weekly",
    };

    view! {
        <section class="section">
            <h2>{t!(i18n, shifts.new_shift)}</h2>
            <form class="shift-form" novalidate on:submit=submit>
                <Field id="shift-post" label=move || t_string!(i18n, shifts.post) error=error_for(errors, "post")>
                    <select id="shift-post" on:change=move |ev| post.set(PostType::parse(&event_target_value(&ev)).unwrap_or(PostType::Entrance))>
                        {PostType::ALL.into_iter().map(|p| view! {
                            <option value=p.as_str() selected=move || post.get() == p>{move || post_type_label(i18n, p)}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Show when=move || post.get() == PostType::Custom>
                    <Field id="shift-post-custom" label=move || t_string!(i18n, shifts.post_custom_name) error=error_for(errors, "post_custom") max=POST_CUSTOM_MAX>
                        <input id="shift-post-custom" maxlength=POST_CUSTOM_MAX bind:value=post_custom />
                    </Field>
                </Show>
                <Field id="shift-place" label=move || t_string!(i18n, shifts.place) error=error_for(errors, "place") max=PLACE_MAX>
                    <input id="shift-place" maxlength=PLACE_MAX bind:value=place />
                </Field>
                <div class="field-row">
                    <Field id="shift-date" label=move || t_string!(i18n, shifts.date) error=error_for(errors, "date")>
                        <input id="shift-date" type="date" bind:value=date />
                    </Field>
                    <Field id="shift-capacity" label=move || t_string!(i18n, shifts.capacity) error=error_for(errors, "capacity")>
                        <input id="shift-capacity" type="number" min="1" inputmode="numeric" bind:value=capacity />
                    </Field>
                </div>
                <div class="field-row">
                    <Field id="shift-start" label=move || t_string!(i18n, shifts.start) error=error_for(errors, "start")>
                        <input id="shift-start" type="time" bind:value=start />
                    </Field>
                    <Field id="shift-end" label=move || t_string!(i18n, shifts.end)
                        hint=move || t_string!(i18n, shifts.end_hint) error=error_for(errors, "end")>
                        <input id="shift-end" type="time" bind:value=end />
                    </Field>
                </div>
                <div class="field-row">
                    <Field id="shift-skill" label=move || t_string!(i18n, shifts.required_skill) error=error_for(errors, "required_skill")>
                        <select id="shift-skill" on:change=move |ev| skill.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, shifts.none)}</option>
                            {move || skills.get().and_then(Result::ok).map(|list| list.into_iter().map(|s| {
                                let label = skill_label(i18n, &s.code, &s.name);
                                view! { <option value=s.code>{label}</option> }
                            }).collect_view())}
                        </select>
                    </Field>
                    <Field id="shift-training" label=move || t_string!(i18n, shifts.required_training) error=error_for(errors, "required_training")>
                        <select id="shift-training" on:change=move |ev| training.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, shifts.none)}</option>
                            {Training::ALL.into_iter().map(|t| view! {
                                <option value=t.as_str()>{move || training_label(i18n, t)}</option>
                            }).collect_view()}
                        </select>
                    </Field>
                </div>
                <div class="field-row">
                    <Field id="shift-repeat" label=move || t_string!(i18n, shifts.repeat) error=error_for(errors, "repeat")>
                        <select id="shift-repeat" on:change=move |ev| repeat.set(match event_target_value(&ev).as_str() {
                            "daily" => Repeat::Daily,
                            "weekly" => Repeat::Weekly,
                            _ => Repeat::Once,
                        })>
                            {[Repeat::Once, Repeat::Daily, Repeat::Weekly].into_iter().map(|r| view! {
                                <option value=repeat_value(r) selected=move || repeat.get() == r>{move || match r {
                                    Repeat::Once => t_string!(i18n, shifts.repeat_once),
                                    Repeat::Daily => t_string!(i18n, shifts.repeat_daily),
                                    Repeat::Weekly => t_string!(i18n, shifts.repeat_weekly),
                                }}</option>
                            }).collect_view()}
                        </select>
                    </Field>
                    <Show when=move || repeat.get() != Repeat::Once>
                        <Field id="shift-repeat-until" label=move || t_string!(i18n, shifts.repeat_until) error=error_for(errors, "repeat_until")>
                            <input id="shift-repeat-until" type="date" bind:value=repeat_until />
                        </Field>
                    </Show>
                </div>
                <Field id="shift-notes" label=move || t_string!(i18n, shifts.notes) error=error_for(errors, "notes") max=NOTES_MAX>
                    <input id="shift-notes" maxlength=NOTES_MAX bind:value=notes />
                </Field>
                <label class="check">
                    <input type="checkbox" prop:checked=move || open_to_street.get()
                        on:change=move |ev| open_to_street.set(event_target_checked(&ev)) />
                    <span>{t!(i18n, pool.open_to_street)}</span>
                </label>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <p class="form-ok" role="status">{move || done.get()}</p>
                <button type="submit" class="button block" disabled=move || create.pending().get()>
                    {t!(i18n, shifts.create)}
                </button>
            </form>
        </section>
    }
}

/// One day's shifts with their people: who signed up, who checked in, and the gaps.
#[component]
fn RosterView(day: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let roster = LocalResource::new(move || {
        let day = day.get();
        async move { api::shifts::roster(&day).await }
    });
    let feedback = RwSignal::new(None::<Result<String, String>>);
    let act = Action::new_local(move |(signup, action): &(i64, &'static str)| {
        let (signup, action) = (*signup, *action);
        async move {
            feedback.set(Some(
                api::shifts::attendance(signup, action)
                    .await
                    .map(|()| t_string!(i18n, shifts.done_ok).to_owned())
                    .map_err(|e| api_error_text(i18n, &e)),
            ));
            roster.refetch();
        }
    });
    view! {
        <section class="section">
            <h2>{t!(i18n, shifts.roster_title)}</h2>
            <div class="filters">
                <label for="roster-day">{t!(i18n, shifts.roster_day)}</label>
                <input id="roster-day" type="date" bind:value=day />
            </div>
            {move || feedback.get().map(|f| match f {
                Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
            })}
            {move || match roster.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || roster.refetch() /> }),
                Some(Ok(roster)) => EitherOf3::C(view! {
                    {roster.shifts.is_empty().then(|| view! { <p class="empty">{t!(i18n, shifts.roster_empty)}</p> })}
                    <ul class="rows">
                        {roster.shifts.into_iter().map(|entry| view! { <RosterRow entry act /> }).collect_view()}
                    </ul>
                }),
            }}
        </section>
    }
}

#[component]
fn RosterRow(entry: RosterShift, act: Action<(i64, &'static str), ()>) -> impl IntoView {
    let i18n = use_i18n();
    let shift = entry.shift;
    let (gap, count) = (entry.gap, entry.checked_in);
    let (taken, capacity) = (shift.taken, shift.capacity);
    let summary = if shift.cancelled {
        t_string!(i18n, shifts.cancelled).to_owned()
    } else if gap == 0 {
        t_string!(i18n, shifts.full).to_owned()
    } else {
        t_string!(i18n, shifts.gap, gap).to_string()
    };
    let people = entry.people;
    view! {
        <li class="row roster-shift">
            <div class="row-main">
                <p class="row-title">{post_label(i18n, &shift)}</p>
                <p class="meta">{time_range(&shift)}" · "{shift.place.clone()}</p>
                {shift.open_to_street.then(|| view! { <p class="tag">{t!(i18n, pool.open_tag)}</p> })}
                <p class="meta">
                    {t!(i18n, shifts.seats, taken, capacity)}" · "{summary}" · "
                    {t!(i18n, shifts.checked_in_count, count)}
                </p>
                {people.is_empty().then(|| view! { <p class="empty">{t!(i18n, shifts.nobody)}</p> })}
                <ul class="roster-people">
                    {people.into_iter().map(|p| {
                        let id = p.signup_id;
                        let status = signup_label(i18n, p.status);
                        let button = move |action: &'static str, label: &'static str| view! {
                            <button type="button" class="button small secondary" disabled=move || act.pending().get()
                                on:click=move |_| { act.dispatch((id, action)); }>{label}</button>
                        };
                        let from = p.from_community.map(|community| view! {
                            <span class="tag">{t!(i18n, pool.from_community, community)}</span>
                        });
                        view! {
                            <li>
                                <span>{p.name}" "{p.phone}" · "{status}</span>
                                {from}
                                {matches!(p.status, SignupStatus::SignedUp | SignupStatus::NoShow)
                                    .then(|| button("check-in", t_string!(i18n, shifts.check_in)))}
                                {(p.status == SignupStatus::CheckedIn)
                                    .then(|| button("check-out", t_string!(i18n, shifts.check_out)))}
                                {(p.status == SignupStatus::SignedUp)
                                    .then(|| button("no-show", t_string!(i18n, shifts.no_show)))}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </li>
    }
}
