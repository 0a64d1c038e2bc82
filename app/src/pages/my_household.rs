use crate::api;
use crate::api::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{FormErrors, general_error, refuse_all, show_errors};
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::member_fields::{MemberDraft, MemberFields, member_input};
use crate::components::require_role::RequireRole;
use crate::components::resident_labels::*;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::ErrorCode;
use shouwang_api::auth::Role;
use shouwang_api::residents::{Household, Member, Relation};

const FIELDS: &[&str] = &[
    "name",
    "phone",
    "birth_year",
    "id_number",
    "groups",
    "arrival_date",
    "arrival_from",
    "arrival_place",
    "observation_start",
    "observation_end",
];

/// Which member form is open: none, one member's, or a new one.
#[derive(Clone, Copy, PartialEq)]
enum Editing {
    Nobody,
    Member(i64),
    New,
}

#[component]
pub fn MyHouseholdPage() -> impl IntoView {
    let i18n = use_i18n();
    let household = LocalResource::new(api::residents::mine);
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, residents.my_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Resident>
            <h1>{t!(i18n, residents.my_title)}</h1>
            <crate::components::zone_panel::ZonePanel />
            {move || match household.get() {
                None => EitherOf4::A(view! { <Loading /> }),
                Some(Err(ApiError::Api { code: ErrorCode::NotFound, .. })) => EitherOf4::B(view! {
                    <section class="panel">
                        <p>{t!(i18n, residents.no_household)}</p>
                        <A href="/register" attr:class="button">{t!(i18n, residents.register_link)}</A>
                    </section>
                }),
                Some(Err(error)) => EitherOf4::C(view! { <ErrorBanner error retry=move || household.refetch() /> }),
                Some(Ok(h)) => EitherOf4::D(view! { <HouseholdEditor initial=h /> }),
            }}
            <crate::components::health_check_in::HealthCheckIn />
            <crate::components::testing_slot::TestingSlot />
            <AccessLog />
        </RequireRole>
    }
}

