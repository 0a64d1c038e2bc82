use crate::components::field::{Field, FormErrors, error_for};
use crate::components::resident_labels::*;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::residents::{
    ArrivalFrom, Member, MemberInput, NAME_MAX, PLACE_MAX, Relation, RiskCategory, RiskInfo,
    SpecialGroup,
};

/// One person's fields as the form holds them (text until validated).
#[derive(Clone, Copy)]
pub struct MemberDraft {
    pub name: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub relation: RwSignal<Relation>,
    pub birth_year: RwSignal<String>,
    pub id_number: RwSignal<String>,
    pub groups: RwSignal<Vec<SpecialGroup>>,
    pub arrival_date: RwSignal<String>,
    pub arrival_from: RwSignal<Option<ArrivalFrom>>,
    pub arrival_place: RwSignal<String>,
    pub category: RwSignal<Option<RiskCategory>>,
    pub observation_start: RwSignal<String>,
    pub observation_end: RwSignal<String>,
}

impl MemberDraft {
    pub fn new(relation: Relation) -> Self {
        MemberDraft {
            name: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            relation: RwSignal::new(relation),
            birth_year: RwSignal::new(String::new()),
            id_number: RwSignal::new(String::new()),
            groups: RwSignal::new(Vec::new()),
            arrival_date: RwSignal::new(String::new()),
            arrival_from: RwSignal::new(None),
            arrival_place: RwSignal::new(String::new()),
            category: RwSignal::new(None),
            observation_start: RwSignal::new(String::new()),
            observation_end: RwSignal::new(String::new()),
        }
    }

    pub fn load(&self, m: &MemberInput) {
        let date = |d: Option<chrono::NaiveDate>| d.map(format::date).unwrap_or_default();
        self.name.set(m.name.clone());
        self.phone.set(m.phone.clone().unwrap_or_default());
        self.relation.set(m.relation);
        // 0 stands for a year not typed yet (a draft), shown as an empty box.
        self.birth_year.set(if m.birth_year != 0 {
            m.birth_year.to_string()
        } else {
            String::new()
        });
        self.id_number.set(m.id_number.clone().unwrap_or_default());
        self.groups.set(m.groups.clone());
        self.arrival_date.set(date(m.risk.arrival_date));
        self.arrival_from.set(m.risk.arrival_from);
        self.arrival_place
            .set(m.risk.arrival_place.clone().unwrap_or_default());
        self.category.set(m.risk.category);
        self.observation_start.set(date(m.risk.observation_start));
        self.observation_end.set(date(m.risk.observation_end));
    }

    /// Subscribes the caller to every field, so that it reruns when any of them changes.
    pub fn track(&self) {
        self.name.track();
        self.phone.track();
        self.relation.track();
        self.birth_year.track();
        self.id_number.track();
        self.groups.track();
        self.arrival_date.track();
        self.arrival_from.track();
        self.arrival_place.track();
        self.category.track();
        self.observation_start.track();
        self.observation_end.track();
    }

    pub fn clear(&self) {
        self.load(&MemberInput {
            name: String::new(),
            phone: None,
            relation: Relation::Spouse,
            birth_year: 0,
            id_number: None,
            groups: Vec::new(),
            risk: RiskInfo::default(),
        });
    }

    pub fn input(&self) -> MemberInput {
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|s| !s.trim().is_empty());
        MemberInput {
            name: self.name.get_untracked(),
            phone: text(self.phone),
            relation: self.relation.get_untracked(),
            birth_year: self.birth_year.get_untracked().trim().parse().unwrap_or(0),
            id_number: text(self.id_number),
            groups: self.groups.get_untracked(),
            risk: RiskInfo {
                arrival_date: format::parse_date(&self.arrival_date.get_untracked()),
                arrival_from: self.arrival_from.get_untracked(),
                arrival_place: text(self.arrival_place),
                category: self.category.get_untracked(),
                observation_start: format::parse_date(&self.observation_start.get_untracked()),
                observation_end: format::parse_date(&self.observation_end.get_untracked()),
            },
        }
    }
}

/// A stored member back into the form's shape.
pub fn member_input(m: &Member) -> MemberInput {
    MemberInput {
        name: m.name.clone(),
        phone: m.phone.clone(),
        relation: m.relation,
        birth_year: m.birth_year,
        id_number: m.id_number.clone(),
        groups: m.groups.clone(),
        risk: m.risk.clone(),
    }
}

