use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{
    Field, FormErrors, error_for, general_error, refuse_all, show_errors,
};
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::phone_link::PhoneLink;
use crate::components::require_role::RequireRole;
use crate::components::supply_labels::zone_label;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::ErrorCode;
use shouwang_api::auth::Role;
use shouwang_api::zones::{
    BuildingZone, CONTACT_NAME_MAX, NOTE_MAX, PublicTextFinding, REASON_MAX, Zone, ZoneInput,
    ZoneNoticePreview, ZonePeriod,
};

const FIELDS: &[&str] = &[
    "zone",
    "reason",
    "internal_note",
    "contact_name",
    "contact_phone",
    "starts_at",
    "planned_end",
];

/// Staff: the buildings of their grids with their zone; set a zone and see its history.
#[component]
pub fn ZonesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let buildings = LocalResource::new(move || api::zones::buildings(page.get()));
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, supplies.zones_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, supplies.zones_title)}</h1>
            {move || match buildings.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || buildings.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    <ul class="rows">
                        {page.items.iter().cloned().map(|building| view! { <BuildingRow building /> }).collect_view()}
                    </ul>
                    <Pager page=page.page page_count=page.page_count() total=page.total href=|p: u32| format!("/staff/zones?page={p}") />
                }),
            }}
        </RequireRole>
    }
}

