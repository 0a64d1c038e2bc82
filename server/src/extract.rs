//! Request extractors whose rejections speak our error shape, with the offending field
//! named where serde can tell it.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shouwang_api::ErrorCode;

/// A JSON request body (or response).
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(AppError::code(ErrorCode::UnsupportedMediaType));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::code(ErrorCode::PayloadTooLarge)
            } else {
                AppError::code(ErrorCode::MalformedJson)
            }
        })?;
        parse_json(&bytes).map(Json)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim();
            mime.eq_ignore_ascii_case("application/json")
                || mime.to_ascii_lowercase().ends_with("+json")
        })
}

/// Deserialises JSON, telling apart a body that is not JSON (400) from JSON whose
/// fields are missing or of the wrong type (422, with the field's path).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => data_error(&path, &inner.to_string()),
            _ => AppError::code(ErrorCode::MalformedJson),
        }
    })?;
    deserializer
        .end()
        .map_err(|_| AppError::code(ErrorCode::MalformedJson))?;
    Ok(value)
}

fn data_error(path: &str, message: &str) -> AppError {
    // serde says "missing field `title` at line 1 column 2"; the path is the parent.
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        let field = if path == "." {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
        return AppError::with_field(ErrorCode::Required, field, "This field is required.");
    }
    let code = if message.starts_with("unknown variant") {
        ErrorCode::InvalidValue
    } else {
        ErrorCode::InvalidType
    };
    let field = if path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    let message = message.split(" at line ").next().unwrap_or(message);
    AppError::with_field(code, field, message)
}

/// A query string.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Query)
            .map_err(|e| {
                let field = e.path().to_string();
                let message = e.into_inner().to_string();
                AppError::with_field(ErrorCode::InvalidQuery, field, message)
            })
    }
}

/// Path parameters. One that does not parse names nothing that exists: 404.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|_| AppError::not_found())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shouwang_api::notices::NoticeInput;

    fn refused(e: AppError) -> (ErrorCode, Option<String>) {
        match e {
            AppError::Refused { code, field, .. } => (code, field),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn missing_fields_are_named() {
        let e = parse_json::<NoticeInput>(br#"{"body":"x"}"#).unwrap_err();
        assert_eq!(refused(e), (ErrorCode::Required, Some("title".into())));
    }

    #[test]
    fn wrong_types_and_unknown_choices_are_named() {
        let e =
            parse_json::<NoticeInput>(br#"{"title":"t","body":"b","pinned":"yes"}"#).unwrap_err();
        assert_eq!(refused(e), (ErrorCode::InvalidType, Some("pinned".into())));
        let e = parse_json::<NoticeInput>(br#"{"title":"t","body":"b","category":"gossip"}"#)
            .unwrap_err();
        assert_eq!(
            refused(e),
            (ErrorCode::InvalidValue, Some("category".into()))
        );
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        for body in [
            &b"{"[..],
            b"not json",
            b"{\"title\":\"t\",\"body\":\"b\"} trailing",
        ] {
            let e = parse_json::<NoticeInput>(body).unwrap_err();
            assert_eq!(refused(e).0, ErrorCode::MalformedJson);
        }
    }
}
