//! Error codes and the JSON error shape: `{"error":{"code","message","field"}}`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Every error the API can answer with. The browser translates the code; the English
/// `message` is for API users and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // The request could not be read.
    MalformedJson,
    UnsupportedMediaType,
    PayloadTooLarge,
    InvalidType,
    InvalidQuery,
    // A field was read but its value is not acceptable.
    Required,
    TooShort,
    TooLong,
    InvalidCharacters,
    InvalidUsername,
    InvalidPhone,
    WeakPassword,
    InvalidDocNumber,
    InvalidDate,
    DateOrder,
    InvalidValue,
    InvalidIdNumber,
    ConsentRequired,
    // Who is asking.
    Unauthenticated,
    InvalidCredentials,
    Forbidden,
    CrossSiteRequest,
    RateLimited,
    // What is asked for.
    NotFound,
    MethodNotAllowed,
    Conflict,
    UsernameTaken,
    IllegalTransition,
    // Volunteers and shifts: why a sign-up is refused.
    VolunteerNotApproved,
    SkillRequired,
    TrainingRequired,
    ShiftFull,
    ShiftClosed,
    AlreadySignedUp,
    ShiftOverlap,
    WeeklyHoursExceeded,
    RestTooShort,
    CheckInWindow,
    // Zones: a public text that may identify a household; a change already in force.
    PublicTextPersonalData,
    ZoneUnchanged,
    // A stored record holds a value this build cannot read: reported, never guessed.
    StoredValueUnreadable,
    // An `Idempotency-Key` sent again with a different request.
    IdempotencyKeyReused,
    // A street's staff asked for a community's personal data without a live grant.
    NotGranted,
    // A medicine request's text holds what looks like a card number, which is never stored.
    CardNumberNotStored,
    // Our fault, never the caller's.
    Internal,
}

impl ErrorCode {
    /// Every code, so that the app can prove it has a message for each. Kept complete by
    /// `all_lists_every_code` below (its match breaks the build when a variant is added).
    pub const ALL: [ErrorCode; 45] = [
        ErrorCode::MalformedJson,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::InvalidType,
        ErrorCode::InvalidQuery,
        ErrorCode::Required,
        ErrorCode::TooShort,
        ErrorCode::TooLong,
        ErrorCode::InvalidCharacters,
        ErrorCode::InvalidUsername,
        ErrorCode::InvalidPhone,
        ErrorCode::WeakPassword,
        ErrorCode::InvalidDocNumber,
        ErrorCode::InvalidDate,
        ErrorCode::DateOrder,
        ErrorCode::InvalidValue,
        ErrorCode::InvalidIdNumber,
        ErrorCode::ConsentRequired,
        ErrorCode::Unauthenticated,
        ErrorCode::InvalidCredentials,
        ErrorCode::Forbidden,
        ErrorCode::CrossSiteRequest,
        ErrorCode::RateLimited,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Conflict,
        ErrorCode::UsernameTaken,
        ErrorCode::IllegalTransition,
        ErrorCode::VolunteerNotApproved,
        ErrorCode::SkillRequired,
        ErrorCode::TrainingRequired,
        ErrorCode::ShiftFull,
        ErrorCode::ShiftClosed,
        ErrorCode::AlreadySignedUp,
        ErrorCode::ShiftOverlap,
        ErrorCode::WeeklyHoursExceeded,
        ErrorCode::RestTooShort,
        ErrorCode::CheckInWindow,
        ErrorCode::PublicTextPersonalData,
        ErrorCode::ZoneUnchanged,
        ErrorCode::StoredValueUnreadable,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::NotGranted,
        ErrorCode::CardNumberNotStored,
        ErrorCode::Internal,
    ];

