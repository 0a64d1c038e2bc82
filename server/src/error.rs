//! The one error type of the HTTP layer, and its mapping to
//! `{"error":{"code","message","field"}}` with a fitting status.

use crate::db;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shouwang_api::{ErrorBody, ErrorCode, ErrorDetail, FieldError};
use std::time::Duration;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A field's value was refused by the shared validation.
    #[error("{0}")]
    Field(#[from] FieldError),
    /// Any other refusal the caller can act on.
    #[error("{code}")]
    Refused {
        code: ErrorCode,
        field: Option<String>,
        message: Option<String>,
    },
    #[error("rate limited for {0:?}")]
    RateLimited(Duration),
    /// Our fault. Logged; the caller sees only that something went wrong.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// A refused photo, with the field the forms show it next to.
impl From<crate::domain::photos::PhotoError> for AppError {
    fn from(error: crate::domain::photos::PhotoError) -> Self {
        use crate::domain::photos::PhotoError;
        match error {
            PhotoError::TooLarge => AppError::with_field(
                ErrorCode::PayloadTooLarge,
                "photo",
                "A photo may be at most 5 MB.",
            ),
            PhotoError::NotAnImage => AppError::with_field(
                ErrorCode::InvalidValue,
                "photo",
                "Send a JPEG, PNG or WebP photo.",
            ),
            PhotoError::Malformed => AppError::with_field(
                ErrorCode::InvalidValue,
                "photo",
                "The photo could not be read.",
            ),
        }
    }
}

impl From<crate::auth::rate_limit::Limited> for AppError {
    fn from(limited: crate::auth::rate_limit::Limited) -> Self {
        use crate::auth::rate_limit::Limited;
        match limited {
            Limited::Wait(wait) => AppError::RateLimited(wait),
            Limited::Store(e) => AppError::Database(e),
        }
    }
}

impl AppError {
    pub fn code(code: ErrorCode) -> Self {
        AppError::Refused {
            code,
            field: None,
            message: None,
        }
    }

    pub fn with_field(
        code: ErrorCode,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        AppError::Refused {
            code,
            field: Some(field.into()),
            message: Some(message.into()),
        }
    }

    pub fn not_found() -> Self {
        Self::code(ErrorCode::NotFound)
    }

    pub fn forbidden() -> Self {
        Self::code(ErrorCode::Forbidden)
    }

    pub fn unauthenticated() -> Self {
        Self::code(ErrorCode::Unauthenticated)
    }

    fn body(&self) -> (ErrorCode, ErrorBody) {
        match self {
            AppError::Field(e) => (e.code, ErrorBody::from(e.clone())),
            AppError::Refused {
                code,
                field,
                message,
            } => (
                *code,
                ErrorBody {
                    error: ErrorDetail {
                        code: *code,
                        message: message
                            .clone()
                            .unwrap_or_else(|| code.default_message().to_owned()),
                        field: field.clone(),
                        limit: None,
                    },
                },
            ),
            AppError::RateLimited(_) => (ErrorCode::RateLimited, plain(ErrorCode::RateLimited)),
            AppError::Database(e) if is_unreadable(e) => (
                ErrorCode::StoredValueUnreadable,
                plain(ErrorCode::StoredValueUnreadable),
            ),
            AppError::Database(_) | AppError::Internal(_) => {
                (ErrorCode::Internal, plain(ErrorCode::Internal))
            }
        }
    }
}

/// A stored value that does not decode: the record is reported, not guessed at.
fn is_unreadable(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_))
}

/// Logs a database error. A value that does not decode is logged by table, row and
/// column only: the value itself (sqlx puts it in its message) may be personal data.
fn log_database_error(e: &sqlx::Error) {
    match e {
        sqlx::Error::Decode(source) => match source.downcast_ref::<db::Unreadable>() {
            Some(u) => tracing::error!(
                table = u.table,
                id = u.id,
                column = u.column.as_deref(),
                "unreadable stored value"
            ),
            None => tracing::error!("unreadable stored value"),
        },
        sqlx::Error::ColumnDecode { index, .. } => {
            tracing::error!(column = %index, "unreadable stored value");
        }
        _ => tracing::error!(error = %e, "database error"),
    }
}

fn plain(code: ErrorCode) -> ErrorBody {
    ErrorBody {
        error: ErrorDetail {
            code,
            message: code.default_message().to_owned(),
            field: None,
            limit: None,
        },
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Database(e) = &self {
            log_database_error(e);
        }
        if let AppError::Internal(e) = &self {
            tracing::error!(error = %format!("{e:#}"), "internal error");
        }
        let (code, body) = self.body();
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(body)).into_response();
        if let AppError::RateLimited(wait) = self {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// Builds an error response outside a handler (middleware, fallbacks).
pub fn error_response(code: ErrorCode) -> Response {
    AppError::code(code).into_response()
}
