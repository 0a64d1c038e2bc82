use crate::api;
use crate::components::testing_round_panel::{phase_label, place_label};
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::testing::MyRound;

/// 核酸检测 on the resident's home page: the household's next round, its unit's slot, the
/// place, what to bring, and who of the household is still to be tested. Nothing shows
/// without a round.
#[component]
pub fn TestingSlot() -> impl IntoView {
    let i18n = use_i18n();
    let mine = LocalResource::new(api::testing::mine);
    let round = move || mine.get().and_then(Result::ok).and_then(|m| m.round);
    move || {
        round().map(|r: MyRound| view! {
            <section class="panel testing-slot-panel" aria-labelledby="testing-slot-title">
                <h2 id="testing-slot-title">{t!(i18n, testing.my_title)}</h2>
                <p class="row-title">{r.name.clone()} " " <span class="tag">{phase_label(i18n, r.phase)}</span></p>
                <p class="testing-when">{t!(i18n, testing.my_when)} " " {format::date(r.date)} " " {format!("{}–{}", r.start, r.end)}</p>
                <p>{t!(i18n, testing.my_where)} " " {r.place.clone()}</p>
                <p class="muted">{r.notes.clone().unwrap_or_else(|| t_string!(i18n, testing.notes_default).to_owned())}</p>
                <ul class="rows">
                    {r.members.iter().map(|m| view! {
                        <li class="row" aria-label=m.name.clone()>
                            <span>{m.name.clone()}</span> " · "
                            {match m.result.as_ref() {
                                Some(done) => place_label(i18n, done.place),
                                None if m.at_door => t_string!(i18n, testing.my_at_door),
                                None => t_string!(i18n, testing.my_pending),
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}
