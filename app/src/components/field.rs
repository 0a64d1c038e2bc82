use leptos::prelude::*;

/// A labelled form control with an optional hint and the place where its error appears,
/// wired for screen readers (`aria-describedby`, `role="alert"`).
#[component]
pub fn Field(
    /// The control's id; the control itself must carry it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: TextProp,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id>{move || label.get()}</label>
            {children()}
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{move || hint.get()}</p> })}
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

/// The error text for one field, from a form's error signal.
pub fn error_for(
    errors: RwSignal<Option<FormError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors.with(|e| {
            e.as_ref()
                .filter(|e| e.field.as_deref() == Some(field))
                .map(|e| e.message.clone())
        })
    })
}

/// The error that belongs to no field, shown above the buttons.
pub fn general_error(
    errors: RwSignal<Option<FormError>>,
    fields: &'static [&'static str],
) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors.with(|e| {
            e.as_ref()
                .filter(|e| e.field.as_deref().is_none_or(|f| !fields.contains(&f)))
                .map(|e| e.message.clone())
        })
    })
}
