use crate::api;
use crate::components::field::{Field, FormErrors, error_for, general_error, show_errors};
use crate::components::shift_card::skill_label;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use shouwang_api::auth::{Account, Role};
use shouwang_api::volunteers::{
    AREA_MAX, AvailabilitySlot, DayPart, NAME_MAX, Training, TrainingRecord, VolunteerProfileInput,
    VolunteerSignUp,
};
use shouwang_api::{ErrorCode, FieldError};

const FIELDS: &[&str] = &[
    "name",
    "phone",
    "password",
    "service_area",
    "skills",
    "availability",
    "trainings",
];

pub fn part_label(i18n: I18nContext<Locale>, part: DayPart) -> &'static str {
    match part {
        DayPart::Morning => t_string!(i18n, volunteers.part_morning),
        DayPart::Afternoon => t_string!(i18n, volunteers.part_afternoon),
        DayPart::Evening => t_string!(i18n, volunteers.part_evening),
        DayPart::Night => t_string!(i18n, volunteers.part_night),
    }
}

pub fn weekday_label(i18n: I18nContext<Locale>, day: u8) -> &'static str {
    match day {
        1 => t_string!(i18n, volunteers.weekday_1),
        2 => t_string!(i18n, volunteers.weekday_2),
        3 => t_string!(i18n, volunteers.weekday_3),
        4 => t_string!(i18n, volunteers.weekday_4),
        5 => t_string!(i18n, volunteers.weekday_5),
        6 => t_string!(i18n, volunteers.weekday_6),
        _ => t_string!(i18n, volunteers.weekday_7),
    }
}

/// A checkbox that adds or removes `value` from a set.
fn toggle<T: Clone + PartialEq + Send + Sync + 'static>(
    set: RwSignal<Vec<T>>,
    value: T,
) -> impl Fn(leptos::ev::Event) {
    move |ev| {
        let on = event_target_checked(&ev);
        let value = value.clone();
        set.update(|s| {
            s.retain(|v| *v != value);
            if on {
                s.push(value);
            }
        });
    }
}

/// Volunteer sign-up from a phone: who they are, where and when they can help, what they
/// can do. The phone number becomes the sign-in name; staff approve before any shift.
#[component]
pub fn VolunteerSignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let skills = RwSignal::new(Vec::<String>::new());
    let weekdays = RwSignal::new(Vec::<u8>::new());
    let parts = RwSignal::new(Vec::<DayPart>::new());
    let trained = RwSignal::new(false);
    let trained_on = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let all_skills = LocalResource::new(api::volunteers::skills);

    let submit = Action::new_local(move |request: &VolunteerSignUp| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            match api::volunteers::sign_up(&request).await {
                Ok(volunteer) => {
                    session.signed_in(Account {
                        id: volunteer.id,
                        username: volunteer.phone.clone(),
                        display_name: volunteer.name,
                        role: Role::Volunteer,
                    });
                    navigate("/volunteer", Default::default());
                }
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let mut availability = Vec::new();
        for weekday in weekdays.get_untracked() {
            for part in parts.get_untracked() {
                availability.push(AvailabilitySlot { weekday, part });
            }
        }
        let training_date = format::parse_date(&trained_on.get_untracked());
        let trainings = match (trained.get_untracked(), training_date) {
            (true, Some(completed_on)) => vec![TrainingRecord {
                training: Training::Prevention,
                completed_on,
            }],
            _ => vec![],
        };
        let request = VolunteerSignUp {
            phone: phone.get_untracked(),
            password: password.get_untracked(),
            profile: VolunteerProfileInput {
                name: name.get_untracked(),
                service_area: area.get_untracked(),
                skills: skills.get_untracked(),
                availability,
                trainings,
            },
        };
        // Every field is checked at once by the shared validation, and every error shown.
        let mut found: FormErrors = request
            .errors()
            .into_iter()
            .map(|e| form_error(i18n, &e.into()))
            .collect();
        if trained.get_untracked() && training_date.is_none() {
            found.push(form_error(
                i18n,
                &FieldError::new("trainings", ErrorCode::InvalidDate).into(),
            ));
        }
        if found.is_empty() {
            submit.dispatch(request);
        } else {
            show_errors(errors, found);
        }
    };

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, volunteers.signup_title), t_string!(i18n, app_name)) />
        <section class="panel narrow">
            <h1>{t!(i18n, volunteers.signup_title)}</h1>
            <p class="lead">{t!(i18n, volunteers.signup_intro)}</p>
            <form on:submit=on_submit novalidate class="volunteer-form">
                <Field id="vol-name" label=move || t_string!(i18n, volunteers.name) error=error_for(errors, "name") max=NAME_MAX>
                    <input id="vol-name" autocomplete="name" maxlength=NAME_MAX bind:value=name />
                </Field>
                <Field id="vol-phone" label=move || t_string!(i18n, volunteers.phone) error=error_for(errors, "phone")>
                    <input id="vol-phone" type="tel" inputmode="numeric" autocomplete="tel" bind:value=phone />
                </Field>
                <Field id="vol-password" label=move || t_string!(i18n, volunteers.password)
                    hint=move || t_string!(i18n, volunteers.password_hint) error=error_for(errors, "password")>
                    <input id="vol-password" type="password" autocomplete="new-password" bind:value=password />
                </Field>
                <Field id="vol-area" label=move || t_string!(i18n, volunteers.service_area)
                    hint=move || t_string!(i18n, volunteers.service_area_hint) error=error_for(errors, "service_area") max=AREA_MAX>
                    <input id="vol-area" maxlength=AREA_MAX bind:value=area />
                </Field>
                <fieldset class="choices">
                    <legend>{t!(i18n, volunteers.skills)}</legend>
                    {move || all_skills.get().and_then(Result::ok).map(|list| list.into_iter().map(|skill| {
                        let label = skill_label(i18n, &skill.code, &skill.name);
                        view! {
                            <label class="check">
                                <input type="checkbox" on:change=toggle(skills, skill.code.clone()) />
                                <span>{label}</span>
                            </label>
                        }
                    }).collect_view())}
                    <p class="field-error" aria-live="polite">{move || error_for(errors, "skills").get()}</p>
                </fieldset>
                <fieldset class="choices">
                    <legend>{t!(i18n, volunteers.weekdays)}</legend>
                    {(1..=7u8).map(|day| view! {
                        <label class="check">
                            <input type="checkbox" on:change=toggle(weekdays, day) />
                            <span>{move || weekday_label(i18n, day)}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset class="choices">
                    <legend>{t!(i18n, volunteers.parts)}</legend>
                    {DayPart::ALL.into_iter().map(|part| view! {
                        <label class="check">
                            <input type="checkbox" on:change=toggle(parts, part) />
                            <span>{move || part_label(i18n, part)}</span>
                        </label>
                    }).collect_view()}
                    <p class="field-error" aria-live="polite">{move || error_for(errors, "availability").get()}</p>
                </fieldset>
                <label class="check">
                    <input type="checkbox" prop:checked=move || trained.get() on:change=move |ev| trained.set(event_target_checked(&ev)) />
                    <span>{t!(i18n, volunteers.trained)}</span>
                </label>
                <Show when=move || trained.get()>
                    <Field id="vol-trained-on" label=move || t_string!(i18n, volunteers.training_date) error=error_for(errors, "trainings")>
                        <input id="vol-trained-on" type="date" bind:value=trained_on />
                    </Field>
                </Show>
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <button type="submit" class="button block" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { t_string!(i18n, volunteers.submitting) } else { t_string!(i18n, volunteers.submit) }}
                </button>
            </form>
        </section>
    }
}
