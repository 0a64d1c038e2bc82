//! An optional photo on a submitted update: uploaded by its submitter while it waits for
//! moderation, seen by staff and the submitter, and by everyone once it is published.

use crate::auth::{CurrentUser, MaybeUser};
use crate::db::{self, audit};
use crate::domain::photos::{self as rules, PhotoError};
use crate::domain::submissions::visible_to;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use shouwang_api::photos::{PHOTO_MAX_BYTES, PhotoInfo};
use shouwang_api::{ErrorBody, ErrorCode};

/// Attach a photo to one's own pending submission (the body is the image itself: JPEG,
/// PNG or WebP, at most 5 MB). It is stored re-encoded, without its metadata.
#[utoipa::path(put, path = "/api/submissions/{id}/photo", tag = "submissions",
    params(("id" = i64, Path, description = "Submission id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses(
        (status = 200, body = PhotoInfo), (status = 401, body = ErrorBody),
        (status = 403, description = "Someone else's submission (staff)", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Already decided", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn put_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Body,
) -> AppResult<Json<PhotoInfo>> {
    let now = state.clock.now();
    let bytes = axum::body::to_bytes(body, PHOTO_MAX_BYTES)
        .await
        .map_err(|_| AppError::from(PhotoError::TooLarge))?;
    let (submitter, status) = db::photos::submission(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if submitter != Some(user.id()) {
        return Err(if user.role().is_staff() {
            AppError::forbidden()
        } else {
            AppError::not_found()
        });
    }
    if status != "pending" {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    // Decoding is CPU work: off the async threads, and outside the write transaction.
    let photo = tokio::task::spawn_blocking(move || rules::reencode(&bytes))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(AppError::from)?;
    let mut tx = state.db.begin().await?;
    if !db::photos::store(&mut tx, id, &photo.jpeg, photo.width, photo.height, now).await? {
        return Err(AppError::code(ErrorCode::IllegalTransition));
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(user.id()), "submission.photo")
            .target("submission", id)
            .detail(
                json!({ "bytes": photo.jpeg.len(), "width": photo.width, "height": photo.height }),
            ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(PhotoInfo {
        width: photo.width,
        height: photo.height,
        bytes: u64::try_from(photo.jpeg.len()).unwrap_or(u64::MAX),
    }))
}

/// A submission's photo: public once the update is published; before that, to staff and
/// the submitter only (404 to anyone else).
#[utoipa::path(get, path = "/api/submissions/{id}/photo", tag = "submissions",
    params(("id" = i64, Path, description = "Submission id")),
    responses((status = 200, content_type = "image/jpeg", description = "The re-encoded photo"), (status = 404, body = ErrorBody)))]
pub async fn get_photo(
    State(state): State<AppState>,
    viewer: MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (jpeg, submitter, status) = db::photos::find(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let public = status == "published";
    let allowed = public
        || viewer
            .0
            .as_ref()
            .is_some_and(|u| visible_to(submitter, u.id(), u.role().is_staff()));
    if !allowed {
        return Err(AppError::not_found());
    }
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"))],
        jpeg,
    )
        .into_response())
}
