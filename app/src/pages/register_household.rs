use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{Field, FormErrors, error_for, general_error, show_errors};
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::member_fields::{MemberDraft, MemberFields};
use crate::components::resident_labels::relation_label;
use crate::components::resident_labels::today;
use crate::i18n::*;
use crate::session::use_session;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use shouwang_api::auth::NewPassword;
use shouwang_api::community::Structure;
use shouwang_api::residents::{MemberInput, RegistrationOutcome, RegistrationRequest, Relation};
use shouwang_api::text::parse_mobile;
use shouwang_api::{ErrorCode, FieldError};

const FIELDS: &[&str] = &[
    "room_id",
    "consent_notice",
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
    "password",
];

#[derive(Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
enum Step {
    #[default]
    Address,
    Notice,
    Member(usize),
    Account,
    Review,
}

/// Every household has these five steps, however many members it adds (members share
/// step 3), so the count never grows while the user goes.
const STEPS: usize = 5;

const DRAFT_KEY: &str = "shouwang.registration_draft";

/// What the user has filled in so far, kept on this device only (localStorage), so that a
/// reload or a phone that closes the tab loses nothing. Nothing reaches the server before
/// submit; the password is never kept. Removed after submit and at sign-out.
#[derive(Default, Serialize, Deserialize)]
struct Draft {
    step: Step,
    building: Option<i64>,
    unit: Option<i64>,
    room: Option<i64>,
    consent_notice: bool,
    consent_sensitive: bool,
    members: Vec<MemberInput>,
    /// The member being typed, not yet kept in `members`.
    editing: Option<MemberInput>,
    phone: String,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load_draft() -> Option<Draft> {
    let text = storage()?.get_item(DRAFT_KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

fn save_draft(draft: &Draft) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(draft)) {
        let _ = storage.set_item(DRAFT_KEY, &text);
    }
}

/// Removes an unfinished registration from this device (after submit, at sign-out).
pub fn forget_registration_draft() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(DRAFT_KEY);
    }
}

/// Self-registration from a phone: one question per screen, large targets.
#[component]
pub fn RegisterHouseholdPage() -> impl IntoView {
    let i18n = use_i18n();
    let structure = LocalResource::new(api::community::structure);
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, residents.register_title), t_string!(i18n, app_name)) />
        <section class="wizard">
            <h1>{t!(i18n, residents.register_title)}</h1>
            {move || match structure.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || structure.refetch() /> }),
                Some(Ok(structure)) => EitherOf3::C(view! { <Wizard structure /> }),
            }}
        </section>
    }
}

