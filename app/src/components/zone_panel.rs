use crate::api;
use crate::components::my_supplies::MySupplies;
use crate::components::phone_link::PhoneLink;
use crate::components::supply_labels::zone_label;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::zones::{MyZone, Zone};

/// The resident's building on their home page: its zone and what it means, whom to call,
/// and their supply and help requests. Nothing when the account has no household.
#[component]
pub fn ZonePanel() -> impl IntoView {
    let zone = LocalResource::new(api::zones::mine);
    move || {
        zone.get()
            .and_then(Result::ok)
            .map(|mine| view! { <ZoneInfo mine /> })
    }
}

#[component]
fn ZoneInfo(mine: MyZone) -> impl IntoView {
    let i18n = use_i18n();
    let z = mine.zone;
    let building = mine.building_name.clone();
    let heading = move || {
        let (building, zone) = (building.clone(), zone_label(i18n, z));
        t_string!(i18n, supplies.zone_heading, building, zone).to_string()
    };
    let may = move || match z {
        Zone::Precaution => t_string!(i18n, supplies.may_precaution),
        Zone::Controlled => t_string!(i18n, supplies.may_controlled),
        Zone::Sealed => t_string!(i18n, supplies.may_sealed),
    };
    let how = move || match z {
        Zone::Precaution => t_string!(i18n, supplies.how_precaution),
        Zone::Controlled => t_string!(i18n, supplies.how_controlled),
        Zone::Sealed => t_string!(i18n, supplies.how_sealed),
    };
    let line = |text: Option<String>| text.map(|t| view! { <p class="meta">{t}</p> });
    let since = mine.zone_since.map(format::date_time);
    let end = mine.planned_end.map(format::date_time);
    let reason = mine.reason.clone();
    let upcoming = mine.upcoming.clone().map(|u| {
        let (from, zone, reason) = (
            format::date_time(u.starts_at),
            zone_label(i18n, u.zone),
            u.reason,
        );
        t_string!(i18n, supplies.upcoming, from, zone, reason).to_string()
    });
    let worker = mine.grid_worker_name.clone();
    let contact = mine
        .contact_phone
        .clone()
        .map(|phone| (mine.contact_name.clone().unwrap_or_default(), phone));
    view! {
        <section class=format!("panel zone-panel zone-{}", z.as_str()) aria-labelledby="zone-heading">
            <h2 id="zone-heading">{heading}</h2>
            {upcoming.map(|text| view! { <p class="zone-upcoming" role="status">{text}</p> })}
            <p class="zone-may">{may}</p>
            <p>{how}</p>
            {line(since.map(|since| t_string!(i18n, supplies.since, since).to_string()))}
            {line(end.map(|end| t_string!(i18n, supplies.planned_end, end).to_string()))}
            {line(reason.map(|reason| t_string!(i18n, supplies.reason, reason).to_string()))}
            {line(worker.map(|name| t_string!(i18n, supplies.grid_worker, name).to_string()))}
            {contact.map(|(name, phone)| {
                let label = t_string!(i18n, supplies.contact, name, phone = phone.clone()).to_string();
                view! { <p class="zone-contact"><PhoneLink phone label /></p> }
            })}
        </section>
        <MySupplies kinds=mine.open_kinds />
    }
}
