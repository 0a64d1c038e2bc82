//! Every call the app makes to the server, typed with the shared API crate.

pub mod audit;
pub mod auth;
pub mod board;
pub mod care;
pub mod community;
pub mod deployment;
pub mod health;
pub mod medicine;
pub mod notices;
pub mod notifications;
pub mod pool;
pub mod receipts;
pub mod residents;
pub mod shifts;
pub mod street;
pub mod street_access;
pub mod submissions;
pub mod supplies;
pub mod testing;
pub mod users;
pub mod volunteers;
pub mod workers;
pub mod zones;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shouwang_api::{ErrorBody, ErrorCode, FieldError};

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached (offline, timeout).
    Network,
    /// The server could not be reached, and the write waits in the phone's outbox
    /// ("待发送") to be sent when the connection returns.
    Queued,
    /// The server answered with an error.
    Api {
        status: u16,
        code: ErrorCode,
        field: Option<String>,
        /// The length limit crossed, from our own validation or the server's answer.
        limit: Option<usize>,
        retry_after: Option<u64>,
    },
}

impl ApiError {
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Api { field, .. } => field.as_deref(),
            ApiError::Network | ApiError::Queued => None,
        }
    }
}

/// A refusal by the shared validation, before anything was sent.
impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Api {
            status: e.code.http_status(),
            code: e.code,
            field: Some(e.field.to_owned()),
            limit: e.limit,
            retry_after: None,
        }
    }
}

async fn read<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = response.map_err(|_| ApiError::Network)?;
    if response.headers().has(crate::offline::OFFLINE) {
        return Err(ApiError::Network);
    }
    crate::offline::note_answer(response.headers().get(crate::offline::CACHED_AT).as_deref());
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiError::Api {
            status: response.status(),
            code: ErrorCode::Internal,
            field: None,
            limit: None,
            retry_after: None,
        });
    }
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.parse().ok());
    let (code, field, limit) = match response.json::<ErrorBody>().await {
        Ok(body) => (body.error.code, body.error.field, body.error.limit),
        Err(_) => (ErrorCode::Internal, None, None),
    };
    Err(ApiError::Api {
        status,
        code,
        field,
        limit,
        retry_after,
    })
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    request: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    let request = request.json(body).map_err(|_| ApiError::Network)?;
    read(request.send().await).await
}

pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    read(Request::get(&crate::base::at(url)).send().await).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiError> {
    send_json(Request::post(&crate::base::at(url)), body).await
}

pub async fn put<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiError> {
    send_json(Request::put(&crate::base::at(url)), body).await
}

/// A POST without a body (actions such as publish).
pub async fn post_action<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    read(Request::post(&crate::base::at(url)).send().await).await
}

/// A POST whose success has no body (204).
pub async fn post_no_content(url: &str) -> Result<(), ApiError> {
    let response = Request::post(&crate::base::at(url))
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(())
    } else {
        read::<()>(Ok(response)).await
    }
}

pub async fn delete<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    read(Request::delete(&crate::base::at(url)).send().await).await
}

/// A DELETE whose success has no body (204).
pub async fn delete_no_content(url: &str) -> Result<(), ApiError> {
    match Request::delete(&crate::base::at(url)).send().await {
        Ok(response) if response.ok() => Ok(()),
        other => read::<()>(other).await,
    }
}

/// A write the phone may have to keep for later (see `crate::offline`): sent at once with
/// a fresh `Idempotency-Key`; when the network fails, kept in the outbox with that key
/// and answered `ApiError::Queued`. Read the answer with [`answer`] or [`answer_empty`].
pub async fn send_or_queue<B: Serialize>(
    kind: crate::offline::WriteKind,
    method: &'static str,
    url: &str,
    body: Option<&B>,
) -> Result<Response, ApiError> {
    let body = body
        .map(serde_json::to_string)
        .transpose()
        .map_err(|_| ApiError::Network)?;
    let key = crate::offline::new_key();
    if crate::offline::is_online() {
        match send_keyed(method, url, body.as_deref(), &key).await {
            Err(ApiError::Network) => {}
            answered => return answered,
        }
    }
    crate::offline::outbox::push(kind, method, url, body, key);
    Err(ApiError::Queued)
}

/// Sends one write with its key; the answer unread.
pub async fn send_keyed(
    method: &str,
    url: &str,
    body: Option<&str>,
    key: &str,
) -> Result<Response, ApiError> {
    // The outbox keeps paths as the pages gave them; the community's address goes on here.
    let url = crate::base::at(url);
    let builder = match method {
        "PUT" => Request::put(&url),
        "DELETE" => Request::delete(&url),
        _ => Request::post(&url),
    }
    .header("Idempotency-Key", key);
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
    request.send().await.map_err(|_| ApiError::Network)
}

/// The JSON answer of a write sent with [`send_or_queue`].
pub async fn answer<T: DeserializeOwned>(sent: Result<Response, ApiError>) -> Result<T, ApiError> {
    read(Ok(sent?)).await
}

/// The answer of a write whose success has no body worth reading.
pub async fn answer_empty(sent: Result<Response, ApiError>) -> Result<(), ApiError> {
    let response = sent?;
    if response.ok() {
        Ok(())
    } else {
        read::<()>(Ok(response)).await
    }
}
