use crate::api;
use crate::components::shift_card::{post_label, signup_label, time_range};
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::pool::{PoolShift, PoolSignup, PoolStatus};
use shouwang_api::shifts::SignupStatus;

/// The street's volunteer pool (跨社区支援) on a volunteer's own page: joining or leaving
/// it, the shifts the street's other communities open to it, the volunteer's sign-ups
/// there, and their hours by community.
#[component]
pub fn StreetPool() -> impl IntoView {
    let i18n = use_i18n();
    let status = LocalResource::new(api::pool::status);
    let open = LocalResource::new(move || {
        let member = status.get().and_then(Result::ok).is_some_and(|s| s.in_pool);
        async move {
            if member {
                api::pool::shifts().await.ok()
            } else {
                None
            }
        }
    });
    let mine = LocalResource::new(api::pool::my_signups);
    let hours = LocalResource::new(api::pool::hours);
    let feedback = RwSignal::new(None::<Result<String, String>>);
    let changed = Callback::new(move |result: Result<String, String>| {
        feedback.set(Some(result));
        status.refetch();
        mine.refetch();
    });
    let membership = Action::new_local(move |join: &bool| {
        let join = *join;
        async move {
            let result = if join {
                api::pool::join()
                    .await
                    .map(|_| t_string!(i18n, pool.joined_ok).to_owned())
            } else {
                api::pool::leave().await.map(|left| {
                    let (seats, waitlist) = (left.seats_kept, left.waitlist_withdrawn);
                    t_string!(i18n, pool.left_ok, seats, waitlist).to_string()
                })
            };
            changed.run(result.map_err(|e| api_error_text(i18n, &e)));
        }
    });

    view! {
        <section class="section street-pool">
            <h2>{t!(i18n, pool.title)}</h2>
            {move || feedback.get().map(|f| match f {
                Ok(text) => view! { <p class="banner banner-ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any(),
            })}
            {move || status.get().and_then(Result::ok).map(|s| view! { <Membership status=s membership /> })}
            {move || open.get().flatten().map(|shifts| view! {
                <h3>{t!(i18n, pool.open_title)}</h3>
                {shifts.is_empty().then(|| view! { <p class="empty">{t!(i18n, pool.open_empty)}</p> })}
                <ul class="rows" aria-label=move || t_string!(i18n, pool.open_title)>
                    {shifts.into_iter().map(|open| view! { <OpenShift open changed /> }).collect_view()}
                </ul>
            })}
            {move || mine.get().and_then(Result::ok).map(|signups| view! {
                <h3>{t!(i18n, pool.mine_title)}</h3>
                {signups.is_empty().then(|| view! { <p class="empty">{t!(i18n, pool.mine_empty)}</p> })}
                <ul class="rows" aria-label=move || t_string!(i18n, pool.mine_title)>
                    {signups.into_iter().map(|signup| view! { <MyPoolSignup signup changed /> }).collect_view()}
                </ul>
            })}
            {move || hours.get().and_then(Result::ok).map(|h| view! {
                <h3>{t!(i18n, pool.hours_title)}</h3>
                <ul class="rows" aria-label=move || t_string!(i18n, pool.hours_title)>
                    {h.communities.into_iter().map(|c| {
                        let community = if c.home {
                            let community = c.community_name;
                            t_string!(i18n, pool.home, community).to_string()
                        } else {
                            c.community_name
                        };
                        let hours = format!("{:.1}", c.minutes as f64 / 60.0);
                        let count = c.shifts;
                        view! { <li class="row">{t!(i18n, pool.hours_row, community, hours, count)}</li> }
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// In the pool or not, and the one button that changes it.
#[component]
fn Membership(status: PoolStatus, membership: Action<bool, ()>) -> impl IntoView {
    let i18n = use_i18n();
    let street = status.street_name;
    if status.communities.is_empty() {
        return view! { <p class="empty">{t!(i18n, pool.no_others)}</p> }.into_any();
    }
    let busy = move || membership.pending().get();
    if status.in_pool {
        view! {
            <p>{t!(i18n, pool.member, street)}</p>
            <p class="hint">{t!(i18n, pool.leave_hint)}</p>
            <div class="actions">
                <button type="button" class="button secondary" disabled=busy
                    on:click=move |_| { membership.dispatch(false); }>{t!(i18n, pool.leave)}</button>
            </div>
        }
        .into_any()
    } else {
        let communities = status.communities.join("、");
        view! {
            <p>{t!(i18n, pool.intro, street, communities)}</p>
            <div class="actions">
                <button type="button" class="button" disabled=busy
                    on:click=move |_| { membership.dispatch(true); }>{t!(i18n, pool.join)}</button>
            </div>
        }
        .into_any()
    }
}

/// Another community's open shift: where, when, the places left, and sign-up (or the
/// waitlist when full).
#[component]
fn OpenShift(
    open: PoolShift,
    #[prop(into)] changed: Callback<Result<String, String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shift = open.shift;
    let (slug, community) = (open.community_slug, open.community_name);
    let title = format!("{community} · {}", post_label(i18n, &shift));
    let left = shift.capacity.saturating_sub(shift.taken);
    let id = shift.id;
    let mine = shift.my_signup.map(|m| signup_label(i18n, m.status));
    let sign_up = Action::new_local(move |waitlist: &bool| {
        let (waitlist, slug, community) = (*waitlist, slug.clone(), community.clone());
        async move {
            let result = api::pool::sign_up(&slug, id, waitlist).await;
            changed.run(
                result
                    .map(|_| t_string!(i18n, pool.signed_up_ok, community).to_string())
                    .map_err(|e| api_error_text(i18n, &e)),
            );
        }
    });
    let places = if left == 0 {
        t_string!(i18n, pool.full).to_owned()
    } else {
        let count = left;
        t_string!(i18n, pool.seats_left, count).to_string()
    };
    view! {
        <li class="row shift-card">
            <div class="row-main">
                <p class="row-title">{title}</p>
                <p class="meta">{time_range(&shift)}" · "{shift.place.clone()}</p>
                <p class="meta">{places}</p>
                {mine.map(|s| view! { <p class="tag shift-status">{s}</p> })}
            </div>
            <div class="row-actions">
                {mine.is_none().then(|| {
                    let (label, class) = if left == 0 {
                        (t_string!(i18n, shifts.join_waitlist), "button small secondary")
                    } else {
                        (t_string!(i18n, shifts.sign_up), "button small")
                    };
                    view! {
                        <button type="button" class=class disabled=move || sign_up.pending().get()
                            on:click=move |_| { sign_up.dispatch(left == 0); }>{label}</button>
                    }
                })}
            </div>
        </li>
    }
}

/// One of the volunteer's sign-ups in another community, with cancel while it is open.
#[component]
fn MyPoolSignup(
    signup: PoolSignup,
    #[prop(into)] changed: Callback<Result<String, String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shift = signup.signup.shift;
    let status = signup.signup.status;
    let (slug, id) = (signup.community_slug, shift.id);
    let title = format!("{} · {}", signup.community_name, post_label(i18n, &shift));
    let cancel = Action::new_local(move |_: &()| {
        let slug = slug.clone();
        async move {
            let result = api::pool::cancel(&slug, id).await;
            changed.run(
                result
                    .map(|()| t_string!(i18n, shifts.done_ok).to_owned())
                    .map_err(|e| api_error_text(i18n, &e)),
            );
        }
    });
    let label = match status {
        SignupStatus::Waitlisted => t_string!(i18n, shifts.leave_waitlist),
        _ => t_string!(i18n, shifts.cancel),
    };
    view! {
        <li class="row shift-card">
            <div class="row-main">
                <p class="row-title">{title}</p>
                <p class="meta">{time_range(&shift)}" · "{shift.place.clone()}</p>
                <p class="tag shift-status">{signup_label(i18n, status)}</p>
            </div>
            <div class="row-actions">
                {matches!(status, SignupStatus::SignedUp | SignupStatus::Waitlisted).then(|| view! {
                    <button type="button" class="button small danger" disabled=move || cancel.pending().get()
                        on:click=move |_| { cancel.dispatch(()); }>{label}</button>
                })}
            </div>
        </li>
    }
}
