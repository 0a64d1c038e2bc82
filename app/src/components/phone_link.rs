use leptos::prelude::*;

/// A phone number a person can tap to call (`tel:`). A masked number (138****5678) is
/// only text: there is nothing to call until it is revealed.
#[component]
pub fn PhoneLink(
    phone: String,
    /// What the link reads, when not the bare number (e.g. "王楼长 13900000009").
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    let text = label.unwrap_or_else(|| phone.clone());
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    if phone.contains('*') || digits.is_empty() {
        view! { <span class="phone">{text}</span> }.into_any()
    } else {
        let href = format!("tel:{digits}");
        view! { <a class="phone-link" href=href>{text}</a> }.into_any()
    }
}
