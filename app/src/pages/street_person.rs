use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::format;
use crate::i18n::*;
use crate::pages::member_health::CheckInLine;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shouwang_api::street_access::StreetPersonRecord;

/// One person of a community's follow-up list, opened by the street's staff under the
/// community's grant: the phone in full to call, where they live, the observation period,
/// check-ins and what the community's staff did. The opening is in the community's audit
/// log with the reader's name.
#[component]
pub fn StreetPersonPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move |key: &str| {
        params.with(|p| {
            p.get(key)
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or_default()
        })
    };
    let street = Memo::new(move |_| params.with(|p| p.get("street").unwrap_or_default()));
    let community = Memo::new(move |_| id("id"));
    let member = Memo::new(move |_| id("member"));
    let record = LocalResource::new(move || {
        let (community, member) = (community.get(), member.get());
        async move { api::street_access::person(community, member).await }
    });
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, street_access.person_title), t_string!(i18n, app_name)) />
        <p class="back">
            <A href=move || format!("/street/{}/communities/{}/follow-up", street.get(), community.get())>
                {t!(i18n, street_access.street_back_to_list)}
            </A>
        </p>
        {move || match record.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || record.refetch() /> }),
            Some(Ok(r)) => EitherOf3::C(view! { <Record r /> }),
        }}
    }
}

#[component]
fn Record(r: StreetPersonRecord) -> impl IntoView {
    let i18n = use_i18n();
    let m = r.health;
    let a = &r.address;
    let place = format!(
        "{} {} {} {} {}",
        r.community_name, a.grid, a.building, a.unit, a.room
    );
    let observation = match (m.observation_start, m.observation_end) {
        (Some(start), Some(end)) => {
            let (start, end) = (format::date(start), format::date(end));
            t_string!(i18n, care.observation, start, end).to_string()
        }
        _ => t_string!(i18n, care.no_observation).to_string(),
    };
    view! {
        <h1>{m.name.clone()} " · " {t!(i18n, street_access.person_title)}</h1>
        <dl class="provenance">
            <dt>{t!(i18n, street_access.phone)}</dt>
            <dd>{r.phone.clone().map(|p| view! { <a href=format!("tel:{p}")>{p.clone()}</a> })}</dd>
            <dt>{t!(i18n, street_access.address)}</dt>
            <dd>{place}</dd>
        </dl>
        <p>{observation}</p>
        <h2>{t!(i18n, care.check_ins)}</h2>
        {m.check_ins.is_empty().then(|| view! { <p class="empty">{t!(i18n, care.no_check_ins)}</p> })}
        <ul class="rows">{m.check_ins.into_iter().map(|c| view! { <CheckInLine c /> }).collect_view()}</ul>
        <h2>{t!(i18n, care.follow_ups)}</h2>
        {m.follow_ups.is_empty().then(|| view! { <p class="empty">{t!(i18n, care.no_follow_ups)}</p> })}
        <ul class="rows">
            {m.follow_ups.into_iter().map(|f| view! {
                <li class="row">
                    <p class="meta">{format::date_time(f.at)} " · " {f.staff_name}</p>
                    <p>{f.note}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}
