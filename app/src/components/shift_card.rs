use crate::api;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::notifications::{PostName, ShiftNotice};
use shouwang_api::shifts::{PostType, Shift, SignupStatus};
use shouwang_api::volunteers::{Training, VolunteerStatus};

pub fn post_label(i18n: I18nContext<Locale>, shift: &Shift) -> String {
    post_name(i18n, shift.post, shift.post_custom.as_deref())
}

/// A post's name in the reader's language, or the name staff typed for a custom post.
pub fn post_name(i18n: I18nContext<Locale>, post: PostType, custom: Option<&str>) -> String {
    match (post, custom) {
        (PostType::Custom, Some(name)) => name.to_owned(),
        (post, _) => post_type_label(i18n, post).to_owned(),
    }
}

pub fn post_type_label(i18n: I18nContext<Locale>, post: PostType) -> &'static str {
    match post {
        PostType::Entrance => t_string!(i18n, shifts.post_entrance),
        PostType::TestingSite => t_string!(i18n, shifts.post_testing_site),
        PostType::Delivery => t_string!(i18n, shifts.post_delivery),
        PostType::DoorToDoor => t_string!(i18n, shifts.post_door_to_door),
        PostType::Disinfection => t_string!(i18n, shifts.post_disinfection),
        PostType::Publicity => t_string!(i18n, shifts.post_publicity),
        PostType::CareVisit => t_string!(i18n, shifts.post_care_visit),
        PostType::Custom => t_string!(i18n, shifts.post_custom),
    }
}

pub fn training_label(i18n: I18nContext<Locale>, training: Training) -> &'static str {
    match training {
        Training::Prevention => t_string!(i18n, shifts.training_prevention),
        Training::ProtectiveEquipment => t_string!(i18n, shifts.training_protective_equipment),
        Training::FirstAid => t_string!(i18n, shifts.training_first_aid),
    }
}

/// A built-in skill's name in the current language; staff-defined ones keep their own.
pub fn skill_label(i18n: I18nContext<Locale>, code: &str, name: &str) -> String {
    match code {
        "medical" => t_string!(i18n, volunteers.skill_medical).to_owned(),
        "counselling" => t_string!(i18n, volunteers.skill_counselling).to_owned(),
        "driving" => t_string!(i18n, volunteers.skill_driving).to_owned(),
        "delivery" => t_string!(i18n, volunteers.skill_delivery).to_owned(),
        "language" => t_string!(i18n, volunteers.skill_language).to_owned(),
        "it" => t_string!(i18n, volunteers.skill_it).to_owned(),
        _ => name.to_owned(),
    }
}

pub fn signup_label(i18n: I18nContext<Locale>, status: SignupStatus) -> &'static str {
    match status {
        SignupStatus::SignedUp => t_string!(i18n, shifts.status_signed_up),
        SignupStatus::Waitlisted => t_string!(i18n, shifts.status_waitlisted),
        SignupStatus::Cancelled => t_string!(i18n, shifts.status_cancelled),
        SignupStatus::CheckedIn => t_string!(i18n, shifts.status_checked_in),
        SignupStatus::CheckedOut => t_string!(i18n, shifts.status_checked_out),
        SignupStatus::NoShow => t_string!(i18n, shifts.status_no_show),
    }
}

pub fn volunteer_status_label(i18n: I18nContext<Locale>, status: VolunteerStatus) -> &'static str {
    match status {
        VolunteerStatus::Pending => t_string!(i18n, volunteers.status_pending),
        VolunteerStatus::Approved => t_string!(i18n, volunteers.status_approved),
        VolunteerStatus::Paused => t_string!(i18n, volunteers.status_paused),
        VolunteerStatus::Removed => t_string!(i18n, volunteers.status_removed),
    }
}

/// `11-28 07:00–11:00`, or with the end's date when it is the next day.
pub fn time_range(shift: &Shift) -> String {
    let start = shift.starts_local;
    let end = shift.ends_local;
    if start.date() == end.date() {
        format!(
            "{} {}–{}",
            start.format("%m-%d"),
            start.format("%H:%M"),
            end.format("%H:%M")
        )
    } else {
        format!(
            "{}–{}",
            start.format("%m-%d %H:%M"),
            end.format("%m-%d %H:%M")
        )
    }
}

/// What a volunteer can do with a shift from where they stand.
#[derive(Clone, Copy, PartialEq)]
enum Move {
    SignUp(bool),
    Cancel,
    CheckIn(i64),
    CheckOut(i64),
}