#[component]
fn HouseholdEditor(initial: Household) -> impl IntoView {
    let i18n = use_i18n();
    let household = RwSignal::new(initial);
    let editing = RwSignal::new(Editing::Nobody);
    let draft = MemberDraft::new(Relation::Spouse);
    let errors = RwSignal::new(FormErrors::default());
    let message = RwSignal::new(None::<String>);
    let consent = Signal::derive(move || household.with(|h| h.consent_sensitive));

    let done = move |result: Result<Household, ApiError>, ok: String| match result {
        Ok(h) => {
            household.set(h);
            editing.set(Editing::Nobody);
            errors.set(FormErrors::default());
            message.set(Some(ok));
        }
        Err(error) => show_errors(errors, form_error(i18n, &error)),
    };
    let save = Action::new_local(move |target: &Editing| {
        let target = *target;
        let input = draft.input();
        let consent = consent.get_untracked();
        async move {
            let result = match target {
                Editing::Member(id) => {
                    api::residents::update_member(id, &input, today(), consent).await
                }
                Editing::New => api::residents::add_member(&input, today(), consent).await,
                Editing::Nobody => return,
            };
            done(result, t_string!(i18n, residents.saved).to_string());
        }
    });
    let remove = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            done(
                api::residents::remove_member(id).await,
                t_string!(i18n, residents.saved).to_string(),
            )
        }
    });
    let withdraw = Action::new_local(move |_: &()| async move {
        done(
            api::residents::withdraw_consent().await,
            t_string!(i18n, residents.withdrawn).to_string(),
        )
    });
    let open = move |target: Editing, member: Option<Member>| {
        match member {
            Some(m) => draft.load(&member_input(&m)),
            None => draft.clear(),
        }
        errors.set(FormErrors::default());
        message.set(None);
        editing.set(target);
    };

    let form = move || {
        view! {
            <form class="panel member-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                errors.set(FormErrors::default());
                let found = draft.input().errors(today(), consent.get_untracked());
                if !refuse_all(i18n, errors, found) {
                    save.dispatch(editing.get_untracked());
                }
            }>
                <MemberFields draft sensitive=consent errors />
                <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
                <div class="actions">
                    <button type="submit" class="button" disabled=move || save.pending().get()>{t!(i18n, residents.save)}</button>
                    <button type="button" class="button secondary" on:click=move |_| editing.set(Editing::Nobody)>{t!(i18n, residents.cancel)}</button>
                </div>
            </form>
        }
    };

    view! {
        {move || household.with(|h| {
            let a = &h.address;
            let address = format!("{} · {} · {} · {}", a.grid, a.building, a.unit, a.room);
            view! {
                <p class="lead">{address}</p>
                {(!h.active).then(|| view! { <p class="banner banner-warning">{t!(i18n, residents.pending_merge)}</p> })}
            }
        })}
        <p class="form-ok" role="status">{move || message.get()}</p>
        <ul class="rows members">
            {move || household.get().members.into_iter().map(|m| {
                let id = m.id;
                let label_edit = format!("{} {}", t_string!(i18n, residents.edit), m.name);
                let label_remove = format!("{} {}", t_string!(i18n, residents.remove), m.name);
                let member = m.clone();
                view! {
                    <li class="row">
                        <div class="row-main">
                            <p class="row-title">{m.name.clone()} " · " {relation_label(i18n, m.relation)} " · " {m.birth_year}</p>
                            <p class="meta">{m.phone.clone().unwrap_or_default()} " " {m.id_number.clone().unwrap_or_default()}</p>
                            <p class="meta">{m.groups.iter().map(|g| group_label(i18n, *g)).collect::<Vec<_>>().join("、")}</p>
                            {(m.observation != shouwang_api::residents::ObservationStatus::NotObserved).then(|| view! {
                                <p class="meta">{t!(i18n, residents.filter_observation)} ": " {observation_label(i18n, m.observation)}</p>
                            })}
                        </div>
                        <div class="row-actions">
                            <button type="button" class="button small secondary" aria-label=label_edit
                                on:click=move |_| open(Editing::Member(id), Some(member.clone()))>{t!(i18n, residents.edit)}</button>
                            <button type="button" class="button small danger" aria-label=label_remove
                                on:click=move |_| { remove.dispatch(id); }>{t!(i18n, residents.remove)}</button>
                        </div>
                    </li>
                    <Show when=move || editing.get() == Editing::Member(id)>{form}</Show>
                }
            }).collect_view()}
        </ul>
        <Show when=move || editing.get() == Editing::New fallback=move || view! {
            <button type="button" class="button secondary" on:click=move |_| open(Editing::New, None)>{t!(i18n, residents.add)}</button>
        }>{form}</Show>
        <section class="panel">
            <p>{move || if consent.get() { t_string!(i18n, residents.consent_given) } else { t_string!(i18n, residents.consent_not_given) }}</p>
            <Show when=move || consent.get()>
                <button type="button" class="button danger" on:click=move |_| { withdraw.dispatch(()); }>{t!(i18n, residents.withdraw)}</button>
            </Show>
        </section>
    }
}

/// Which staff role looked at or exported this household, and when.
#[component]
fn AccessLog() -> impl IntoView {
    let i18n = use_i18n();
    let log = LocalResource::new(api::residents::access_log);
    view! {
        <section class="panel">
            <h2>{t!(i18n, residents.access_title)}</h2>
            {move || log.get().and_then(Result::ok).map(|entries| {
                if entries.is_empty() {
                    return view! { <p class="empty">{t!(i18n, residents.access_empty)}</p> }.into_any();
                }
                view! {
                    <ul class="access-log">
                        {entries.into_iter().map(|e| {
                            let what = match e.action.as_str() {
                                "household.reveal" => t_string!(i18n, residents.action_reveal),
                                "household.export" => t_string!(i18n, residents.action_export),
                                _ => t_string!(i18n, residents.action_view),
                            };
                            let who = e.role.map(|r| role_label(i18n, r)).unwrap_or_default();
                            view! { <li>{format::date_time(e.at)} " · " {who} " " {what}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}
