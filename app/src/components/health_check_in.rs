use crate::api::{self, ApiError};
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::components::resident_labels::relation_label;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::health::{CheckIn, CheckInInput, DueMember, MyHealthToday, Symptom};
use shouwang_api::{ErrorCode, FieldError};

const FIELDS: &[&str] = &["temperature", "symptoms", "note"];

pub fn symptom_label(i18n: I18nContext<Locale>, s: Symptom) -> &'static str {
    match s {
        Symptom::Cough => t_string!(i18n, health.symptom_cough),
        Symptom::SoreThroat => t_string!(i18n, health.symptom_sore_throat),
        Symptom::Fatigue => t_string!(i18n, health.symptom_fatigue),
        Symptom::LossOfSmellOrTaste => t_string!(i18n, health.symptom_loss_of_smell_or_taste),
        Symptom::ShortOfBreath => t_string!(i18n, health.symptom_short_of_breath),
        Symptom::MuscleAche => t_string!(i18n, health.symptom_muscle_ache),
        Symptom::Diarrhoea => t_string!(i18n, health.symptom_diarrhoea),
        Symptom::RunnyNose => t_string!(i18n, health.symptom_runny_nose),
    }
}

/// What a check-in said, in one line: "38.2 ℃ · 发热 · 咳嗽" or "全部正常".
pub fn check_in_summary(i18n: I18nContext<Locale>, c: &CheckIn) -> String {
    let mut parts: Vec<String> = c
        .temperature
        .map(|t| format!("{t:.1} ℃"))
        .into_iter()
        .collect();
    if c.fever {
        parts.push(t_string!(i18n, health.flag_fever).to_owned());
    }
    parts.extend(
        c.symptoms
            .iter()
            .map(|s| symptom_label(i18n, *s).to_owned()),
    );
    if parts.is_empty() || (!c.fever && c.symptoms.is_empty()) {
        parts.push(t_string!(i18n, health.all_well_done).to_owned());
    }
    parts.join(" · ")
}

