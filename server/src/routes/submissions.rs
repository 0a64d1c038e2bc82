//! Updates submitted by people, and their moderation by staff.

use crate::auth::rate_limit::client_address;
use crate::auth::{CurrentUser, MaybeUser, RequireAdmin, RequireStaff};
use crate::db::{self, audit};
use crate::domain::submissions as rules;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops;
use crate::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::json;
use shouwang_api::submissions::{
    AnswerInput, BatchInput, BatchResult, BlockInput, BoardUpdate, MergeInput, ModerationEntry,
    MySubmission, QueueItem, QueueQuery, RejectInput, RumourInput, SubmissionInput,
    SubmissionSettings, SubmissionStatus, UpdateListQuery, VerifyInput,
};
use shouwang_api::{ErrorBody, ErrorCode, Page, PageQuery};
use std::net::SocketAddr;

const ANONYMOUS_SETTING: &str = "submissions.anonymous_allowed";

async fn anonymous_allowed(state: &AppState) -> AppResult<bool> {
    Ok(db::meta::get(&state.db, ANONYMOUS_SETTING)
        .await?
        .as_deref()
        == Some("true"))
}

/// Send an update (a supply drop, a water cut, a question, a rumour to check). Signed-in
/// accounts always may; visitors only when an admin allows it, and rate limited.
#[utoipa::path(post, path = "/api/submissions", tag = "submissions", request_body = SubmissionInput,
    responses(
        (status = 201, body = MySubmission),
        (status = 401, description = "Not signed in and anonymous submissions are off", body = ErrorBody),
        (status = 403, description = "Blocked by staff", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
pub async fn create_submission(
    State(state): State<AppState>,
    viewer: MaybeUser,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(input): Json<SubmissionInput>,
) -> AppResult<(StatusCode, Json<MySubmission>)> {
    let now = state.clock.now();
    let submitter = viewer.0.as_ref().map(CurrentUser::id);
    // Visitors, and accounts that signed themselves up less than a day ago (anyone can
    // make one), share one allowance per address.
    let limited = match submitter {
        None => {
            if !anonymous_allowed(&state).await? {
                return Err(AppError::unauthenticated());
            }
            true
        }
        Some(user) => {
            let day_ago = now - chrono::Duration::days(1);
            db::users::signed_up_self_since(&state.db, user, day_ago).await?
        }
    };
    if limited {
        let address = client_address(peer, &headers, state.settings.trust_proxy);
        state.limiters.anonymous_submissions.check(&address).await?;
    }
    let submission = input.validate()?;
    let mut tx = state.db.begin().await?;
    if let Some(user) = submitter
        && db::submissions::is_blocked(&mut tx, user).await?
    {
        return Err(AppError::Refused {
            code: ErrorCode::Forbidden,
            field: None,
            message: Some("Submissions from this account are blocked.".into()),
        });
    }
    if let Some(building) = submission.building_id
        && !db::submissions::building_exists(&mut tx, building).await?
    {
        return Err(AppError::with_field(
            ErrorCode::InvalidValue,
            "building_id",
            "No such building.",
        ));
    }
    let id = db::submissions::insert(&mut tx, &submission, submitter, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(submitter, "submission.create").target("submission", id),
        now,
    )
    .await?;
    tx.commit().await?;
    let item = load(&state, id).await?;
    Ok((StatusCode::CREATED, Json(mine(item))))
}

fn mine(item: QueueItem) -> MySubmission {
    MySubmission {
        id: item.id,
        category: item.category,
        text: item.text,
        place: item.place,
        status: item.status,
        reject_reason: item.reject_reason,
        debunk_notice_id: item.debunk_notice_id,
        created_at: item.created_at,
        decided_at: item.decided_at,
        has_photo: item.has_photo,
        answer: item.answer,
    }
}

/// The signed-in account's own submissions and where each stands, newest first.
#[utoipa::path(get, path = "/api/submissions/mine", tag = "submissions", params(PageQuery),
    responses((status = 200, body = Page<MySubmission>), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
pub async fn my_submissions(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<MySubmission>>> {
    let (items, total) =
        db::submissions::list_mine(&state.db, user.id(), paging.per_page(), paging.offset())
            .await?;
    Ok(Json(Page::new(items, paging, total)))
}

/// The moderation queue (staff): pending by default, oldest first, with each
/// submitter's history; submissions merged into another are counted on it.
#[utoipa::path(get, path = "/api/submissions", tag = "submissions", params(QueueQuery),
    responses((status = 200, body = Page<QueueItem>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn moderation_queue(
    State(state): State<AppState>,
    _staff: RequireStaff,
    Query(query): Query<QueueQuery>,
) -> AppResult<Json<Page<QueueItem>>> {
    let paging = query.paging();
    let (items, total) = db::submissions::queue(
        &state.db,
        query.status.unwrap_or(SubmissionStatus::Pending),
        query.category,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    Ok(Json(Page::new(items, paging, total)))
}

/// One submission: to staff, or to the person who sent it (as `MySubmission` fields).
#[utoipa::path(get, path = "/api/submissions/{id}", tag = "submissions",
    params(("id" = i64, Path, description = "Submission id")),
    responses((status = 200, body = QueueItem), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn get_submission(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<QueueItem>> {
    let mut item = load(&state, id).await?;
    let staff = user.role().is_staff();
    if !rules::visible_to(item.submitter.user_id, user.id(), staff) {
        return Err(AppError::not_found());
    }
    if !staff {
        // A submitter sees their submission, not the moderators' view of them.
        item.submitter.display_name = None;
        item.submitter.username = None;
        item.submitter.blocked = false;
    }
    Ok(Json(item))
}

/// Verify and publish, with its source; an edited text is published, the original kept.
/// Submissions merged into this one get the same verdict.
#[utoipa::path(post, path = "/api/submissions/{id}/verify", tag = "submissions", request_body = VerifyInput,
    params(("id" = i64, Path, description = "Submission id")),
    responses(
        (status = 200, body = QueueItem), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn verify_submission(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<VerifyInput>,
) -> AppResult<Json<QueueItem>> {
    let verify = input.validate()?;
    let item =
        ops::submissions::verify(&state.db, staff.id(), id, &verify, state.clock.now()).await?;
    Ok(Json(item))
}

/// Reject, with a reason the submitter sees.
#[utoipa::path(post, path = "/api/submissions/{id}/reject", tag = "submissions", request_body = RejectInput,
    params(("id" = i64, Path, description = "Submission id")),
    responses(
        (status = 200, body = QueueItem), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn reject_submission(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<RejectInput>,
) -> AppResult<Json<QueueItem>> {
    let reason = input.validate()?;
    let item =
        ops::submissions::reject(&state.db, staff.id(), id, &reason, state.clock.now()).await?;
    Ok(Json(item))
}

/// Mark as rumour and publish a debunk (辟谣) notice linked to it; everyone who asked
/// about the claim is told.
#[utoipa::path(post, path = "/api/submissions/{id}/rumour", tag = "submissions", request_body = RumourInput,
    params(("id" = i64, Path, description = "Submission id")),
    responses(
        (status = 200, body = QueueItem), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn mark_rumour(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<RumourInput>,
) -> AppResult<Json<QueueItem>> {
    let now = state.clock.now();
    let rumour = input.validate()?;
    let item =
        ops::submissions::mark_rumour(&state, staff.id(), id, &rumour, state.clock.today(), now)
            .await?;
    Ok(Json(item))
}

/// Answer a question (咨询): privately (the asker reads the answer on 我的提交 and in a
/// notification) or published as a Q&A on the board. Only questions are answered.
#[utoipa::path(post, path = "/api/submissions/{id}/answer", tag = "submissions", request_body = AnswerInput,
    params(("id" = i64, Path, description = "Submission id")),
    responses(
        (status = 200, body = QueueItem), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not a pending question", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn answer_submission(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<AnswerInput>,
) -> AppResult<Json<QueueItem>> {
    let now = state.clock.now();
    let answer = input.validate()?;
    let item =
        ops::submissions::answer(&state, staff.id(), id, &answer, input.publish, now).await?;
    Ok(Json(item))
}

/// Merge a duplicate into the submission about the same claim; one verdict then answers
/// both.
#[utoipa::path(post, path = "/api/submissions/{id}/merge", tag = "submissions", request_body = MergeInput,
    params(("id" = i64, Path, description = "Submission id")),
    responses(
        (status = 200, body = QueueItem), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn merge_submission(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<MergeInput>,
) -> AppResult<Json<QueueItem>> {
    let item =
        ops::submissions::merge(&state.db, staff.id(), id, input.into, state.clock.now()).await?;
    Ok(Json(item))
}

/// One verdict (verify or reject) for many pending submissions. Those no longer open are
/// skipped and listed, the others decided in one transaction.
#[utoipa::path(post, path = "/api/submissions/batch", tag = "submissions", request_body = BatchInput,
    responses(
        (status = 200, body = BatchResult), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn batch_moderate(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Json(input): Json<BatchInput>,
) -> AppResult<Json<BatchResult>> {
    let now = state.clock.now();
    let batch = input.validate()?;
    let result = ops::submissions::batch(&state.db, staff.id(), &batch, now).await?;
    Ok(Json(result))
}

/// Block an account from submitting (repeated abuse). Staff accounts cannot be blocked.
#[utoipa::path(post, path = "/api/submitters/{id}/block", tag = "submissions", request_body = BlockInput,
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 204, description = "Blocked"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn block_submitter(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(user_id): Path<i64>,
    Json(input): Json<BlockInput>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    let reason = input.validate()?;
    ops::submissions::block(&state.db, staff.id(), user_id, &reason, now).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lift a block.
#[utoipa::path(post, path = "/api/submitters/{id}/unblock", tag = "submissions",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 204, description = "Unblocked"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn unblock_submitter(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(user_id): Path<i64>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    ops::submissions::unblock(&state.db, staff.id(), user_id, now).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?submission=` narrows the moderation log to one submission.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct LogQuery {
    pub submission: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Every moderation decision, newest first (staff).
#[utoipa::path(get, path = "/api/moderation-log", tag = "submissions", params(LogQuery),
    responses((status = 200, body = Page<ModerationEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn moderation_log(
    State(state): State<AppState>,
    _staff: RequireStaff,
    Query(query): Query<LogQuery>,
) -> AppResult<Json<Page<ModerationEntry>>> {
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (items, total) = db::submissions::moderation_log(
        &state.db,
        query.submission,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    Ok(Json(Page::new(items, paging, total)))
}

/// Whether visitors may submit without signing in.
#[utoipa::path(get, path = "/api/submissions/settings", tag = "submissions",
    responses((status = 200, body = SubmissionSettings)))]
pub async fn get_settings(State(state): State<AppState>) -> AppResult<Json<SubmissionSettings>> {
    Ok(Json(SubmissionSettings {
        anonymous_allowed: anonymous_allowed(&state).await?,
    }))
}

/// An admin turns anonymous submissions on or off.
#[utoipa::path(put, path = "/api/submissions/settings", tag = "submissions", request_body = SubmissionSettings,
    responses((status = 200, body = SubmissionSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn put_settings(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Json(input): Json<SubmissionSettings>,
) -> AppResult<Json<SubmissionSettings>> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    db::meta::set(
        &mut tx,
        ANONYMOUS_SETTING,
        if input.anonymous_allowed {
            "true"
        } else {
            "false"
        },
    )
    .await?;
    db::submissions::log(
        &mut tx,
        None,
        admin.id(),
        "settings",
        json!({ "anonymous_allowed": input.anonymous_allowed }),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(admin.id()), "submissions.settings")
            .detail(json!({ "anonymous_allowed": input.anonymous_allowed })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(input))
}

/// Verified updates on the public board, newest first, with their provenance.
#[utoipa::path(get, path = "/api/board/updates", tag = "submissions", params(UpdateListQuery),
    responses((status = 200, body = Page<BoardUpdate>), (status = 400, body = ErrorBody)))]
pub async fn board_updates(
    State(state): State<AppState>,
    Query(query): Query<UpdateListQuery>,
) -> AppResult<Json<Page<BoardUpdate>>> {
    let paging = query.paging();
    let (items, total) = db::submissions::published(
        &state.db,
        query.category,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    Ok(Json(Page::new(items, paging, total)))
}

/// One verified update (404 for anything not public).
#[utoipa::path(get, path = "/api/board/updates/{id}", tag = "submissions",
    params(("id" = i64, Path, description = "Submission id")),
    responses((status = 200, body = BoardUpdate), (status = 404, body = ErrorBody)))]
pub async fn board_update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Json<BoardUpdate>> {
    db::submissions::find_published(&state.db, id)
        .await?
        .map(Json)
        .ok_or_else(AppError::not_found)
}

async fn load(state: &AppState, id: i64) -> AppResult<QueueItem> {
    db::submissions::find(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)
}
