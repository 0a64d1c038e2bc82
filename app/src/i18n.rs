//! The one translation mechanism: leptos_i18n, with keys from `locales/zh.json` and
//! `locales/en.json` checked at compile time. Chinese is the default.

#[allow(unused_imports, dead_code, clippy::all)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}

pub use generated::i18n::*;
pub use leptos_i18n::I18nContext;

use crate::api::ApiError;
use crate::components::field::FormError;
use shouwang_api::ErrorCode;
use shouwang_api::auth::Role;
use shouwang_api::notices::{NoticeCategory, NoticeStatus};
use wasm_bindgen::JsCast;

const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// leptos_i18n follows the browser's language when no choice was saved; Shouwang's
/// default is Simplified Chinese whatever the browser says, so save that choice first.
pub fn default_to_chinese() {
    let Some(document) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    else {
        return;
    };
    let cookies = document.cookie().unwrap_or_default();
    if !cookies
        .split(';')
        .any(|c| c.trim().starts_with(LOCALE_COOKIE))
    {
        let _ = document.set_cookie(&format!(
            "{LOCALE_COOKIE}=zh; path=/; max-age=31536000; samesite=lax"
        ));
    }
}

pub fn category_label(i18n: I18nContext<Locale>, category: NoticeCategory) -> &'static str {
    match category {
        NoticeCategory::Announcement => t_string!(i18n, category.announcement),
        NoticeCategory::Policy => t_string!(i18n, category.policy),
        NoticeCategory::Prevention => t_string!(i18n, category.prevention),
        NoticeCategory::Services => t_string!(i18n, category.services),
        NoticeCategory::Health => t_string!(i18n, category.health),
        NoticeCategory::Debunk => t_string!(i18n, category.debunk),
        NoticeCategory::Other => t_string!(i18n, category.other),
    }
}

pub fn status_label(i18n: I18nContext<Locale>, status: NoticeStatus) -> &'static str {
    match status {
        NoticeStatus::Draft => t_string!(i18n, status.draft),
        NoticeStatus::Published => t_string!(i18n, status.published),
        NoticeStatus::Withdrawn => t_string!(i18n, status.withdrawn),
    }
}

pub fn role_label(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Admin => t_string!(i18n, role.admin),
        Role::Staff => t_string!(i18n, role.staff),
        Role::Volunteer => t_string!(i18n, role.volunteer),
        Role::Resident => t_string!(i18n, role.resident),
    }
}

/// A readable sentence for an error code, in the current language.
pub fn error_text(i18n: I18nContext<Locale>, code: ErrorCode, limit: Option<usize>) -> String {
    use ErrorCode::*;
    match code {
        MalformedJson => t_string!(i18n, errors.malformed_json).to_string(),
        UnsupportedMediaType => t_string!(i18n, errors.unsupported_media_type).to_string(),
        PayloadTooLarge => t_string!(i18n, errors.payload_too_large).to_string(),
        InvalidType => t_string!(i18n, errors.invalid_type).to_string(),
        InvalidQuery => t_string!(i18n, errors.invalid_query).to_string(),
        Required => t_string!(i18n, errors.required).to_string(),
        TooShort => t_string!(i18n, errors.too_short).to_string(),
        TooLong => match limit {
            Some(limit) => t_string!(i18n, errors.too_long, limit).to_string(),
            None => t_string!(i18n, errors.too_long_plain).to_string(),
        },
        InvalidCharacters => t_string!(i18n, errors.invalid_characters).to_string(),
        InvalidUsername => t_string!(i18n, errors.invalid_username).to_string(),
        InvalidPhone => t_string!(i18n, errors.invalid_phone).to_string(),
        WeakPassword => t_string!(i18n, errors.weak_password).to_string(),
        InvalidDocNumber => t_string!(i18n, errors.invalid_doc_number).to_string(),
        InvalidDate => t_string!(i18n, errors.invalid_date).to_string(),
        DateOrder => t_string!(i18n, errors.date_order).to_string(),
        InvalidValue => t_string!(i18n, errors.invalid_value).to_string(),
        InvalidIdNumber => t_string!(i18n, errors.invalid_id_number).to_string(),
        ConsentRequired => t_string!(i18n, errors.consent_required).to_string(),
        Unauthenticated => t_string!(i18n, errors.unauthenticated).to_string(),
        InvalidCredentials => t_string!(i18n, errors.invalid_credentials).to_string(),
        Forbidden => t_string!(i18n, errors.forbidden).to_string(),
        CrossSiteRequest => t_string!(i18n, errors.cross_site_request).to_string(),
        RateLimited => t_string!(i18n, errors.rate_limited).to_string(),
        NotFound => t_string!(i18n, errors.not_found).to_string(),
        MethodNotAllowed => t_string!(i18n, errors.method_not_allowed).to_string(),
        Conflict => t_string!(i18n, errors.conflict).to_string(),
        UsernameTaken => t_string!(i18n, errors.username_taken).to_string(),
        IllegalTransition => t_string!(i18n, errors.illegal_transition).to_string(),
        VolunteerNotApproved => t_string!(i18n, shifts.err_volunteer_not_approved).to_string(),
        SkillRequired => t_string!(i18n, shifts.err_skill_required).to_string(),
        TrainingRequired => t_string!(i18n, shifts.err_training_required).to_string(),
        ShiftFull => t_string!(i18n, shifts.err_shift_full).to_string(),
        ShiftClosed => t_string!(i18n, shifts.err_shift_closed).to_string(),
        AlreadySignedUp => t_string!(i18n, shifts.err_already_signed_up).to_string(),
        ShiftOverlap => t_string!(i18n, shifts.err_shift_overlap).to_string(),
        WeeklyHoursExceeded => t_string!(i18n, shifts.err_weekly_hours_exceeded).to_string(),
        RestTooShort => t_string!(i18n, shifts.err_rest_too_short).to_string(),
        CheckInWindow => t_string!(i18n, shifts.err_check_in_window).to_string(),
        PublicTextPersonalData => t_string!(i18n, trial_zones.err_public_text).to_string(),
        ZoneUnchanged => t_string!(i18n, trial_zones.err_zone_unchanged).to_string(),
        Internal => t_string!(i18n, errors.internal).to_string(),
    }
}

/// The sentence for a failed API call.
pub fn api_error_text(i18n: I18nContext<Locale>, error: &ApiError) -> String {
    match error {
        ApiError::Network => t_string!(i18n, errors.network).to_string(),
        ApiError::Api {
            code: ErrorCode::RateLimited,
            retry_after: Some(seconds),
            ..
        } => {
            let seconds = *seconds;
            t_string!(i18n, errors.rate_limited_seconds, seconds).to_string()
        }
        ApiError::Api { code, limit, .. } => error_text(i18n, *code, *limit),
    }
}

/// A failed call as a form shows it: next to its field when it names one.
pub fn form_error(i18n: I18nContext<Locale>, error: &ApiError) -> FormError {
    FormError {
        field: error.field().map(str::to_owned),
        message: api_error_text(i18n, error),
    }
}
