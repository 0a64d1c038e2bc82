use crate::auth::RequireAdmin;
use crate::db::{self, users::InsertUserError};
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shouwang_api::auth::Role;
use shouwang_api::privacy::mask_phone;
use shouwang_api::users::{NewUserRequest, UserListQuery, UserSummary};
use shouwang_api::{ErrorBody, ErrorCode, Page, PageQuery};

impl From<InsertUserError> for AppError {
    fn from(e: InsertUserError) -> Self {
        match e {
            InsertUserError::UsernameTaken => AppError::with_field(
                ErrorCode::UsernameTaken,
                "username",
                ErrorCode::UsernameTaken.default_message(),
            ),
            InsertUserError::Database(e) => AppError::Database(e),
        }
    }
}

/// Residents and volunteers sign in with their phone number: in an account list it is
/// masked like every other phone. Staff and admins chose their names.
fn masked(mut user: UserSummary) -> UserSummary {
    if matches!(user.role, Role::Resident | Role::Volunteer) {
        user.username = mask_phone(&user.username);
    }
    user
}

/// All accounts, optionally of one role; residents' and volunteers' phones masked.
#[utoipa::path(get, path = "/api/users", tag = "users", params(UserListQuery),
    responses((status = 200, body = Page<UserSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    Query(query): Query<UserListQuery>,
) -> AppResult<Json<Page<UserSummary>>> {
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (items, total) =
        db::users::list(&state.db, query.role, paging.per_page(), paging.offset()).await?;
    let items = items.into_iter().map(masked).collect();
    Ok(Json(Page::new(items, paging, total)))
}

/// Create a staff or admin account.
#[utoipa::path(post, path = "/api/users", tag = "users", request_body = NewUserRequest,
    responses(
        (status = 201, body = UserSummary),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "Username taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn create_user(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Json(request): Json<NewUserRequest>,
) -> AppResult<(StatusCode, Json<UserSummary>)> {
    let account = request.validate()?;
    let hash = state
        .hasher
        .hash(account.password.expose().to_owned())
        .await?;
    let id = db::users::insert(
        &state.db,
        &account,
        &hash,
        Some(admin.id()),
        state.clock.now(),
    )
    .await?;
    let created = db::users::find_summary(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Disable an account: it can no longer sign in, and its sessions end now.
#[utoipa::path(post, path = "/api/users/{id}/disable", tag = "users",
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 200, body = UserSummary),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "An admin cannot disable their own account", body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn disable_user(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Path(id): Path<i64>,
) -> AppResult<Json<UserSummary>> {
    if id == admin.id() {
        return Err(AppError::Refused {
            code: ErrorCode::Conflict,
            field: None,
            message: Some("You cannot disable your own account.".into()),
        });
    }
    set_disabled(&state, id, true, admin.id()).await
}

/// Re-enable a disabled account.
#[utoipa::path(post, path = "/api/users/{id}/enable", tag = "users",
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 200, body = UserSummary),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("session" = [])))]
pub async fn enable_user(
    State(state): State<AppState>,
    RequireAdmin(admin): RequireAdmin,
    Path(id): Path<i64>,
) -> AppResult<Json<UserSummary>> {
    set_disabled(&state, id, false, admin.id()).await
}

async fn set_disabled(
    state: &AppState,
    id: i64,
    disabled: bool,
    by: i64,
) -> AppResult<Json<UserSummary>> {
    if !db::users::set_disabled(&state.db, id, disabled, by, state.clock.now()).await? {
        return Err(AppError::not_found());
    }
    let user = db::users::find_summary(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(masked(user)))
}
