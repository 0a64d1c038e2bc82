use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::components::require_role::RequireRole;
use crate::components::shift_card::{ShiftCard, post_type_label};
use crate::i18n::*;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use shouwang_api::auth::Role;
use shouwang_api::shifts::PostType;

#[component]
pub fn BrowseShiftsPage() -> impl IntoView {
    view! {
        <RequireRole min=Role::Volunteer>
            <BrowseShifts />
        </RequireRole>
    }
}

/// Upcoming shifts a volunteer qualifies for, filtered by day, post and place (kept in the
/// URL so a filtered list can be shared and reloaded).
#[component]
fn BrowseShifts() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let query = use_query_map();
    let param =
        move |key: &'static str| Memo::new(move |_| query.with(|q| q.get(key).unwrap_or_default()));
    let (day, post, place, page) = (param("day"), param("post"), param("place"), param("page"));
    let day_input = RwSignal::new(day.get_untracked());
    let post_input = RwSignal::new(post.get_untracked());
    let place_input = RwSignal::new(place.get_untracked());
    let shifts = LocalResource::new(move || {
        let (day, post, place) = (day.get(), post.get(), place.get());
        let page = page.get().parse::<u32>().unwrap_or(1).max(1);
        async move { api::shifts::list(&day, PostType::parse(&post), &place, page).await }
    });
    let feedback = RwSignal::new(None::<Result<String, String>>);
    let changed = Callback::new(move |result: Result<String, String>| {
        feedback.set(Some(result));
        shifts.refetch();
    });
    let href = move |p: u32| {
        format!(
            "/volunteer/shifts?day={}&post={}&place={}&page={p}",
            day.get_untracked(),
            post.get_untracked(),
            place.get_untracked()
        )
    };
    let filter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        navigate(
            &format!(
                "/volunteer/shifts?day={}&post={}&place={}",
                day_input.get_untracked(),
                post_input.get_untracked(),
                place_input.get_untracked().trim()
            ),
            Default::default(),
        );
    };

    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, shifts.browse_title), t_string!(i18n, app_name)) />
        <header class="page-header">
            <h1>{t!(i18n, shifts.browse_title)}</h1>
        </header>
        <p class="hint">{t!(i18n, shifts.browse_intro)}</p>
        <form class="filters" on:submit=filter>
            <label for="filter-day">{t!(i18n, shifts.filter_day)}</label>
            <input id="filter-day" type="date" bind:value=day_input />
            <label for="filter-post">{t!(i18n, shifts.filter_post)}</label>
            <select id="filter-post" prop:value=move || post_input.get() on:change=move |ev| post_input.set(event_target_value(&ev))>
                <option value="">{t!(i18n, shifts.all_posts)}</option>
                {PostType::ALL.into_iter().map(|p| view! {
                    <option value=p.as_str() selected=move || post_input.get() == p.as_str()>{move || post_type_label(i18n, p)}</option>
                }).collect_view()}
            </select>
            <label for="filter-place">{t!(i18n, shifts.filter_place)}</label>
            <input id="filter-place" bind:value=place_input />
            <button type="submit" class="button secondary">{t!(i18n, shifts.apply)}</button>
        </form>
        {move || feedback.get().map(|f| match f {
            Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
            Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
        })}
        {move || match shifts.get() {
            None => EitherOf3::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf3::B(view! { <ErrorBanner error retry=move || shifts.refetch() /> }),
            Some(Ok(page)) => EitherOf3::C(view! {
                {page.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, shifts.empty)}</p> })}
                <ul class="rows">
                    {page.items.iter().cloned().map(|shift| view! { <ShiftCard shift changed /> }).collect_view()}
                </ul>
                <Pager page=page.page page_count=page.page_count() total=page.total href />
            }),
        }}
    }
}
