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
use crate::components::resident_labels::today;
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
        VolunteerNotApproved => t_string!(i18n, errors.volunteer_not_approved).to_string(),
        SkillRequired => t_string!(i18n, errors.skill_required).to_string(),
        TrainingRequired => t_string!(i18n, errors.training_required).to_string(),
        ShiftFull => t_string!(i18n, errors.shift_full).to_string(),
        ShiftClosed => t_string!(i18n, errors.shift_closed).to_string(),
        AlreadySignedUp => t_string!(i18n, errors.already_signed_up).to_string(),
        ShiftOverlap => t_string!(i18n, errors.shift_overlap).to_string(),
        WeeklyHoursExceeded => t_string!(i18n, errors.weekly_hours_exceeded).to_string(),
        RestTooShort => t_string!(i18n, errors.rest_too_short).to_string(),
        CheckInWindow => t_string!(i18n, errors.check_in_window).to_string(),
        PublicTextPersonalData => t_string!(i18n, errors.public_text_personal_data).to_string(),
        ZoneUnchanged => t_string!(i18n, errors.zone_unchanged).to_string(),
        StoredValueUnreadable => t_string!(i18n, errors.stored_value_unreadable).to_string(),
        IdempotencyKeyReused => t_string!(i18n, errors.idempotency_key_reused).to_string(),
        NotGranted => t_string!(i18n, errors.not_granted).to_string(),
        CardNumberNotStored => t_string!(i18n, errors.card_number_not_stored).to_string(),
        Internal => t_string!(i18n, errors.internal).to_string(),
    }
}

/// The sentence for a failed API call.
pub fn api_error_text(i18n: I18nContext<Locale>, error: &ApiError) -> String {
    match error {
        ApiError::Network => t_string!(i18n, errors.network).to_string(),
        ApiError::Queued => t_string!(i18n, offline.queued).to_string(),
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

/// The sentence for a refusal of one field, next to that field. Where the code's own
/// sentence would be vague or wrong for the field (a wrong pickup code is not "choose an
/// option"), the field has its own, with the limits of the shared validation.
pub fn field_error_text(
    i18n: I18nContext<Locale>,
    code: ErrorCode,
    field: &str,
    limit: Option<usize>,
) -> String {
    use ErrorCode::*;
    use shouwang_api::{health, residents, shifts, zones};
    let tenths = |t: i32| format!("{}.{}", t / 10, t % 10);
    match (code, field) {
        (InvalidValue, "lines") => t_string!(i18n, medicine.arrival_every_line).to_string(),
        (InvalidValue, "pickup_code") => t_string!(i18n, forms.pickup_code_wrong).to_string(),
        (Required, "pickup_code") => t_string!(i18n, forms.pickup_code_required).to_string(),
        (InvalidValue, "temperature") => {
            let min = tenths(health::TEMPERATURE_MIN_TENTHS);
            let max = tenths(health::TEMPERATURE_MAX_TENTHS);
            t_string!(i18n, forms.temperature_range, min, max).to_string()
        }
        (Required, "temperature") => t_string!(i18n, forms.temperature_required).to_string(),
        (InvalidDate, "birth_year") => {
            use chrono::Datelike;
            let min = residents::BIRTH_YEAR_MIN;
            let max = today().year();
            t_string!(i18n, forms.birth_year_range, min, max).to_string()
        }
        (Required | ConsentRequired, "consent_notice") => {
            t_string!(i18n, forms.consent_notice_required).to_string()
        }
        (ConsentRequired, _) => t_string!(i18n, forms.consent_sensitive).to_string(),
        (Required, "room_id") => t_string!(i18n, forms.room_required).to_string(),
        (Conflict, "room_id") => t_string!(i18n, forms.room_taken).to_string(),
        (UsernameTaken, "phone") => t_string!(i18n, forms.phone_taken).to_string(),
        (Conflict, "name") => t_string!(i18n, forms.name_taken).to_string(),
        (DateOrder, "end" | "planned_end") => t_string!(i18n, forms.end_after_start).to_string(),
        (InvalidValue, "end") => {
            let hours = shifts::DURATION_MAX_MINUTES / 60;
            t_string!(i18n, forms.end_too_long, hours).to_string()
        }
        (DateOrder, "observation_end") => t_string!(i18n, forms.observation_end_order).to_string(),
        (DateOrder, "repeat_until") => t_string!(i18n, forms.repeat_until_order).to_string(),
        (DateOrder, "to") => t_string!(i18n, forms.to_order).to_string(),
        (DateOrder, "slots") => t_string!(i18n, forms.slots_order).to_string(),
        (InvalidValue, "slots") => t_string!(i18n, forms.slots_duplicate).to_string(),
        (DateOrder, "expires_at") => t_string!(i18n, forms.expires_order).to_string(),
        (InvalidDate, "arrival_date" | "visited_on") => {
            t_string!(i18n, forms.date_not_future).to_string()
        }
        (InvalidDate, "date") => t_string!(i18n, forms.date_not_past).to_string(),
        (InvalidDate, "starts_at") => {
            let days = zones::MAX_LEAD_DAYS;
            t_string!(i18n, forms.starts_at_lead, days).to_string()
        }
        (InvalidDate | InvalidValue, "trainings") => {
            t_string!(i18n, forms.trainings_date).to_string()
        }
        (InvalidValue, "capacity") => {
            let max = shifts::CAPACITY_MAX;
            t_string!(i18n, forms.capacity_range, max).to_string()
        }
        (InvalidValue, "interval_hours") => {
            let max = health::CARE_INTERVAL_MAX_HOURS;
            t_string!(i18n, forms.interval_range, max).to_string()
        }
        (InvalidValue, "min_rest_minutes") => t_string!(i18n, forms.rest_range).to_string(),
        (InvalidValue, "days") => {
            let max = residents::RETENTION_MAX_DAYS;
            t_string!(i18n, forms.days_range, max).to_string()
        }
        (InvalidValue, "photo") => t_string!(i18n, forms.photo_invalid).to_string(),
        (InvalidValue, "csv") => t_string!(i18n, forms.csv_invalid).to_string(),
        (InvalidValue, "text") => t_string!(i18n, forms.one_text_many).to_string(),
        (
            InvalidValue,
            "skills" | "availability" | "role" | "relation" | "kind" | "symptoms" | "action"
            | "building_id" | "building_ids" | "required_skill" | "volunteer_id"
            | "contact_user_id" | "user_ids" | "request_ids" | "notice_id" | "into"
            | "arrival_from" | "category",
        ) => t_string!(i18n, forms.choose_listed).to_string(),
        _ => error_text(i18n, code, limit),
    }
}

/// A failed call as a form shows it: next to its field when it names one.
pub fn form_error(i18n: I18nContext<Locale>, error: &ApiError) -> FormError {
    let message = match error {
        ApiError::Api {
            code,
            field: Some(field),
            limit,
            ..
        } => field_error_text(i18n, *code, field, *limit),
        _ => api_error_text(i18n, error),
    };
    FormError {
        field: error.field().map(str::to_owned),
        message,
    }
}
