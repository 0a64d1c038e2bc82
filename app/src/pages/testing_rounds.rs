use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::components::testing_round_form::TestingRoundForm;
use crate::components::testing_round_panel::{TestingRoundPanel, phase_label};
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use shouwang_api::auth::Role;

/// 核酸检测 for staff: schedule a round, the rounds of their grids, and one round's
/// progress with the not-yet-tested and door-to-door lists.
#[component]
pub fn TestingRoundsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let selected =
        Memo::new(move |_| query.with(|q| q.get("round").and_then(|r| r.parse::<i64>().ok())));
    let rounds = LocalResource::new(move || api::testing::rounds(page.get()));
    let on_created = move |id: i64| {
        rounds.refetch();
        navigate.with_value(|go| go(&format!("/staff/testing?round={id}"), Default::default()));
    };
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, testing.title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, testing.title)}</h1>
            <TestingRoundForm on_created />
            {move || selected.get().map(|id| view! { <TestingRoundPanel id on_change=move || rounds.refetch() /> })}
            <h2>{t!(i18n, testing.rounds)}</h2>
            {move || match rounds.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || rounds.refetch() /> }),
                Some(Ok(p)) => EitherOf3::C(view! {
                    {p.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, testing.rounds_empty)}</p> })}
                    <ul class="rows">
                        {p.items.iter().map(|r| view! {
                            <li class="row" aria-label=r.name.clone()>
                                <p class="row-title">{r.name.clone()}
                                    <span class="tag">{phase_label(i18n, r.phase)}</span></p>
                                <p class="muted">{format::date(r.date)} " · " {r.place.clone()}</p>
                                <p>{t!(i18n, testing.progress_line, tested = r.tested, expected = r.expected)}</p>
                                <A href=format!("/staff/testing?round={}", r.id) attr:class="button small secondary">{t!(i18n, testing.open)}</A>
                            </li>
                        }).collect_view()}
                    </ul>
                    <Pager page=p.page page_count=p.page_count() total=p.total href=|n: u32| format!("/staff/testing?page={n}") />
                }),
            }}
        </RequireRole>
    }
}
