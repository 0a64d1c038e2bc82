use crate::api;
use crate::components::testing_round_panel::{phase_label, place_label};
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::testing::{MyMember, MyRound};

/// 核酸检测 on the resident's home page: the household's next round and, for each person,
/// one instruction that fits them: come down in the unit's slot, or stay home because
/// staff come to the door (入户采样). The slot, place and queueing notes show only when
/// someone of the household comes down. Nothing shows without a round.
#[component]
pub fn TestingSlot() -> impl IntoView {
    let i18n = use_i18n();
    let mine = LocalResource::new(api::testing::mine);
    let round = move || mine.get().and_then(Result::ok).and_then(|m| m.round);
    move || {
        round().map(|r: MyRound| {
            let someone_comes_down = r.members.iter().any(|m| m.result.is_none() && !m.at_door);
            let someone_at_door = r.members.iter().any(|m| m.result.is_none() && m.at_door);
            let date = format::date(r.date);
            let window = format!("{}–{}", r.start, r.end);
            let notes = r.notes.clone();
            view! {
                <section class="panel testing-slot-panel" aria-labelledby="testing-slot-title">
                    <h2 id="testing-slot-title">{t!(i18n, testing.my_title)}</h2>
                    <p class="row-title">{r.name.clone()} " " <span class="tag">{move || phase_label(i18n, r.phase)}</span></p>
                    {if someone_comes_down {
                        view! {
                            <p class="testing-when">{t!(i18n, testing.my_when)} " " {date.clone()} " " {window.clone()}</p>
                            <p>{t!(i18n, testing.my_where)} " " {r.place.clone()}</p>
                        }.into_any()
                    } else {
                        view! { <p class="testing-when">{t!(i18n, testing.my_when)} " " {date.clone()}</p> }.into_any()
                    }}
                    <ul class="rows">
                        {r.members.into_iter().map(|m| view! { <MemberInstruction member=m /> }).collect_view()}
                    </ul>
                    {someone_comes_down.then(|| view! {
                        <p class="muted">
                            {someone_at_door.then(|| view! { <strong>{t!(i18n, trial_resident.site_notes_for)}</strong>" " })}
                            {move || notes.clone().unwrap_or_else(|| t_string!(i18n, testing.notes_default).to_owned())}
                        </p>
                    })}
                    {(someone_at_door && !someone_comes_down).then(|| view! {
                        <p class="muted">{t!(i18n, trial_resident.door_notes)}</p>
                    })}
                </section>
            }
        })
    }
}

/// One person and the one thing they are asked to do.
#[component]
fn MemberInstruction(member: MyMember) -> impl IntoView {
    let i18n = use_i18n();
    let (result, at_door) = (member.result, member.at_door);
    let text = move || match result.as_ref() {
        Some(done) => place_label(i18n, done.place).to_owned(),
        None if at_door => format!(
            "{}{}",
            t_string!(i18n, testing.my_at_door),
            t_string!(i18n, trial_resident.door_stay)
        ),
        None => format!(
            "{} · {}",
            t_string!(i18n, testing.my_pending),
            t_string!(i18n, trial_resident.come_down)
        ),
    };
    view! {
        <li class="row" aria-label=member.name.clone()>
            <div class="row-main">
                <p class="row-title">{member.name.clone()}</p>
                <p>{text}</p>
            </div>
        </li>
    }
}
