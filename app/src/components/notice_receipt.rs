use crate::api::{self, ApiError};
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use shouwang_api::receipts::{MyReceipt, ReceiptMethod};

/// The receipt (回执) part of a notice's page. A household asked for one taps 已阅知;
/// staff mark the notice as important (receipts asked of every building) and reach its
/// follow-up list.
#[component]
pub fn NoticeReceipt(notice_id: i64) -> impl IntoView {
    let session = use_session();
    let receipt = LocalResource::new(move || async move {
        if session.account.with(Option::is_some) {
            api::receipts::mine(notice_id).await.ok()
        } else {
            None
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let done = move |result: Result<MyReceipt, ApiError>| match result {
        Ok(_) => {
            error.set(None);
            receipt.refetch();
        }
        Err(e) => error.set(Some(e)),
    };
    let acknowledge = Action::new_local(move |_: &()| async move {
        done(api::receipts::acknowledge(notice_id).await);
    });
    let set_required = Action::new_local(move |required: &bool| {
        let required = *required;
        async move { done(api::receipts::set_required(notice_id, required).await) }
    });
    view! {
        {move || receipt.get().flatten().map(|r| {
            if session.is_staff() {
                EitherOf3::A(view! { <StaffReceipt notice_id receipt=r set_required /> })
            } else if r.required {
                EitherOf3::B(view! { <HouseholdReceipt receipt=r acknowledge /> })
            } else {
                EitherOf3::C(())
            }
        })}
        {move || error.get().map(|error| view! { <ErrorBanner error /> })}
    }
}

#[component]
fn StaffReceipt(
    notice_id: i64,
    receipt: MyReceipt,
    set_required: Action<bool, ()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let required = receipt.required;
    view! {
        <section class="receipt-box">
            <label class="check">
                <input type="checkbox" prop:checked=required
                    on:change=move |ev| { set_required.dispatch(event_target_checked(&ev)); } />
                <span>{t!(i18n, receipts.required_toggle)}</span>
            </label>
            {required.then(|| view! {
                <A href=format!("/staff/receipts/{notice_id}") attr:class="button secondary">{t!(i18n, receipts.see_progress)}</A>
            })}
        </section>
    }
}

#[component]
fn HouseholdReceipt(receipt: MyReceipt, acknowledge: Action<(), ()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="receipt-box receipt-ask">
            {match (receipt.acknowledged_at, receipt.method) {
                (Some(at), method) => {
                    let time = format::date_time(at);
                    let text = move || if method == Some(ReceiptMethod::Door) {
                        t_string!(i18n, receipts.acknowledged_door, time = time.clone()).to_string()
                    } else {
                        t_string!(i18n, receipts.acknowledged, time = time.clone()).to_string()
                    };
                    leptos::either::Either::Left(view! { <p class="receipt-done" role="status">{text}</p> })
                }
                (None, _) => leptos::either::Either::Right(view! {
                    <p>{t!(i18n, receipts.ask)}</p>
                    <button type="button" class="button receipt-button" disabled=move || acknowledge.pending().get()
                        on:click=move |_| { acknowledge.dispatch(()); }>{t!(i18n, receipts.acknowledge)}</button>
                }),
            }}
        </section>
    }
}
