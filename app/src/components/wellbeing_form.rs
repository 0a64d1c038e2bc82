use crate::api;
use crate::components::worker_labels::how_often_label;
use crate::i18n::*;
use leptos::prelude::*;
use shouwang_api::workers::{HowOften, WellbeingAnswers, WellbeingResult};

/// The four questions of the PHQ-4, each with its four answers as large radio buttons.
/// Every question must be answered; the one left open says so next to it.
#[component]
pub fn WellbeingForm(on_result: Callback<WellbeingResult>) -> impl IntoView {
    let i18n = use_i18n();
    let answers: [RwSignal<Option<HowOften>>; 4] = std::array::from_fn(|_| RwSignal::new(None));
    let tried = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let send = Action::new_local(move |input: &WellbeingAnswers| {
        let input = *input;
        async move {
            match api::workers::take_check(&input).await {
                Ok(result) => {
                    for answer in answers {
                        answer.set(None);
                    }
                    tried.set(false);
                    on_result.run(result);
                }
                Err(error) => failed.set(Some(api_error_text(i18n, &error))),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        failed.set(None);
        let [a, b, c, d] = answers.map(|s| s.get_untracked());
        match (a, b, c, d) {
            (Some(nervous), Some(worrying), Some(little_interest), Some(feeling_down)) => {
                send.dispatch(WellbeingAnswers {
                    nervous,
                    worrying,
                    little_interest,
                    feeling_down,
                });
            }
            _ => focus_first_unanswered(),
        }
    };
    let questions = [
        ("nervous", t_string!(i18n, workers.wb_nervous)),
        ("worrying", t_string!(i18n, workers.wb_worrying)),
        (
            "little_interest",
            t_string!(i18n, workers.wb_little_interest),
        ),
        ("feeling_down", t_string!(i18n, workers.wb_feeling_down)),
    ];
    view! {
        <form class="editor wellbeing-form" novalidate on:submit=on_submit>
            <p class="wb-intro">{t!(i18n, workers.wb_question_intro)}</p>
            {questions.into_iter().zip(answers).enumerate().map(|(n, ((name, question), answer))| {
                let missing = move || tried.get() && answer.with(Option::is_none);
                view! {
                    <fieldset class="wb-question" class:has-error=missing>
                        <legend>{format!("{}. ", n + 1)}{question}</legend>
                        <div class="wb-choices">
                            {HowOften::ALL.into_iter().map(|choice| view! {
                                <label class="check big">
                                    <input type="radio" name=name
                                        prop:checked=move || answer.get() == Some(choice)
                                        on:change=move |_| answer.set(Some(choice)) />
                                    <span>{move || how_often_label(i18n, choice)}</span>
                                </label>
                            }).collect_view()}
                        </div>
                        <p class="field-error" aria-live="polite">{move || missing().then(|| t_string!(i18n, workers.wb_answer_all))}</p>
                    </fieldset>
                }
            }).collect_view()}
            <p class="form-error" role="alert">{move || failed.get()}</p>
            <div class="actions">
                <button type="submit" class="button" disabled=move || send.pending().get()>{t!(i18n, workers.wb_submit)}</button>
            </div>
        </form>
    }
}

/// Brings the first question left open to the user, after its error line appears.
fn focus_first_unanswered() {
    request_animation_frame(|| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Ok(Some(first)) = document.query_selector(".wb-question.has-error") {
            first.scroll_into_view_with_bool(true);
            if let Ok(Some(radio)) = first.query_selector("input") {
                use wasm_bindgen::JsCast;
                if let Ok(radio) = radio.dyn_into::<web_sys::HtmlElement>() {
                    let _ = radio.focus();
                }
            }
        }
    });
}
