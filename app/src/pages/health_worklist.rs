use crate::api::{self, ApiError};
use crate::components::care_overdue_link::CareOverdueLink;
use crate::components::error_banner::ErrorBanner;
use crate::components::field::{Field, FormErrors, error_for, refuse_all, show_errors};
use crate::components::hotline_setting::HotlineSetting;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::components::worklist_row::WorklistRow;
use crate::i18n::*;
use crate::session::use_session;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shouwang_api::auth::Role;
use shouwang_api::health::{Flag, FollowUpInput, WorklistEntry, WorklistQuery};

pub fn flag_label(i18n: I18nContext<Locale>, flag: Flag) -> &'static str {
    match flag {
        Flag::Missing => t_string!(i18n, health.flag_missing),
        Flag::Fever => t_string!(i18n, health.flag_fever),
        Flag::Symptoms => t_string!(i18n, health.flag_symptoms),
        Flag::ObservationEnding => t_string!(i18n, health.flag_observation_ending),
    }
}

/// 健康监测 for staff: today's worklist of their grids, by flag, each entry acknowledged
/// with a note of what was done.
#[component]
pub fn HealthWorklistPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
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
        let query = WorklistQuery {
            flag: flag.get(),
            ..WorklistQuery::default()
        };
        let page = page.get();
        async move { api::health::worklist(query, page).await }
    });
    let href = move |p: u32| {
        let f = flag.get_untracked().map(Flag::as_str).unwrap_or_default();
        format!("/staff/health?flag={f}&page={p}")
    };
    let session = use_session();
    let tabs = || std::iter::once(None).chain(Flag::ALL.into_iter().map(Some));
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, health.worklist_title), t_string!(i18n, app_name)) />
        <RequireRole min=Role::Staff>
            <h1>{t!(i18n, health.worklist_title)}</h1>
            <CareOverdueLink />
            <Show when=move || session.is_admin()>
                <HotlineSetting />
            </Show>
            <nav class="tabs">
                {tabs().map(|tab| view! {
                    <A href=format!("/staff/health?flag={}", tab.map(Flag::as_str).unwrap_or_default())
                        attr:class="tab"
                        attr:aria-current=move || if flag.get() == tab { "page" } else { "false" }>
                        {move || tab.map_or(t_string!(i18n, health.tab_all), |f| flag_label(i18n, f))}
                    </A>
                }).collect_view()}
            </nav>
            {move || match list.get() {
                None => EitherOf3::A(view! { <Loading /> }),
                Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || list.refetch() /> }),
                Some(Ok(page)) => EitherOf3::C(view! {
                    {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, health.worklist_empty)}</p> })}
                    <ul class="rows">
                        {page.items.iter().cloned().map(|entry| view! { <Entry entry list /> }).collect_view()}
                    </ul>
                    <Pager page=page.page page_count=page.page_count() total=page.total href />
                }),
            }}
        </RequireRole>
    }
}

#[component]
fn Entry(
    entry: WorklistEntry,
    list: LocalResource<Result<shouwang_api::Page<WorklistEntry>, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = entry.member_id;
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let send = Action::new_local(move |input: &FollowUpInput| {
        let input = input.clone();
        async move {
            match api::health::follow_up(id, &input).await {
                Ok(_) => list.refetch(),
                Err(e) => show_errors(errors, form_error(i18n, &e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        let input = FollowUpInput {
            note: note.get_untracked(),
        };
        if !refuse_all(i18n, errors, input.validate().err().into_iter().collect()) {
            send.dispatch(input);
        }
    };
    let note_id = format!("health-follow-up-{id}");
    view! {
        <WorklistRow entry href=format!("/staff/health/member/{id}")>
            <form novalidate class="health-follow-up" on:submit=submit>
                <Field id=note_id.clone() label=move || t_string!(i18n, health.follow_up_note) error=error_for(errors, "note") max=200>
                    <input id=note_id.clone() maxlength="200" bind:value=note />
                </Field>
                <button type="submit" class="button secondary" disabled=move || send.pending().get()>{t!(i18n, health.acknowledge)}</button>
            </form>
        </WorklistRow>
    }
}