#[component]
fn Wizard(structure: Structure) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let structure = StoredValue::new(structure);
    let step = RwSignal::new(Step::Address);
    let building = RwSignal::new(None::<i64>);
    let unit = RwSignal::new(None::<i64>);
    let room = RwSignal::new(None::<i64>);
    let consent_notice = RwSignal::new(false);
    let consent_sensitive = RwSignal::new(false);
    let members = RwSignal::new(Vec::<MemberInput>::new());
    let draft = MemberDraft::new(Relation::SelfPerson);
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(None::<RegistrationOutcome>);
    let restored = RwSignal::new(false);

    if let Some(saved) = load_draft() {
        building.set(saved.building);
        unit.set(saved.unit);
        room.set(saved.room);
        consent_notice.set(saved.consent_notice);
        consent_sensitive.set(saved.consent_sensitive);
        members.set(saved.members);
        phone.set(saved.phone);
        if let Some(editing) = &saved.editing {
            draft.load(editing);
        }
        step.set(saved.step);
        restored.set(saved.building.is_some());
    }
    // Every change is written to the device at once: the tab may be killed at any moment.
    Effect::new(move |_| {
        draft.track();
        let editing = matches!(step.get(), Step::Member(_)).then(|| draft.input());
        save_draft(&Draft {
            step: step.get(),
            building: building.get(),
            unit: unit.get(),
            room: room.get(),
            consent_notice: consent_notice.get(),
            consent_sensitive: consent_sensitive.get(),
            members: members.get(),
            editing,
            phone: phone.get(),
        });
    });
    let start_over = move |_| {
        forget_registration_draft();
        building.set(None);
        unit.set(None);
        room.set(None);
        consent_notice.set(false);
        consent_sensitive.set(false);
        members.set(Vec::new());
        phone.set(String::new());
        draft.clear();
        restored.set(false);
        errors.set(FormErrors::default());
        step.set(Step::Address);
    };

    let show = move |e: FieldError| show_errors(errors, form_error(i18n, &e.into()));
    let go = move |s: Step| {
        errors.set(FormErrors::default());
        step.set(s);
    };
    // Keeps the member being edited in the list, or says what is wrong with it.
    let keep_member = move |index: usize| -> bool {
        let input = draft.input();
        let refused = input.errors(today(), consent_sensitive.get_untracked());
        match refused.is_empty() {
            true => {
                members.update(|ms| {
                    if index < ms.len() {
                        ms[index] = input;
                    } else {
                        ms.push(input);
                    }
                });
                true
            }
            false => {
                let found: FormErrors = refused
                    .into_iter()
                    .map(|e| form_error(i18n, &e.into()))
                    .collect();
                show_errors(errors, found);
                false
            }
        }
    };
    let open_member = move |index: usize| {
        match members.with_untracked(|ms| ms.get(index).cloned()) {
            Some(m) => draft.load(&m),
            None => {
                draft.clear();
                if index == 0 {
                    draft.relation.set(Relation::SelfPerson);
                }
            }
        }
        go(Step::Member(index));
    };

    let submit = Action::new_local(move |request: &RegistrationRequest| {
        let request = request.clone();
        async move {
            match api::residents::register(&request, today()).await {
                Ok(outcome) => {
                    forget_registration_draft();
                    if let Ok(account) = api::auth::me().await {
                        session.signed_in(account);
                    }
                    done.set(Some(outcome));
                }
                Err(error) => {
                    // Back to the step where the refused field is, with the error there.
                    match error.field() {
                        Some("phone" | "password") => step.set(Step::Account),
                        Some("room_id") => step.set(Step::Address),
                        Some("consent_notice") => step.set(Step::Notice),
                        _ => {}
                    }
                    show_errors(errors, form_error(i18n, &error));
                }
            }
        }
    });

    let next = move |_| match step.get_untracked() {
        Step::Address => {
            if room.get_untracked().is_some() {
                go(Step::Notice);
            } else {
                show(FieldError::new("room_id", ErrorCode::Required));
            }
        }
        Step::Notice => {
            if consent_notice.get_untracked() {
                open_member(0);
            } else {
                show(FieldError::new(
                    "consent_notice",
                    ErrorCode::ConsentRequired,
                ));
            }
        }
        Step::Member(i) => {
            if keep_member(i) {
                if phone.with_untracked(String::is_empty) {
                    let first =
                        members.with_untracked(|ms| ms.iter().find_map(|m| m.phone.clone()));
                    phone.set(first.unwrap_or_default());
                }
                go(Step::Account);
            }
        }
        Step::Account => {
            let found: FormErrors = [
                parse_mobile("phone", &phone.get_untracked()).err(),
                NewPassword::parse("password", &password.get_untracked()).err(),
            ]
            .into_iter()
            .flatten()
            .map(|e| form_error(i18n, &e.into()))
            .collect();
            if found.is_empty() {
                go(Step::Review);
            } else {
                show_errors(errors, found);
            }
        }
        Step::Review => {
            submit.dispatch(RegistrationRequest {
                room_id: room.get_untracked().unwrap_or(0),
                phone: phone.get_untracked(),
                password: password.get_untracked(),
                members: members.get_untracked(),
                consent_notice: consent_notice.get_untracked(),
                consent_sensitive: consent_sensitive.get_untracked(),
            });
        }
    };
    let back = move |_| match step.get_untracked() {
        Step::Address => {}
        Step::Notice => go(Step::Address),
        Step::Member(0) => go(Step::Notice),
        Step::Member(i) => open_member(i - 1),
        Step::Account => open_member(members.with_untracked(|ms| ms.len().saturating_sub(1))),
        Step::Review => go(Step::Account),
    };
    let add_another = move |_| {
        if let Step::Member(i) = step.get_untracked()
            && keep_member(i)
        {
            open_member(i + 1);
        }
    };

    let step_number = move || match step.get() {
        Step::Address => 1,
        Step::Notice => 2,
        Step::Member(_) => 3,
        Step::Account => 4,
        Step::Review => 5,
    };

    let buildings = move || {
        structure.with_value(|s| {
            s.grids
                .iter()
                .flat_map(|g| g.buildings.iter())
                .map(|b| (b.id, b.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let units = move || {
        let b = building.get();
        structure.with_value(|s| {
            s.grids
                .iter()
                .flat_map(|g| g.buildings.iter())
                .filter(|x| Some(x.id) == b)
                .flat_map(|x| x.units.iter())
                .map(|u| (u.id, u.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let rooms = move || {
        let u = unit.get();
        structure.with_value(|s| {
            s.grids
                .iter()
                .flat_map(|g| g.buildings.iter())
                .flat_map(|b| b.units.iter())
                .filter(|x| Some(x.id) == u)
                .flat_map(|x| x.rooms.iter())
                .map(|r| (r.id, r.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let address = move || {
        structure.with_value(|s| {
            s.grids
                .iter()
                .flat_map(|g| g.buildings.iter())
                .flat_map(|b| b.units.iter().map(move |u| (b, u)))
                .flat_map(|(b, u)| u.rooms.iter().map(move |r| (b, u, r)))
                .find(|(_, _, r)| Some(r.id) == room.get())
                .map(|(b, u, r)| format!("{} {} {}", b.name, u.name, r.name))
                .unwrap_or_default()
        })
    };
    let parse_id = |ev: &leptos::ev::Event| event_target_value(ev).parse::<i64>().ok();

    let screen = move || {
        match step.get() {
        Step::Address => view! {
            <h2>{t!(i18n, residents.step_address)}</h2>
            <p class="lead">{t!(i18n, residents.register_intro)}</p>
            <Field id="reg-building" label=move || t_string!(i18n, residents.building) error=Signal::derive(|| None::<String>)>
                <select id="reg-building" on:change=move |ev| { building.set(parse_id(&ev)); unit.set(None); room.set(None); }>
                    <option value="" selected=move || building.get().is_none()>{t!(i18n, residents.choose)}</option>
                    {buildings().into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=move || building.get() == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
            </Field>
            <Field id="reg-unit" label=move || t_string!(i18n, residents.unit) error=Signal::derive(|| None::<String>)>
                <select id="reg-unit" on:change=move |ev| { unit.set(parse_id(&ev)); room.set(None); }>
                    <option value="" selected=move || unit.get().is_none()>{t!(i18n, residents.choose)}</option>
                    {move || units().into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=move || unit.get() == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
            </Field>
            <Field id="reg-room" label=move || t_string!(i18n, residents.room) error=error_for(errors, "room_id")>
                <select id="reg-room" on:change=move |ev| room.set(parse_id(&ev))>
                    <option value="" selected=move || room.get().is_none()>{t!(i18n, residents.choose)}</option>
                    {move || rooms().into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=move || room.get() == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
            </Field>
        }.into_any(),
        Step::Notice => view! {
            <h2>{t!(i18n, residents.step_notice)}</h2>
            <div class="notice-box">
                <h3>{t!(i18n, residents.notice_title)}</h3>
                <p>{t!(i18n, residents.notice_body)}</p>
            </div>
            <label class="check big">
                <input type="checkbox" prop:checked=move || consent_notice.get()
                    on:change=move |ev| consent_notice.set(event_target_checked(&ev)) />
                <span>{t!(i18n, residents.consent_notice)}</span>
            </label>
            <p class="field-error" aria-live="polite">{move || error_for(errors, "consent_notice").get()}</p>
            <div class="notice-box sensitive">
                <h3>{t!(i18n, residents.sensitive_title)}</h3>
                <p>{t!(i18n, residents.sensitive_body)}</p>
            </div>
            <label class="check big">
                <input type="checkbox" prop:checked=move || consent_sensitive.get()
                    on:change=move |ev| consent_sensitive.set(event_target_checked(&ev)) />
                <span>{t!(i18n, residents.consent_sensitive)}</span>
            </label>
        }.into_any(),
        Step::Member(i) => {
            let n = i + 1;
            view! {
                <h2>{t!(i18n, residents.member_heading, n)}</h2>
                <MemberFields draft sensitive=consent_sensitive errors />
                <button type="button" class="button secondary block" on:click=add_another>{t!(i18n, residents.add_member)}</button>
            }.into_any()
        }
        Step::Account => {
            let count = members.with(Vec::len);
            view! {
                <h2>{t!(i18n, residents.step_account)}</h2>
                <p class="lead">{t!(i18n, residents.members_so_far, count)}</p>
                <Field id="reg-phone" label=move || t_string!(i18n, residents.account_phone)
                    hint=move || t_string!(i18n, residents.account_phone_hint) error=error_for(errors, "phone")>
                    <input id="reg-phone" type="tel" inputmode="numeric" autocomplete="tel" bind:value=phone />
                </Field>
                <Field id="reg-password" label=move || t_string!(i18n, residents.password)
                    hint=move || t_string!(i18n, residents.password_hint) error=error_for(errors, "password")>
                    <input id="reg-password" type="password" autocomplete="new-password" bind:value=password />
                </Field>
            }.into_any()
        }
        Step::Review => view! {
            <h2>{t!(i18n, forms.review_title)}</h2>
            <p class="lead">{t!(i18n, forms.review_intro)}</p>
            <dl class="review">
                <div class="review-item">
                    <dt>{t!(i18n, forms.review_address)}</dt>
                    <dd>{address}</dd>
                    <button type="button" class="button small secondary" on:click=move |_| go(Step::Address)>{t!(i18n, forms.edit)}</button>
                </div>
                {move || members.get().into_iter().enumerate().map(|(i, m)| {
                    let n = i + 1;
                    let line = format!("{} · {} · {}", m.name, relation_label(i18n, m.relation), m.birth_year);
                    let extra = m.phone.clone().unwrap_or_default();
                    view! {
                        <div class="review-item">
                            <dt>{t!(i18n, residents.member_heading, n)}</dt>
                            <dd>{line}<br />{extra}</dd>
                            <button type="button" class="button small secondary" on:click=move |_| open_member(i)>{t!(i18n, forms.edit)}</button>
                        </div>
                    }
                }).collect_view()}
                <div class="review-item">
                    <dt>{t!(i18n, forms.review_account)}</dt>
                    <dd>{move || phone.get()}</dd>
                    <button type="button" class="button small secondary" on:click=move |_| go(Step::Account)>{t!(i18n, forms.edit)}</button>
                </div>
            </dl>
            <p class="form-error" role="alert">{move || general_error(errors, &[]).get()}</p>
        }.into_any(),
    }
    };

    move || match done.get() {
        Some(outcome) => Either::Left(view! {
            <div class="panel done" role="status">
                <h2>{t!(i18n, residents.done_title)}</h2>
                <p>{t!(i18n, residents.done_body)}</p>
                {outcome.merge_pending.then(|| view! { <p class="banner banner-warning">{t!(i18n, residents.done_merge)}</p> })}
                <A href="/my-household" attr:class="button block">{t!(i18n, residents.go_my_household)}</A>
            </div>
        }),
        None => Either::Right(view! {
            <p class="step-of">{move || { let step = step_number(); let steps = STEPS; t_string!(i18n, residents.step_of, step, steps).to_string() }}</p>
            <Show when=move || restored.get()>
                <div class="banner banner-ok draft-restored" role="status">
                    <p>{t!(i18n, forms.draft_restored)}</p>
                    <button type="button" class="button small secondary" on:click=start_over>{t!(i18n, forms.draft_discard)}</button>
                </div>
            </Show>
            <form class="wizard-step" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); next(()); }>
                {screen}
                <Show when=move || step.get() != Step::Review>
                    <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                </Show>
                <p class="hint">{t!(i18n, forms.draft_kept)}</p>
                <div class="wizard-nav">
                    <Show when=move || step.get() != Step::Address>
                        <button type="button" class="button secondary" on:click=back>{t!(i18n, residents.back)}</button>
                    </Show>
                    <button type="submit" class="button" disabled=move || submit.pending().get()>
                        {move || if step.get() == Step::Review { t_string!(i18n, residents.submit) } else { t_string!(i18n, residents.next) }}
                    </button>
                </div>
            </form>
        }),
    }
}