/// 健康打卡 on the resident's home page: everybody of the household who checks in today,
/// "全家正常" in one tap, or a temperature and symptoms for one person. Nothing shows when
/// nobody needs to check in.
#[component]
pub fn HealthCheckIn() -> impl IntoView {
    let i18n = use_i18n();
    let today = LocalResource::new(api::health::mine);
    let error = RwSignal::new(None::<String>);
    let everyone = Action::new_local(move |_: &()| async move {
        match api::health::all_well().await {
            Ok(_) => today.refetch(),
            Err(e) => error.set(Some(api_error_text(i18n, &e))),
        }
    });
    // Not a resident with a household, or nobody checks in today: nothing to show.
    let due = move || {
        today
            .get()
            .and_then(Result::ok)
            .filter(|t: &MyHealthToday| !t.members.is_empty())
    };
    move || {
        due().map(|t| {
            let pending = t.members.iter().any(|m| m.today.is_none());
            view! {
                <section class="panel health-check-in" aria-labelledby="health-title">
                    <h2 id="health-title">{t!(i18n, health.check_in_title)}</h2>
                    <p class="lead">{t!(i18n, health.check_in_lead)}</p>
                    {pending.then(|| view! {
                        <button type="button" class="button block" disabled=move || everyone.pending().get()
                            on:click=move |_| { everyone.dispatch(()); }>
                            {t!(i18n, health.all_well_household)}
                        </button>
                    })}
                    <p class="form-error" role="alert">{move || error.get()}</p>
                    <ul class="rows">
                        {t.members.into_iter().map(|member| {
                            let hotline = t.hotline.clone();
                            view! { <MemberCheckIn member today hotline /> }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

#[component]
fn MemberCheckIn(
    member: DueMember,
    today: LocalResource<Result<MyHealthToday, ApiError>>,
    hotline: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = member.member_id;
    let temperature = RwSignal::new(String::new());
    let symptoms = RwSignal::new(Vec::<Symptom>::new());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let send = Action::new_local(move |input: &CheckInInput| {
        let input = input.clone();
        async move {
            match api::health::check_in(&input).await {
                Ok(_) => today.refetch(),
                Err(e) => show_errors(errors, form_error(i18n, &e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let typed = temperature.get_untracked();
        // A reading that is not a number is refused here; the other fields are still
        // checked, so every error shows at once.
        let (reading, unreadable) = match typed.trim() {
            "" => (None, None),
            t => match t.parse::<f64>() {
                Ok(t) => (Some(t), None),
                Err(_) => (
                    None,
                    Some(FieldError::new("temperature", ErrorCode::InvalidValue)),
                ),
            },
        };
        let input = CheckInInput {
            member_id: id,
            all_well: false,
            temperature: reading,
            symptoms: symptoms.get_untracked(),
            note: Some(note.get_untracked()),
        };
        let found: Vec<FieldError> = unreadable.into_iter().chain(input.errors()).collect();
        if !refuse_all(i18n, errors, found) {
            send.dispatch(input);
        }
    };
    let name = member.name.clone();
    let relation = member.relation;
    let temp_id = format!("health-temperature-{id}");
    let note_id = format!("health-note-{id}");
    let done = member.today.clone();
    view! {
        <li class="row health-member" aria-label=name.clone()>
            <p class="row-title">{name.clone()} <span class="muted">" · " {move || relation_label(i18n, relation)}</span></p>
            {match done {
                Some(c) => {
                    let flagged = c.fever || !c.symptoms.is_empty();
                    let (fever, summary) = (c.fever, c.clone());
                    view! {
                        <p class="health-done" class:fever=fever>{t!(i18n, health.checked_in)} " · " {move || check_in_summary(i18n, &summary)}</p>
                        {flagged.then(|| view! { <NextSteps hotline=hotline.clone() /> })}
                    }.into_any()
                }
                None => view! {
                    <button type="button" class="button secondary" disabled=move || send.pending().get()
                        on:click=move |_| { send.dispatch(CheckInInput::all_well(id)); }>
                        {t!(i18n, health.all_well_one)}
                    </button>
                    <details class="health-form">
                        <summary>{t!(i18n, health.report)}</summary>
                        <form novalidate on:submit=submit>
                            <Field id=temp_id.clone() label=move || t_string!(i18n, health.temperature) error=error_for(errors, "temperature")>
                                <input id=temp_id.clone() type="number" inputmode="decimal" step="0.1" min="34" max="43" bind:value=temperature />
                            </Field>
                            <fieldset class="health-symptoms">
                                <legend>{t!(i18n, health.symptoms)}</legend>
                                {Symptom::ALL.into_iter().map(|s| view! {
                                    <label class="check">
                                        <input type="checkbox" prop:checked=move || symptoms.with(|v| v.contains(&s))
                                            on:change=move |ev| symptoms.update(|v| {
                                                v.retain(|x| *x != s);
                                                if event_target_checked(&ev) { v.push(s); }
                                            }) />
                                        <span>{move || symptom_label(i18n, s)}</span>
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <Field id=note_id.clone() label=move || t_string!(i18n, health.note) error=error_for(errors, "note") max=200>
                                <input id=note_id.clone() maxlength="200" bind:value=note />
                            </Field>
                            <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                            <button type="submit" class="button block" disabled=move || send.pending().get()>{t!(i18n, health.submit)}</button>
                        </form>
                    </details>
                }.into_any(),
            }}
        </li>
    }
}

/// What happens after a fever or symptoms are reported: the grid's staff were told and will
/// call, what to do meanwhile, when to call 120, and the community's duty hotline.
#[component]
fn NextSteps(hotline: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="health-next" role="note" aria-label=move || t_string!(i18n, trial_resident.next_title)>
            <p class="health-next-title">{t!(i18n, trial_resident.next_title)}</p>
            <ul>
                <li>{t!(i18n, trial_resident.next_call)}</li>
                <li>{t!(i18n, trial_resident.next_stay_home)}</li>
                <li>{t!(i18n, trial_resident.next_emergency)}</li>
                {hotline.map(|number| {
                    let href = format!("tel:{number}");
                    view! {
                        <li>{t!(i18n, trial_resident.next_hotline)} " " <a href=href class="tel">{number.clone()}</a></li>
                    }
                })}
            </ul>
        </div>
    }
}
