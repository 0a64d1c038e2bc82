//! Medicine runs (代配药): a resident asks, the volunteer takes the cards and brings the
//! medicine, both sides confirm each hand-over, the resident checks what arrived.

use crate::auth::{CurrentUser, RequireStaff};
use crate::domain::photos::{self as photo_rules, PhotoError};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shouwang_api::medicine::{
    ArrivalInput, CustodyInput, CustodyOut, MedicineRequestInput, MedicineRun,
};
use shouwang_api::photos::{PHOTO_MAX_BYTES, PhotoInfo};
use shouwang_api::{ErrorBody, Page, PageQuery};

/// Ask for one's regular medicine: the lines, the usual hospital, and what will be handed
/// to the volunteer (医保卡, 病历本, 处方单). Never a card's number: a text holding a long
/// run of digits is refused (`card_number_not_stored`).
#[utoipa::path(post, path = "/api/medicine/requests", tag = "medicine", request_body = MedicineRequestInput,
    responses(
        (status = 201, body = MedicineRun), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "This account has no household", body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "Bad input, or a card number in the text", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn ask(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<MedicineRequestInput>,
) -> AppResult<(StatusCode, Json<MedicineRun>)> {
    let request = input.validate()?;
    let id = ops::medicine::ask(&state, &user, &request, state.clock.now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(ops::medicine::read(&state, &user, id).await?),
    ))
}

/// A medicine run: to its household, its volunteer and the staff of its grid.
#[utoipa::path(get, path = "/api/medicine/requests/{id}", tag = "medicine",
    params(("id" = i64, Path, description = "Supply request id")),
    responses((status = 200, body = MedicineRun), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<MedicineRun>> {
    Ok(Json(ops::medicine::read(&state, &user, id).await?))
}

/// One side confirms that an item went to the volunteer (`take`) or came back (`return`):
/// the volunteer for their side (with the resident's pickup code, for both), the household
/// or staff at the door for the resident's.
#[utoipa::path(post, path = "/api/medicine/requests/{id}/custody", tag = "medicine", request_body = CustodyInput,
    params(("id" = i64, Path, description = "Supply request id")),
    responses(
        (status = 200, body = MedicineRun), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Already confirmed, not held yet, or not possible in the request's state", body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "No such item, or a wrong pickup code", body = ErrorBody),
        (status = 429, description = "Too many wrong pickup codes (`Retry-After`)", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn confirm_custody(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<CustodyInput>,
) -> AppResult<Json<MedicineRun>> {
    let now = state.clock.now();
    Ok(Json(
        ops::medicine::confirm_custody(&state, &user, id, &input, now).await?,
    ))
}

/// The assigned volunteer's photo of the medicine bag at the pharmacy (the body is the
/// image: JPEG, PNG or WebP, at most 5 MB), stored re-encoded without its metadata.
#[utoipa::path(put, path = "/api/medicine/requests/{id}/bag-photo", tag = "medicine",
    params(("id" = i64, Path, description = "Supply request id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses(
        (status = 200, body = PhotoInfo), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not the run's volunteer", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The run is not under way", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn put_bag_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Body,
) -> AppResult<Json<PhotoInfo>> {
    let bytes = axum::body::to_bytes(body, PHOTO_MAX_BYTES)
        .await
        .map_err(|_| AppError::from(PhotoError::TooLarge))?;
    // Decoding is CPU work: off the async threads, and outside the write transaction.
    let photo = tokio::task::spawn_blocking(move || photo_rules::reencode(&bytes))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(AppError::from)?;
    ops::medicine::store_bag_photo(&state, &user, id, &photo, state.clock.now()).await?;
    Ok(Json(PhotoInfo {
        width: photo.width,
        height: photo.height,
        bytes: u64::try_from(photo.jpeg.len()).unwrap_or(u64::MAX),
    }))
}

/// The bag photo, to the run's household, volunteer and staff.
#[utoipa::path(get, path = "/api/medicine/requests/{id}/bag-photo", tag = "medicine",
    params(("id" = i64, Path, description = "Supply request id")),
    responses((status = 200, content_type = "image/jpeg", description = "The re-encoded photo"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_bag_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let jpeg = ops::medicine::bag_photo(&state, &user, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        jpeg,
    )
        .into_response())
}

/// The resident checks what arrived, every line (齐全, 不全, 没有), which confirms the
/// delivery; a line short or missing needs a note and tells the grid's staff.
#[utoipa::path(post, path = "/api/medicine/requests/{id}/arrival", tag = "medicine", request_body = ArrivalInput,
    params(("id" = i64, Path, description = "Supply request id")),
    responses(
        (status = 200, body = MedicineRun), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not the household", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not delivered yet, or already checked", body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "Not every line checked once, or a shortfall without a note", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn check_arrival(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<ArrivalInput>,
) -> AppResult<Json<MedicineRun>> {
    let now = state.clock.now();
    Ok(Json(
        ops::medicine::check_arrival(&state, &user, id, &input, now).await?,
    ))
}

/// The cards and record books out of residents' hands in the caller's grids, longest out
/// (overdue) first.
#[utoipa::path(get, path = "/api/medicine/custody", tag = "medicine", params(PageQuery),
    responses((status = 200, body = Page<CustodyOut>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn custody_out(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<CustodyOut>>> {
    Ok(Json(ops::medicine::out_list(&state, &staff, paging).await?))
}
