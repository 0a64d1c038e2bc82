use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{Field, FormErrors, error_for, refuse_all, show_errors};
use crate::components::loading::Loading;
use crate::components::require_role::RequireRole;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use shouwang_api::auth::Role;
use shouwang_api::street_access::{GrantScope, NewGrantRequest, PURPOSE_MAX, StreetGrant};

/// The periods offered; the contract allows 1 to 14 days.
const DAY_CHOICES: [u32; 4] = [1, 3, 7, 14];

pub fn scope_label(i18n: I18nContext<Locale>, scope: GrantScope) -> &'static str {
    match scope {
        GrantScope::HealthFollowUp => t_string!(i18n, street_access.scope_health_follow_up),
    }
}

#[component]
pub fn StreetGrantsPage() -> impl IntoView {
    view! {
        <RequireRole min=Role::Admin>
            <StreetGrants />
        </RequireRole>
    }
}

/// The community's admin grants the street's staff a list for a purpose and some days,
/// and revokes it; the history stays below.
#[component]
fn StreetGrants() -> impl IntoView {
    let i18n = use_i18n();
    let grants = LocalResource::new(api::street_access::grants);
    let feedback = RwSignal::new(None::<Result<String, String>>);
    let revoke = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            match api::street_access::revoke(id).await {
                Ok(_) => feedback.set(Some(Ok(
                    t_string!(i18n, street_access.revoked_done).to_string()
                ))),
                Err(error) => feedback.set(Some(Err(api_error_text(i18n, &error)))),
            }
            grants.refetch();
        }
    });
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, street_access.title), t_string!(i18n, app_name)) />
        <h1>{t!(i18n, street_access.title)}</h1>
        <p class="lead">{t!(i18n, street_access.intro)}</p>
        {move || feedback.get().map(|f| match f {
            Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
            Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
        })}
        <GrantForm on_granted=Callback::new(move |scope: GrantScope| {
            let scope = scope_label(i18n, scope);
            feedback.set(Some(Ok(t_string!(i18n, street_access.granted, scope).to_string())));
            grants.refetch();
        }) />
        <h2>{t!(i18n, street_access.list_title)}</h2>
        {move || match grants.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || grants.refetch() /> }),
            Some(Ok(list)) => EitherOf3::C(view! {
                {list.is_empty().then(|| view! { <p class="empty">{t!(i18n, street_access.empty)}</p> })}
                <ul class="rows">
                    {list.into_iter().map(|grant| view! { <GrantRow grant revoke /> }).collect_view()}
                </ul>
            }),
        }}
    }
}

#[component]
fn GrantRow(grant: StreetGrant, revoke: Action<i64, ()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = grant.id;
    let live = grant.live;
    let granted = {
        let (by, at, until) = (
            grant.granted_by.clone(),
            format::date_time(grant.granted_at),
            format::date_time(grant.expires_at),
        );
        move || {
            t_string!(
                i18n,
                street_access.granted_meta,
                by = by.clone(),
                at = at.clone(),
                until = until.clone()
            )
            .to_string()
        }
    };
    let revoked = grant.revoked_at.map(|at| {
        let (by, at) = (
            grant.revoked_by.clone().unwrap_or_default(),
            format::date_time(at),
        );
        move || {
            t_string!(
                i18n,
                street_access.revoked_meta,
                by = by.clone(),
                at = at.clone()
            )
            .to_string()
        }
    });
    let ended = grant.revoked_at.is_some();
    let scope = grant.scope;
    view! {
        <li class="row" class:muted=!live aria-label=move || scope_label(i18n, scope)>
            <div class="row-main">
                <p class="row-title">
                    {move || scope_label(i18n, scope)} " "
                    <span class="tag" class:status-expired=!live>
                        {move || if live {
                            t_string!(i18n, street_access.live)
                        } else if ended {
                            t_string!(i18n, street_access.revoked)
                        } else {
                            t_string!(i18n, street_access.expired)
                        }}
                    </span>
                </p>
                <p>{grant.purpose.clone()}</p>
                <p class="meta">{granted}</p>
                {revoked.map(|r| view! { <p class="meta">{r}</p> })}
            </div>
            {live.then(|| view! {
                <div class="row-actions">
                    <button type="button" class="button small danger"
                        disabled=move || revoke.pending().get()
                        on:click=move |_| { revoke.dispatch(id); }>
                        {t!(i18n, street_access.revoke)}
                    </button>
                </div>
            })}
        </li>
    }
}

#[component]
fn GrantForm(on_granted: Callback<GrantScope>) -> impl IntoView {
    let i18n = use_i18n();
    let scope = RwSignal::new(GrantScope::HealthFollowUp);
    let purpose = RwSignal::new(String::new());
    let days = RwSignal::new(3_u32);
    let errors = RwSignal::new(FormErrors::default());
    let send = Action::new_local(move |request: &NewGrantRequest| {
        let request = request.clone();
        async move {
            match api::street_access::grant(&request).await {
                // The purpose stays in the field: a renewal is usually for the same reason.
                Ok(grant) => on_granted.run(grant.scope),
                Err(error) => show_errors(errors, form_error(i18n, &error)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let request = NewGrantRequest {
            scope: scope.get_untracked(),
            purpose: purpose.get_untracked(),
            days: days.get_untracked(),
        };
        if !refuse_all(i18n, errors, request.check().err().unwrap_or_default()) {
            send.dispatch(request);
        }
    };
    view! {
        <section class="panel">
            <form novalidate on:submit=submit>
                <Field id="grant-scope" label=move || t_string!(i18n, street_access.scope) error=error_for(errors, "scope")>
                    <select id="grant-scope" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some(s) = GrantScope::ALL.into_iter().find(|s| s.as_str() == value) {
                            scope.set(s);
                        }
                    }>
                        {GrantScope::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || scope.get() == s>{move || scope_label(i18n, s)}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="grant-purpose" label=move || t_string!(i18n, street_access.purpose)
                    hint=move || t_string!(i18n, street_access.purpose_hint) error=error_for(errors, "purpose") max=PURPOSE_MAX>
                    <input id="grant-purpose" maxlength=PURPOSE_MAX bind:value=purpose />
                </Field>
                <Field id="grant-days" label=move || t_string!(i18n, street_access.days) error=error_for(errors, "days")>
                    <select id="grant-days" on:change=move |ev| {
                        if let Ok(d) = event_target_value(&ev).parse::<u32>() {
                            days.set(d);
                        }
                    }>
                        {DAY_CHOICES.into_iter().map(|d| view! {
                            <option value=d.to_string() selected=move || days.get() == d>
                                {move || t_string!(i18n, street_access.days_option, days = d).to_string()}
                            </option>
                        }).collect_view()}
                    </select>
                </Field>
                <button type="submit" class="button" disabled=move || send.pending().get()>{t!(i18n, street_access.grant)}</button>
            </form>
        </section>
    }
}
