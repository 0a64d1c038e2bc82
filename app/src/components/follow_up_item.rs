use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::components::resident_labels::group_label;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::receipts::{DoorReceiptInput, FollowUpHousehold};

/// A household that has not acknowledged: where, who, why it comes first, and a way to
/// record the receipt given at the door.
#[component]
pub fn FollowUpItem(
    notice_id: i64,
    household: FollowUpHousehold,
    recorded: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let id = household.household_id;
    let record = Action::new_local(move |_: &()| {
        let input = DoorReceiptInput {
            note: Some(note.get_untracked()),
        };
        async move {
            match api::receipts::record_at_door(notice_id, id, &input).await {
                Ok(()) => recorded.run(()),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let place = format!("{} {}", household.unit, household.room);
    let aria = place.clone();
    let note_id = format!("door-note-{id}");
    let count = household.member_count;
    let phone = household.head_phone.clone();
    let tags: Vec<&'static str> = household
        .groups
        .iter()
        .map(|g| group_label(i18n, *g))
        .collect();
    view! {
        <li class="row follow-up" aria-label=aria>
            <div class="row-main">
                <p class="row-title">{place} " · " {household.head_name.clone()} " · " {t!(i18n, residents.members_n, count)}</p>
                <p class="meta">
                    {move || phone.clone().unwrap_or_else(|| t_string!(i18n, receipts.no_phone).to_string())}
                    {household.last_visit_on.map(|d| format!(" · {}", format::date(d)))}
                </p>
                <p class="tags">{tags.into_iter().map(|t| view! { <span class="tag tag-warning">{t}</span> }).collect_view()}</p>
                <div class="field">
                    <label for=note_id.clone()>{t!(i18n, receipts.door_note)}</label>
                    <input id=note_id type="text" maxlength="200" prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev)) />
                </div>
                {move || error.get().map(|error| view! { <ErrorBanner error /> })}
            </div>
            <div class="row-actions">
                <button type="button" class="button small" disabled=move || record.pending().get()
                    on:click=move |_| { record.dispatch(()); }>{t!(i18n, receipts.record_door)}</button>
            </div>
        </li>
    }
}
