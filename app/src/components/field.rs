use crate::i18n::*;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A labelled form control with an optional hint and the place where its error appears,
/// wired for screen readers (`aria-describedby`, `role="alert"`).
///
/// With `max`, the field says its length limit before the user reaches it and counts the
/// characters typed (汉字 count as one, as the shared validation counts them), so a
/// browser's `maxlength` never cuts text silently.
#[component]
pub fn Field(
    /// The control's id; the control itself must carry it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: TextProp,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(into)] error: Signal<Option<String>>,
    /// The longest value the shared validation accepts, in characters.
    #[prop(optional)]
    max: Option<usize>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let count_id = format!("{id}-count");
    let typed = RwSignal::new(0usize);
    let control_id = id.clone();
    // The control's value is read where it is typed (input events bubble to the field),
    // and once when the field appears, so a restored draft is counted too.
    let count_from = move |control: &wasm_bindgen::JsValue| {
        let value = web_sys::js_sys::Reflect::get(control, &"value".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        typed.set(value.chars().count());
    };
    if max.is_some() {
        request_animation_frame(move || {
            if let Some(control) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&control_id))
            {
                count_from(&control);
            }
        });
    }
    let on_input = move |ev: leptos::ev::Event| {
        if max.is_none() {
            return;
        }
        if let Some(control) = ev.target() {
            count_from(&control);
        }
    };
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some) on:input=on_input>
            <label for=id>{move || label.get()}</label>
            {children()}
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{move || hint.get()}</p> })}
            {max.map(|max| {
                let at_limit = move || typed.get() >= max;
                view! {
                <p class="hint counter" id=count_id class:at-limit=at_limit>
                    {move || {
                        let count = typed.get();
                        if count == 0 {
                            t_string!(i18n, forms.at_most, max).to_string()
                        } else {
                            t_string!(i18n, forms.chars_left, count, max).to_string()
                        }
                    }}
                </p>
                }
            })}
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// Which field an error belongs to, and the sentence to show there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormError {
    pub field: Option<String>,
    pub message: String,
}

/// Every error a form has at once: one per field, and those that belong to no field.
/// Forms validate all their fields on submit and show every error together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormErrors(Vec<FormError>);

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds an error, keeping the first one for a field.
    pub fn push(&mut self, error: FormError) {
        if error.field.is_none() || !self.0.iter().any(|e| e.field == error.field) {
            self.0.push(error);
        }
    }

    fn for_field(&self, field: &str) -> Option<&FormError> {
        self.0.iter().find(|e| e.field.as_deref() == Some(field))
    }
}

impl From<FormError> for FormErrors {
    fn from(error: FormError) -> Self {
        FormErrors(vec![error])
    }
}

impl FromIterator<FormError> for FormErrors {
    fn from_iter<I: IntoIterator<Item = FormError>>(iter: I) -> Self {
        let mut errors = FormErrors::default();
        for error in iter {
            errors.push(error);
        }
        errors
    }
}

/// Shows a form's errors and brings the first one to the user: focus on its control,
/// scrolled to the middle of the screen, so that a tap on submit always changes what
/// the user sees.
pub fn show_errors(errors: RwSignal<FormErrors>, shown: impl Into<FormErrors>) {
    errors.set(shown.into());
    // After the error texts are in the page, which happens on the next frame.
    request_animation_frame(focus_first_error);
}

fn focus_first_error() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // Document order is the order the user reads: the first marked field or, when the
    // error belongs to no field, the form's own error line.
    let Ok(Some(first)) =
        document.query_selector(".has-error, .field-error:not(:empty), .form-error:not(:empty)")
    else {
        return;
    };
    // A field folded away (the optional risk questions) is opened to show its error.
    if let Ok(Some(details)) = first.closest("details") {
        let _ = details.set_attribute("open", "");
    }
    let control = if first.matches("input, select, textarea").unwrap_or(false) {
        Some(first.clone())
    } else {
        first
            .closest(".field, fieldset")
            .ok()
            .flatten()
            .unwrap_or_else(|| first.clone())
            .query_selector("input:not([type=hidden]), select, textarea")
            .ok()
            .flatten()
    };
    let container = first
        .closest(".field, fieldset")
        .ok()
        .flatten()
        .unwrap_or_else(|| first.clone());
    // Focusing scrolls the control into view; the field's own error line is below it,
    // so the whole field is then brought up from the bottom of the screen.
    if let Some(control) = control.and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = control.focus();
    }
    container.scroll_into_view_with_bool(false);
}

/// The error text for one field, from a form's errors. A field repeated in a list (a
/// medicine line) has its own name per row, built at run time.
pub fn error_for(errors: RwSignal<FormErrors>, field: impl Into<String>) -> Signal<Option<String>> {
    let field = field.into();
    Signal::derive(move || errors.with(|e| e.for_field(&field).map(|e| e.message.clone())))
}

/// The errors that belong to no field of the form, shown above the buttons.
pub fn general_error(
    errors: RwSignal<FormErrors>,
    fields: &'static [&'static str],
) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors.with(|e| {
            let text =
                e.0.iter()
                    .filter(|e| e.field.as_deref().is_none_or(|f| !fields.contains(&f)))
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
            (!text.is_empty()).then_some(text)
        })
    })
}

/// Shows every refusal the shared validation found in a form, all at once, and brings the
/// first to the user. False when there is none, so the form goes on and sends.
pub fn refuse_all(
    i18n: I18nContext<Locale>,
    errors: RwSignal<FormErrors>,
    found: Vec<shouwang_api::FieldError>,
) -> bool {
    if found.is_empty() {
        return false;
    }
    show_errors(
        errors,
        found
            .into_iter()
            .map(|e| form_error(i18n, &e.into()))
            .collect::<FormErrors>(),
    );
    true
}