    /// The HTTP status this code travels with.
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            MalformedJson | InvalidQuery => 400,
            UnsupportedMediaType => 415,
            PayloadTooLarge => 413,
            InvalidType | Required | TooShort | TooLong | InvalidCharacters | InvalidUsername
            | InvalidPhone | WeakPassword | InvalidDocNumber | InvalidDate | DateOrder
            | InvalidValue | InvalidIdNumber | ConsentRequired => 422,
            Unauthenticated | InvalidCredentials => 401,
            Forbidden | CrossSiteRequest | NotGranted => 403,
            RateLimited => 429,
            NotFound => 404,
            MethodNotAllowed => 405,
            Conflict | UsernameTaken | IllegalTransition => 409,
            VolunteerNotApproved | SkillRequired | TrainingRequired => 403,
            ShiftFull | ShiftClosed | AlreadySignedUp | ShiftOverlap | WeeklyHoursExceeded
            | RestTooShort | CheckInWindow => 409,
            PublicTextPersonalData | CardNumberNotStored => 422,
            IdempotencyKeyReused => 422,
            ZoneUnchanged => 409,
            // The record is in a state the request cannot be served from; not a crash.
            StoredValueUnreadable => 409,
            Internal => 500,
        }
    }

    /// A plain English sentence for API users; the app shows its own translation.
    pub fn default_message(self) -> &'static str {
        use ErrorCode::*;
        match self {
            MalformedJson => "The request body is not valid JSON.",
            UnsupportedMediaType => "Send the request body as application/json.",
            PayloadTooLarge => "The request body is too large.",
            InvalidType => "A field has the wrong type.",
            InvalidQuery => "The query string is not valid.",
            Required => "This field is required.",
            TooShort => "This value is too short.",
            TooLong => "This value is too long.",
            InvalidCharacters => "This value contains characters that are not allowed.",
            InvalidUsername => {
                "A username is 3 to 32 letters, digits, dots, dashes or underscores, or a mainland mobile number."
            }
            InvalidPhone => "Enter an 11-digit mainland mobile number.",
            WeakPassword => "A password needs at least 8 characters.",
            InvalidDocNumber => "A document number looks like 津民发〔2020〕13号.",
            InvalidDate => "This date is not valid.",
            DateOrder => "This date must come after the earlier one.",
            InvalidValue => "This value is not one of the allowed choices.",
            InvalidIdNumber => "Enter an 18-character national ID number (GB 11643).",
            ConsentRequired => "This needs your explicit consent first.",
            Unauthenticated => "Sign in first.",
            InvalidCredentials => "Wrong username or password.",
            Forbidden => "Your account may not do this.",
            CrossSiteRequest => "Cross-site request refused.",
            RateLimited => "Too many attempts. Wait a moment and try again.",
            NotFound => "Not found.",
            MethodNotAllowed => "This method is not allowed here.",
            Conflict => "This conflicts with the current state.",
            UsernameTaken => "This username is already taken.",
            IllegalTransition => "This action is not possible in the current state.",
            VolunteerNotApproved => "Only approved volunteers can take shifts.",
            SkillRequired => "This shift needs a skill you have not listed.",
            TrainingRequired => "This shift needs a training you have not completed.",
            ShiftFull => "This shift is full. You may join its waitlist.",
            ShiftClosed => "This shift has started, ended or been cancelled.",
            AlreadySignedUp => "You are already on this shift or its waitlist.",
            ShiftOverlap => "This shift overlaps another of your shifts.",
            WeeklyHoursExceeded => "This shift would take you over the hours allowed per week.",
            RestTooShort => "Too little rest between this shift and another of yours.",
            CheckInWindow => "Check-in opens 30 minutes before the shift and closes at its end.",
            PublicTextPersonalData => {
                "The public text may identify a household (a room, a phone number or a resident's name). Remove it, or confirm with confirm_public_text."
            }
            ZoneUnchanged => "This building already has this zone decision; nothing was published.",
            StoredValueUnreadable => {
                "A stored record holds a value this version cannot read. It has been reported; nothing was changed."
            }
            IdempotencyKeyReused => {
                "This Idempotency-Key was already used for a different request."
            }
            NotGranted => {
                "This community has not granted its street access to this list, or the grant was revoked or has ended."
            }
            CardNumberNotStored => {
                "This looks like a card or account number. Shouwang never stores card numbers: leave it out; the volunteer reads the card itself."
            }
            Internal => "Something went wrong on our side. It has been logged.",
        }
    }

    /// The snake_case name, as it travels in JSON.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            MalformedJson => "malformed_json",
            UnsupportedMediaType => "unsupported_media_type",
            PayloadTooLarge => "payload_too_large",
            InvalidType => "invalid_type",
            InvalidQuery => "invalid_query",
            Required => "required",
            TooShort => "too_short",
            TooLong => "too_long",
            InvalidCharacters => "invalid_characters",
            InvalidUsername => "invalid_username",
            InvalidPhone => "invalid_phone",
            WeakPassword => "weak_password",
            InvalidDocNumber => "invalid_doc_number",
            InvalidDate => "invalid_date",
            DateOrder => "date_order",
            InvalidValue => "invalid_value",
            InvalidIdNumber => "invalid_id_number",
            ConsentRequired => "consent_required",
            Unauthenticated => "unauthenticated",
            InvalidCredentials => "invalid_credentials",
            Forbidden => "forbidden",
            CrossSiteRequest => "cross_site_request",
            RateLimited => "rate_limited",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            Conflict => "conflict",
            UsernameTaken => "username_taken",
            IllegalTransition => "illegal_transition",
            VolunteerNotApproved => "volunteer_not_approved",
            SkillRequired => "skill_required",
            TrainingRequired => "training_required",
            ShiftFull => "shift_full",
            ShiftClosed => "shift_closed",
            AlreadySignedUp => "already_signed_up",
            ShiftOverlap => "shift_overlap",
            WeeklyHoursExceeded => "weekly_hours_exceeded",
            RestTooShort => "rest_too_short",
            CheckInWindow => "check_in_window",
            PublicTextPersonalData => "public_text_personal_data",
            ZoneUnchanged => "zone_unchanged",
            StoredValueUnreadable => "stored_value_unreadable",
            IdempotencyKeyReused => "idempotency_key_reused",
            NotGranted => "not_granted",
            CardNumberNotStored => "card_number_not_stored",
            Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field's value was refused. Produced by the `validate` methods of this crate, on