/// The fields of one household member. Sensitive fields (ID, health groups) appear only
/// when the household has given its separate consent.
#[component]
pub fn MemberFields(
    draft: MemberDraft,
    #[prop(into)] sensitive: Signal<bool>,
    errors: RwSignal<FormErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let group_box = move |g: SpecialGroup| {
        let checked = move || draft.groups.with(|gs| gs.contains(&g));
        view! {
            <label class="check big">
                <input type="checkbox" prop:checked=checked on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    draft.groups.update(|gs| {
                        gs.retain(|x| *x != g);
                        if on { gs.push(g); }
                    });
                } />
                <span>{move || group_label(i18n, g)}</span>
            </label>
        }
    };
    view! {
        <Field id="member-name" label=move || t_string!(i18n, residents.name) error=error_for(errors, "name") max=NAME_MAX>
            <input id="member-name" autocomplete="name" maxlength=NAME_MAX bind:value=draft.name />
        </Field>
        <Field id="member-phone" label=move || t_string!(i18n, residents.phone)
            hint=move || t_string!(i18n, residents.phone_hint) error=error_for(errors, "phone")>
            <input id="member-phone" type="tel" inputmode="numeric" autocomplete="tel" bind:value=draft.phone />
        </Field>
        <Field id="member-relation" label=move || t_string!(i18n, residents.relation) error=error_for(errors, "relation")>
            <select id="member-relation" on:change=move |ev| {
                if let Some(r) = Relation::parse(&event_target_value(&ev)) { draft.relation.set(r); }
            }>
                {Relation::ALL.iter().copied().map(|r| view! {
                    <option value=r.as_str() selected=move || draft.relation.get() == r>{move || relation_label(i18n, r)}</option>
                }).collect_view()}
            </select>
        </Field>
        <Field id="member-birth-year" label=move || t_string!(i18n, residents.birth_year) error=error_for(errors, "birth_year")>
            <input id="member-birth-year" type="number" inputmode="numeric" min="1900" max="2100" bind:value=draft.birth_year />
        </Field>
        <Show when=move || sensitive.get()>
            <Field id="member-id-number" label=move || t_string!(i18n, residents.id_number)
                hint=move || t_string!(i18n, residents.id_number_hint) error=error_for(errors, "id_number") max=18>
                <input id="member-id-number" autocomplete="off" maxlength="18" bind:value=draft.id_number />
            </Field>
        </Show>
        <fieldset class="groups">
            <legend>{t!(i18n, residents.groups)}</legend>
            {SpecialGroup::ALL.iter().copied().filter(|g| !g.is_sensitive()).map(group_box).collect_view()}
            <Show when=move || sensitive.get()>
                {SpecialGroup::ALL.iter().copied().filter(|g| g.is_sensitive()).map(group_box).collect_view()}
            </Show>
            <p class="field-error" aria-live="polite">{move || error_for(errors, "groups").get()}</p>
        </fieldset>
        <details class="risk">
            <summary>{t!(i18n, residents.risk_title)}</summary>
            <Field id="member-arrival-date" label=move || t_string!(i18n, residents.arrival_date) error=error_for(errors, "arrival_date")>
                <input id="member-arrival-date" type="date" bind:value=draft.arrival_date />
            </Field>
            <Field id="member-arrival-from" label=move || t_string!(i18n, residents.arrival_from) error=error_for(errors, "arrival_from")>
                <select id="member-arrival-from" on:change=move |ev| draft.arrival_from.set(ArrivalFrom::parse(&event_target_value(&ev)))>
                    <option value="" selected=move || draft.arrival_from.get().is_none()>{t!(i18n, residents.none_option)}</option>
                    {ArrivalFrom::ALL.iter().copied().map(|a| view! {
                        <option value=a.as_str() selected=move || draft.arrival_from.get() == Some(a)>{move || arrival_label(i18n, a)}</option>
                    }).collect_view()}
                </select>
            </Field>
            <Field id="member-arrival-place" label=move || t_string!(i18n, residents.arrival_place) error=error_for(errors, "arrival_place") max=PLACE_MAX>
                <input id="member-arrival-place" maxlength=PLACE_MAX bind:value=draft.arrival_place />
            </Field>
            <Field id="member-category" label=move || t_string!(i18n, residents.category) error=error_for(errors, "category")>
                <select id="member-category" on:change=move |ev| draft.category.set(RiskCategory::parse(&event_target_value(&ev)))>
                    <option value="" selected=move || draft.category.get().is_none()>{t!(i18n, residents.none_option)}</option>
                    {RiskCategory::ALL.iter().copied().map(|c| view! {
                        <option value=c.as_str() selected=move || draft.category.get() == Some(c)>{move || risk_label(i18n, c)}</option>
                    }).collect_view()}
                </select>
            </Field>
            <Field id="member-observation-start" label=move || t_string!(i18n, residents.observation_start) error=error_for(errors, "observation_start")>
                <input id="member-observation-start" type="date" bind:value=draft.observation_start />
            </Field>
            <Field id="member-observation-end" label=move || t_string!(i18n, residents.observation_end) error=error_for(errors, "observation_end")>
                <input id="member-observation-end" type="date" bind:value=draft.observation_end />
            </Field>
        </details>
    }
}
