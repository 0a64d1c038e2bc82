use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::worklist_row::WorklistRow;
use crate::format;
use crate::i18n::*;
use crate::pages::health_worklist::flag_label;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shouwang_api::health::Flag;

/// A community's health follow-up list as its street's staff read it, while the community
/// grants it: phones masked, each person opened on their own page. The server writes
/// every read to the community's audit log; without a live grant it refuses
/// (`not_granted`), and the refusal is shown as such.
#[component]
pub fn StreetFollowUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let street = Memo::new(move |_| params.with(|p| p.get("street").unwrap_or_default()));
    let community = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or_default()
        })
    });
    let flag = Memo::new(move |_| query.with(|q| q.get("flag").and_then(|f| Flag::parse(&f))));
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let list = LocalResource::new(move || {
        let (community, flag, page) = (community.get(), flag.get(), page.get());
        async move { api::street_access::follow_up_list(community, flag, page).await }
    });
    let here = move || {
        format!(
            "/street/{}/communities/{}/follow-up",
            street.get(),
            community.get()
        )
    };
    let tabs = || std::iter::once(None).chain(Flag::ALL.into_iter().map(Some));
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, street_access.street_title), t_string!(i18n, app_name)) />
        <p class="back"><A href=move || format!("/street/{}", street.get())>{t!(i18n, street_access.street_back)}</A></p>
        {move || match list.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! {
                <h1>{t!(i18n, street_access.street_title)}</h1>
                <ErrorBanner error retry=move || list.refetch() />
            }),
            Some(Ok(l)) => EitherOf3::C({
                let (community_name, purpose, until) =
                    (l.community_name.clone(), l.grant.purpose.clone(), format::date_time(l.grant.expires_at));
                let page_count = u32::try_from(l.total.div_ceil(u64::from(l.per_page.max(1)))).unwrap_or(1).max(1);
                view! {
                    <h1>{l.community_name.clone()} " · " {t!(i18n, street_access.street_title)}</h1>
                    <p class="banner banner-warning">{move || t_string!(i18n, street_access.street_grant,
                        community = community_name.clone(), purpose = purpose.clone(), until = until.clone()).to_string()}</p>
                    <nav class="tabs">
                        {tabs().map(|tab| view! {
                            <A href=move || format!("{}?flag={}", here(), tab.map(Flag::as_str).unwrap_or_default())
                                attr:class="tab"
                                attr:aria-current=move || if flag.get() == tab { "page" } else { "false" }>
                                {move || tab.map_or(t_string!(i18n, health.tab_all), |f| flag_label(i18n, f))}
                            </A>
                        }).collect_view()}
                    </nav>
                    {l.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, street_access.street_empty)}</p> })}
                    <ul class="rows">
                        {l.items.into_iter().map(|entry| {
                            let href = format!("{}/{}", here(), entry.member_id);
                            view! { <WorklistRow entry href /> }
                        }).collect_view()}
                    </ul>
                    <Pager page=l.page page_count total=l.total href=move |p| {
                        let f = flag.get_untracked().map(Flag::as_str).unwrap_or_default();
                        format!("{}?flag={f}&page={p}", here())
                    } />
                }
            }),
        }}
    }
}