/// both sides of the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: ErrorCode,
    /// The length or size limit that was crossed, when there is one.
    pub limit: Option<usize>,
}

impl FieldError {
    pub fn new(field: &'static str, code: ErrorCode) -> Self {
        Self {
            field,
            code,
            limit: None,
        }
    }

    pub fn with_limit(field: &'static str, code: ErrorCode, limit: usize) -> Self {
        Self {
            field,
            code,
            limit: Some(limit),
        }
    }

    pub fn message(&self) -> String {
        match (self.code, self.limit) {
            (ErrorCode::TooLong, Some(max)) => format!("At most {max} characters."),
            (ErrorCode::TooShort, Some(min)) => format!("At least {min} characters."),
            (code, _) => code.default_message().to_owned(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message())
    }
}

impl std::error::Error for FieldError {}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    /// The request field the error is about, when it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The length or count limit that was crossed (`too_long`, `too_short`), so a form
    /// can say "at most N characters" in the reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

impl From<FieldError> for ErrorBody {
    fn from(e: FieldError) -> Self {
        ErrorBody {
            error: ErrorDetail {
                code: e.code,
                message: e.message(),
                field: Some(e.field.to_owned()),
                limit: e.limit,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_snake_case_name() {
        for code in [
            ErrorCode::MalformedJson,
            ErrorCode::InvalidDocNumber,
            ErrorCode::CrossSiteRequest,
            ErrorCode::IllegalTransition,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn field_errors_become_the_error_shape() {
        let body: ErrorBody = FieldError::with_limit("title", ErrorCode::TooLong, 120).into();
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["error"]["code"], "too_long");
        assert_eq!(json["error"]["field"], "title");
        assert_eq!(json["error"]["message"], "At most 120 characters.");
        assert_eq!(json["error"]["limit"], 120);
        let without: ErrorBody = FieldError::new("title", ErrorCode::Required).into();
        let json = serde_json::to_value(&without).unwrap();
        assert!(json["error"].get("limit").is_none());
    }

    #[test]
    fn all_lists_every_code() {
        // Adding a variant fails to compile here until it is placed in the list.
        let position = |code: ErrorCode| ErrorCode::ALL.iter().position(|c| *c == code);
        for code in ErrorCode::ALL {
            match code {
                ErrorCode::MalformedJson
                | ErrorCode::UnsupportedMediaType
                | ErrorCode::PayloadTooLarge
                | ErrorCode::InvalidType
                | ErrorCode::InvalidQuery
                | ErrorCode::Required
                | ErrorCode::TooShort
                | ErrorCode::TooLong
                | ErrorCode::InvalidCharacters
                | ErrorCode::InvalidUsername
                | ErrorCode::InvalidPhone
                | ErrorCode::WeakPassword
                | ErrorCode::InvalidDocNumber
                | ErrorCode::InvalidDate
                | ErrorCode::DateOrder
                | ErrorCode::InvalidValue
                | ErrorCode::InvalidIdNumber
                | ErrorCode::ConsentRequired
                | ErrorCode::Unauthenticated
                | ErrorCode::InvalidCredentials
                | ErrorCode::Forbidden
                | ErrorCode::CrossSiteRequest
                | ErrorCode::RateLimited
                | ErrorCode::NotFound
                | ErrorCode::MethodNotAllowed
                | ErrorCode::Conflict
                | ErrorCode::UsernameTaken
                | ErrorCode::IllegalTransition
                | ErrorCode::VolunteerNotApproved
                | ErrorCode::SkillRequired
                | ErrorCode::TrainingRequired
                | ErrorCode::ShiftFull
                | ErrorCode::ShiftClosed
                | ErrorCode::AlreadySignedUp
                | ErrorCode::ShiftOverlap
                | ErrorCode::WeeklyHoursExceeded
                | ErrorCode::RestTooShort
                | ErrorCode::CheckInWindow
                | ErrorCode::PublicTextPersonalData
                | ErrorCode::ZoneUnchanged
                | ErrorCode::StoredValueUnreadable
                | ErrorCode::IdempotencyKeyReused
                | ErrorCode::NotGranted
                | ErrorCode::CardNumberNotStored
                | ErrorCode::Internal => assert!(position(code).is_some()),
            }
        }
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len(), "a code is listed twice");
    }

    /// The app translates every code: each has a sentence under `errors` in both locales,
    /// so no refusal falls back to a message written for another one.
    #[test]
    fn the_app_has_a_message_for_every_code_in_both_languages() {
        for (locale, json) in [
            ("zh", include_str!("../../app/locales/zh.json")),
            ("en", include_str!("../../app/locales/en.json")),
        ] {
            let messages: serde_json::Value = serde_json::from_str(json).unwrap();
            for code in ErrorCode::ALL {
                let text = messages["errors"][code.as_str()]
                    .as_str()
                    .unwrap_or_default();
                assert!(
                    !text.is_empty(),
                    "{locale}: no errors.{} message",
                    code.as_str()
                );
            }
        }
    }

    #[test]
    fn validation_codes_are_unprocessable() {
        assert_eq!(ErrorCode::Required.http_status(), 422);
        assert_eq!(ErrorCode::MalformedJson.http_status(), 400);
        assert_eq!(ErrorCode::RateLimited.http_status(), 429);
    }
}