#[component]
fn BuildingRow(building: BuildingZone) -> impl IntoView {
    let i18n = use_i18n();
    let id = building.building_id;
    let current = RwSignal::new(building.zone);
    let open = RwSignal::new(false);
    let history = RwSignal::new(Vec::<ZonePeriod>::new());
    let name = format!("{} · {}", building.grid_name, building.building_name);
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        if open.get_untracked() {
            leptos::task::spawn_local(async move {
                if let Ok(periods) = api::zones::history(id).await {
                    history.set(periods);
                }
            });
        }
    };
    view! {
        <li class="row zone-row" aria-label=name.clone()>
            <div class="row-main">
                <p class="row-title">{name.clone()}</p>
                <p class=move || format!("tag zone-tag zone-{}", current.get().as_str())>{move || zone_label(i18n, current.get())}</p>
            </div>
            <div class="row-actions">
                <button type="button" class="button small secondary" aria-expanded=move || open.get().to_string() on:click=toggle>
                    {t!(i18n, supplies.change_zone)}
                </button>
            </div>
            <Show when=move || open.get()>
                <ZoneForm id current history />
                <h3>{t!(i18n, supplies.history)}</h3>
                <ul class="zone-history">
                    {move || history.get().into_iter().map(|p| {
                        let (zone, from, who, reason) = (zone_label(i18n, p.zone), format::date_time(p.starts_at), p.set_by_name, p.reason);
                        let text = if p.pending {
                            t_string!(i18n, supplies.history_pending, zone, from, who, reason).to_string()
                        } else {
                            t_string!(i18n, supplies.history_item, zone, from, who, reason).to_string()
                        };
                        let note = p.internal_note.map(|note| t_string!(i18n, trial_zones.history_note, note).to_string());
                        let contact = p.contact_phone.map(|phone| {
                            let label = format!("{} {phone}", p.contact_name.unwrap_or_default());
                            view! { <p class="meta"><PhoneLink phone label /></p> }
                        });
                        view! {
                            <li class:pending=p.pending>
                                {text}
                                {note.map(|note| view! { <p class="meta">{note}</p> })}
                                {contact}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </li>
    }
}

#[component]
fn ZoneForm(id: i64, current: RwSignal<Zone>, history: RwSignal<Vec<ZonePeriod>>) -> impl IntoView {
    let i18n = use_i18n();
    let zone = RwSignal::new(Zone::Sealed);
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let contact_name = RwSignal::new(String::new());
    let contact_phone = RwSignal::new(String::new());
    let starts = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let confirm = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let warned = RwSignal::new(false);
    let done = RwSignal::new(false);
    let preview = RwSignal::new(None::<(ZoneInput, ZoneNoticePreview)>);
    let input = move || ZoneInput {
        zone: zone.get(),
        starts_at: format::from_local_input(&starts.get()),
        planned_end: format::from_local_input(&end.get()),
        reason: reason.get(),
        internal_note: Some(note.get()),
        contact_name: Some(contact_name.get()),
        contact_phone: Some(contact_phone.get()),
        confirm_public_text: confirm.get(),
    };
    // The public reason may identify a household: staff confirm before it is published.
    let needs_confirm = move || {
        warned.get() || preview.with(|p| p.as_ref().is_some_and(|(_, p)| !p.findings.is_empty()))
    };
    let refused = move |error: ApiError| {
        if matches!(
            error,
            ApiError::Api {
                code: ErrorCode::PublicTextPersonalData,
                ..
            }
        ) {
            warned.set(true);
        }
        show_errors(errors, form_error(i18n, &error));
    };
    let reset = move || {
        reason.set(String::new());
        note.set(String::new());
        contact_name.set(String::new());
        contact_phone.set(String::new());
        starts.set(String::new());
        end.set(String::new());
        confirm.set(false);
        warned.set(false);
        preview.set(None);
    };
    let show_preview = Action::new_local(move |_: &()| {
        let input = input();
        async move {
            errors.set(FormErrors::default());
            done.set(false);
            match api::zones::preview(id, &input).await {
                Ok(shown) => preview.set(Some((input, shown))),
                Err(error) => refused(error),
            }
        }
    });
    let save = Action::new_local(move |_: &()| {
        let input = input();
        async move {
            errors.set(FormErrors::default());
            done.set(false);
            match api::zones::set(id, &input).await {
                Ok(periods) => {
                    current.set(input.zone);
                    history.set(periods);
                    done.set(true);
                    reset();
                }
                Err(error) => refused(error),
            }
        }
    });
    // Every field is checked before the preview or the change is sent.
    let checked = move |action: Action<(), ()>| {
        errors.set(FormErrors::default());
        if !refuse_all(i18n, errors, input().errors(crate::clock::now())) {
            action.dispatch(());
        }
    };
    let busy = move || save.pending().get() || show_preview.pending().get();
    let field_id = move |name: &str| format!("zone-{id}-{name}");
    view! {
        <form class="editor" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); checked(save); }>
            <Show when=move || done.get()>
                <p class="banner banner-ok" role="status">{t!(i18n, supplies.set_ok)}</p>
            </Show>
            <Field id=field_id("zone") label=move || t_string!(i18n, supplies.zone_label) error=error_for(errors, "zone")>
                <select id=field_id("zone") on:change=move |ev| zone.set(Zone::parse(&event_target_value(&ev)).unwrap_or_default())>
                    {Zone::ALL.into_iter().map(|z| view! {
                        <option value=z.as_str() selected=move || zone.get() == z>{move || zone_label(i18n, z)}</option>
                    }).collect_view()}
                </select>
            </Field>
            <Field id=field_id("reason") label=move || t_string!(i18n, trial_zones.public_reason)
                hint=move || t_string!(i18n, trial_zones.public_reason_hint) error=error_for(errors, "reason")>
                <input id=field_id("reason") maxlength=REASON_MAX bind:value=reason />
            </Field>
            <Show when=needs_confirm>
                <label class="check">
                    <input type="checkbox" bind:checked=confirm />
                    {t!(i18n, trial_zones.confirm_public)}
                </label>
            </Show>
            <Field id=field_id("note") label=move || t_string!(i18n, trial_zones.internal_note)
                hint=move || t_string!(i18n, trial_zones.internal_note_hint) error=error_for(errors, "internal_note")>
                <textarea id=field_id("note") maxlength=NOTE_MAX rows="2" bind:value=note></textarea>
            </Field>
            <Field id=field_id("contact-name") label=move || t_string!(i18n, trial_zones.contact_name) error=error_for(errors, "contact_name")>
                <input id=field_id("contact-name") maxlength=CONTACT_NAME_MAX bind:value=contact_name />
            </Field>
            <Field id=field_id("contact-phone") label=move || t_string!(i18n, trial_zones.contact_phone)
                hint=move || t_string!(i18n, trial_zones.contact_phone_hint) error=error_for(errors, "contact_phone")>
                <input id=field_id("contact-phone") type="tel" inputmode="tel" autocomplete="off" bind:value=contact_phone />
            </Field>
            <Field id=field_id("starts") label=move || t_string!(i18n, supplies.starts_label) error=error_for(errors, "starts_at")>
                <input id=field_id("starts") type="datetime-local" bind:value=starts />
            </Field>
            <Field id=field_id("end") label=move || t_string!(i18n, supplies.planned_end_label) error=error_for(errors, "planned_end")>
                <input id=field_id("end") type="datetime-local" bind:value=end />
            </Field>
            {move || preview.get().map(|(_, shown)| view! { <NoticePreview shown /> })}
            <p class="form-error" role="alert">{move || general_error(errors, FIELDS).get()}</p>
            <div class="actions">
                <button type="button" class="button secondary" disabled=busy on:click=move |_| checked(show_preview)>
                    {t!(i18n, trial_zones.preview)}
                </button>
                <button type="submit" class="button" disabled=busy>{t!(i18n, supplies.set_zone)}</button>
            </div>
        </form>
    }
}

/// What the board, the poster and the kiosk will print, and what in it may identify a
/// household.
#[component]
fn NoticePreview(shown: ZoneNoticePreview) -> impl IntoView {
    let i18n = use_i18n();
    let findings = shown.findings.clone();
    view! {
        <section class="zone-preview" aria-label=move || t_string!(i18n, trial_zones.preview_heading)>
            <h3>{t!(i18n, trial_zones.preview_heading)}</h3>
            {(!findings.is_empty()).then(|| view! {
                <div class="banner banner-warning" role="alert">
                    <p>{t!(i18n, trial_zones.findings_heading)}</p>
                    <ul>
                        {findings.iter().map(|f| view! { <li>{finding_text(i18n, f)}</li> }).collect_view()}
                    </ul>
                </div>
            })}
            <article class="preview-notice">
                <p class="row-title">{shown.title}</p>
                <p class="preview-body">{shown.body.replace("**", "")}</p>
            </article>
        </section>
    }
}

fn finding_text(i18n: I18nContext<Locale>, finding: &PublicTextFinding) -> String {
    match finding {
        PublicTextFinding::Room(text) => {
            t_string!(i18n, trial_zones.finding_room, text = text.clone()).to_string()
        }
        PublicTextFinding::Phone(text) => {
            t_string!(i18n, trial_zones.finding_phone, text = text.clone()).to_string()
        }
        PublicTextFinding::Name(text) => {
            t_string!(i18n, trial_zones.finding_name, text = text.clone()).to_string()
        }
    }
}