/// One shift as a volunteer sees it: post, time, place, seats, and the one or two things
/// they can do now (sign up, join the waitlist, cancel, check in, check out).
#[component]
pub fn ShiftCard(
    shift: Shift,
    /// Called after a change, to reload the list.
    #[prop(into)]
    changed: Callback<Result<String, String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = shift.id;
    let title = post_label(i18n, &shift);
    let when = time_range(&shift);
    let (taken, capacity, count) = (shift.taken, shift.capacity, shift.waitlisted);
    let full = taken >= capacity;
    let mine = shift.my_signup;
    let act = Action::new_local(move |step: &Move| {
        let step = *step;
        async move {
            let result = match step {
                Move::SignUp(waitlist) => api::shifts::sign_up(id, waitlist).await.map(|_| ()),
                Move::Cancel => api::shifts::cancel(id).await,
                Move::CheckIn(signup) => api::shifts::attendance(signup, "check-in").await,
                Move::CheckOut(signup) => api::shifts::attendance(signup, "check-out").await,
            };
            changed.run(
                result
                    .map(|()| t_string!(i18n, shifts.done_ok).to_owned())
                    .map_err(|e| api_error_text(i18n, &e)),
            );
        }
    });
    let button = move |step: Move, label: &'static str, class: &'static str| {
        view! {
            <button type="button" class=class disabled=move || act.pending().get()
                on:click=move |_| { act.dispatch(step); }>
                {label}
            </button>
        }
    };
    let status = mine.map(|m| match (m.status, m.waitlist_position) {
        (SignupStatus::Waitlisted, Some(position)) => {
            t_string!(i18n, shifts.waitlist_position, position).to_string()
        }
        (status, _) => signup_label(i18n, status).to_owned(),
    });
    let actions = match mine.map(|m| (m.status, m.id)) {
        None if full => vec![button(
            Move::SignUp(true),
            t_string!(i18n, shifts.join_waitlist),
            "button small secondary",
        )],
        None => vec![button(
            Move::SignUp(false),
            t_string!(i18n, shifts.sign_up),
            "button small",
        )],
        Some((SignupStatus::SignedUp, signup)) => vec![
            button(
                Move::CheckIn(signup),
                t_string!(i18n, shifts.check_in),
                "button small",
            ),
            button(
                Move::Cancel,
                t_string!(i18n, shifts.cancel),
                "button small danger",
            ),
        ],
        Some((SignupStatus::Waitlisted, _)) => {
            vec![button(
                Move::Cancel,
                t_string!(i18n, shifts.leave_waitlist),
                "button small danger",
            )]
        }
        Some((SignupStatus::CheckedIn, signup)) => {
            vec![button(
                Move::CheckOut(signup),
                t_string!(i18n, shifts.check_out),
                "button small",
            )]
        }
        Some(_) => vec![],
    };
    let skill = shift.required_skill.clone();
    let training = shift.required_training;
    view! {
        <li class="row shift-card">
            <div class="row-main">
                <p class="row-title">{title.clone()}</p>
                <p class="meta">{when}" · "{shift.place.clone()}</p>
                <p class="meta">
                    {t!(i18n, shifts.seats, taken, capacity)}
                    {(count > 0).then(|| view! { " · " {t!(i18n, shifts.waitlisted_count, count)} })}
                </p>
                {skill.map(|code| {
                    let skill = skill_label(i18n, &code, &code);
                    view! { <p class="meta">{t!(i18n, shifts.requires_skill, skill)}</p> }
                })}
                {training.map(|t| {
                    let training = training_label(i18n, t);
                    view! { <p class="meta">{t!(i18n, shifts.requires_training, training)}</p> }
                })}
                {shift.notes.clone().map(|n| view! { <p class="meta">{n}</p> })}
                {status.map(|s| view! { <p class="tag shift-status">{s}</p> })}
            </div>
            <div class="row-actions">{actions}</div>
        </li>
    }
}

/// The notifications of volunteers and shifts (matched in `notification_item`).
pub fn notify_shift(i18n: I18nContext<Locale>, shift: &ShiftNotice, promoted: bool) -> String {
    let post = match &shift.post {
        PostName::Post(post) => post_name(i18n, *post, shift.post_custom.as_deref()),
        PostName::Stored(name) => name.clone(),
    };
    let (place, starts) = (shift.place.clone(), shift.starts.clone());
    if promoted {
        t_string!(i18n, shifts.notif_promoted, post, place, starts).to_string()
    } else {
        t_string!(i18n, shifts.notif_cancelled, post, place, starts).to_string()
    }
}
