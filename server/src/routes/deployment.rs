//! `/api/deployment/…`: the level above the communities. Served at the site's root only.

use crate::auth::cookies::{self, is_https};
use crate::auth::operator::{
    RequireDeploymentAdmin, RequireOperator, RequireStreetStaff, deployment_of,
};
use crate::auth::rate_limit::client_address;
use crate::domain::street_report;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::ops::deployment::{self, DeploymentError};
use crate::ops::street_access;
use crate::ops::street_notices;
use crate::state::AppState;
use crate::web::download::attachment;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shouwang_api::ErrorBody;
use shouwang_api::ErrorCode;
use shouwang_api::auth::LoginRequest;
use shouwang_api::deployment::{
    CommunitySummary, NewCommunityRequest, NewOperatorRequest, NewStreetRequest, OperatorSummary,
    StreetSummary,
};
use shouwang_api::notices::{PreviewRequest, PreviewResponse};
use shouwang_api::street::StreetDashboard;
use shouwang_api::street_access::{GrantedListQuery, StreetFollowUpList, StreetPersonRecord};
use shouwang_api::street_notices::{StreetBoards, StreetNoticeRequest, StreetNoticeSummary};
use shouwang_api::{Page, PageQuery};
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(directory))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(create_street))
        .routes(routes!(create_community))
        .routes(routes!(create_operator))
        .routes(routes!(street_dashboard))
        .routes(routes!(street_report))
        .routes(routes!(publish_street_notice, sent_street_notices))
        .routes(routes!(withdraw_street_notice))
        .routes(routes!(preview_street_notice))
        .routes(routes!(street_boards))
        .routes(routes!(granted_follow_up_list))
        .routes(routes!(granted_person))
}

impl From<DeploymentError> for AppError {
    fn from(e: DeploymentError) -> Self {
        match e {
            DeploymentError::Field(field) => AppError::Field(field),
            DeploymentError::Taken(field) => AppError::with_field(
                if field.ends_with("username") {
                    ErrorCode::UsernameTaken
                } else {
                    ErrorCode::Conflict
                },
                field,
                "This is already in use.",
            ),
            DeploymentError::UnknownStreet => AppError::with_field(
                ErrorCode::InvalidValue,
                "street_id",
                "There is no such street.",
            ),
            DeploymentError::AlreadyWithdrawn => AppError::code(ErrorCode::IllegalTransition),
            DeploymentError::InvalidCredentials => AppError::code(ErrorCode::InvalidCredentials),
            DeploymentError::RateLimited(wait) => AppError::RateLimited(wait),
            DeploymentError::Tenancy(e) => AppError::Internal(e.into()),
            DeploymentError::Database(e) => AppError::Database(e),
            DeploymentError::Internal(e) => AppError::Internal(e),
        }
    }
}

/// The deployment, for handlers: present at the site's root.
pub struct Here(pub Arc<crate::tenancy::Deployment>);

impl FromRequestParts<AppState> for Here {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        deployment_of(parts).map(Here)
    }
}

/// The streets of this deployment and their communities, with each one's address.
#[utoipa::path(get, path = "/api/deployment/communities", tag = "deployment",
    responses((status = 200, body = Vec<StreetSummary>)))]
pub async fn directory(Here(deployment): Here) -> AppResult<Json<Vec<StreetSummary>>> {
    Ok(Json(deployment::directory(deployment.catalog()).await?))
}

/// Sign in as an operator (deployment admin or street staff).
#[utoipa::path(post, path = "/api/deployment/login", tag = "deployment", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the operator cookie is set", body = OperatorSummary),
        (status = 401, description = "Unknown name or wrong password (one message for both)", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    Here(deployment): Here,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> AppResult<Response> {
    let address = client_address(peer, &headers, state.settings.trust_proxy);
    let signed_in = deployment::sign_in(&deployment, address, request, state.clock.now()).await?;
    let cookie = cookies::set_operator(
        &signed_in.token,
        state.settings.session_ttl,
        is_https(&headers),
    );
    Ok(([(header::SET_COOKIE, cookie)], Json(signed_in.operator)).into_response())
}

/// Sign out an operator.
#[utoipa::path(post, path = "/api/deployment/logout", tag = "deployment",
    responses((status = 204, description = "Signed out")))]
pub async fn logout(Here(deployment): Here, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = cookies::operator_token(&headers) {
        deployment::sign_out(deployment.catalog(), &token).await?;
    }
    let cookie = cookies::clear_operator(is_https(&headers));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// The signed-in operator.
#[utoipa::path(get, path = "/api/deployment/me", tag = "deployment",
    responses((status = 200, body = OperatorSummary), (status = 401, body = ErrorBody)))]
pub async fn me(RequireOperator(operator): RequireOperator) -> Json<OperatorSummary> {
    Json(operator)
}

/// A deployment admin adds a street (街道/乡镇).
#[utoipa::path(post, path = "/api/deployment/streets", tag = "deployment",
    request_body = NewStreetRequest,
    responses(
        (status = 201, body = StreetSummary),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "A street of this name exists", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_street(
    Here(deployment): Here,
    RequireDeploymentAdmin(admin): RequireDeploymentAdmin,
    Json(request): Json<NewStreetRequest>,
) -> AppResult<(StatusCode, Json<StreetSummary>)> {
    let street = deployment::create_street(&deployment, &admin, &request).await?;
    Ok((StatusCode::CREATED, Json(street)))
}

/// A deployment admin adds a community (or village) to a street, with its first admin.
/// It is ready at once at `/c/<slug>/`.
#[utoipa::path(post, path = "/api/deployment/communities", tag = "deployment",
    request_body = NewCommunityRequest,
    responses(
        (status = 201, body = CommunitySummary),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "The address (slug) is taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_community(
    Here(deployment): Here,
    RequireDeploymentAdmin(admin): RequireDeploymentAdmin,
    Json(request): Json<NewCommunityRequest>,
) -> AppResult<(StatusCode, Json<CommunitySummary>)> {
    let community = deployment::create_community(&deployment, Some(&admin), &request).await?;
    Ok((StatusCode::CREATED, Json(community)))
}

/// A deployment admin adds an operator: another deployment admin, or street staff.
#[utoipa::path(post, path = "/api/deployment/operators", tag = "deployment",
    request_body = NewOperatorRequest,
    responses(
        (status = 201, body = OperatorSummary),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "The username is taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_operator(
    Here(deployment): Here,
    RequireDeploymentAdmin(admin): RequireDeploymentAdmin,
    Json(request): Json<NewOperatorRequest>,
) -> AppResult<(StatusCode, Json<OperatorSummary>)> {
    let operator = deployment::create_operator(&deployment, Some(&admin), &request).await?;
    Ok((StatusCode::CREATED, Json(operator)))
}

/// A street's figures, community by community, with totals: for its street staff and the
/// deployment admins. Aggregates only: no name, phone or room of anyone.
#[utoipa::path(get, path = "/api/deployment/streets/{id}/dashboard", tag = "deployment",
    params(("id" = i64, Path, description = "The street")),
    responses(
        (status = 200, body = StreetDashboard),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such street, or another street's", body = ErrorBody),
    ))]
pub async fn street_dashboard(
    Here(deployment): Here,
    RequireOperator(operator): RequireOperator,
    Path(id): Path<i64>,
) -> AppResult<Json<StreetDashboard>> {
    visible_dashboard(&deployment, &operator, id)
        .await
        .map(Json)
}

/// Street `id`'s figures if `operator` may see them; 404 otherwise (another street's is
/// not told apart from none).
async fn visible_dashboard(
    deployment: &Arc<crate::tenancy::Deployment>,
    operator: &OperatorSummary,
    id: i64,
) -> AppResult<StreetDashboard> {
    deployment::street_dashboard(deployment, operator, id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The report upward (报送): the dashboard as one Excel workbook (a sheet per figure, a
/// row per community, totals) or as one CSV table.
#[utoipa::path(get, path = "/api/deployment/streets/{id}/{file}", tag = "deployment",
    params(
        ("id" = i64, Path, description = "The street"),
        ("file" = String, Path, description = "`report.xlsx` or `report.csv`"),
    ),
    responses(
        (status = 200, description = "The report: an Excel workbook or a CSV table",
            content((String = "text/csv"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such street, another street's, or another file", body = ErrorBody),
    ))]
pub async fn street_report(
    Here(deployment): Here,
    RequireOperator(operator): RequireOperator,
    Path((id, file)): Path<(i64, String)>,
) -> AppResult<Response> {
    let dashboard = visible_dashboard(&deployment, &operator, id).await?;
    let local = dashboard.as_of_local();
    let download = match file.as_str() {
        "report.xlsx" => street_report::xlsx(&dashboard, local)?,
        "report.csv" => street_report::csv(&dashboard, local),
        _ => return Err(AppError::not_found()),
    };
    Ok(attachment(download))
}

/// Street staff publish a notice to some or all of their street's communities' boards
/// (街道发布): published at once on each, signed by the street. Deployment admins may not.
#[utoipa::path(post, path = "/api/deployment/notices", tag = "deployment",
    request_body = StreetNoticeRequest,
    responses(
        (status = 201, description = "Published on every chosen board", body = StreetNoticeSummary),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not street staff", body = ErrorBody),
        (status = 422, description = "A bad field, or a community not of this street (`communities`)", body = ErrorBody),
    ))]
pub async fn publish_street_notice(
    Here(deployment): Here,
    staff: RequireStreetStaff,
    Json(request): Json<StreetNoticeRequest>,
) -> AppResult<(StatusCode, Json<StreetNoticeSummary>)> {
    let sent = street_notices::publish(&deployment, &staff, &request).await?;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// What the street sent, newest first, with the boards each went to.
#[utoipa::path(get, path = "/api/deployment/notices", tag = "deployment", params(PageQuery),
    responses(
        (status = 200, body = Page<StreetNoticeSummary>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ))]
pub async fn sent_street_notices(
    Here(deployment): Here,
    staff: RequireStreetStaff,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<Page<StreetNoticeSummary>>> {
    Ok(Json(
        street_notices::sent(&deployment, &staff, paging).await?,
    ))
}

/// The street's notice editor's preview: the body rendered as publishing will.
#[utoipa::path(post, path = "/api/deployment/notices/preview", tag = "deployment",
    request_body = PreviewRequest,
    responses(
        (status = 200, body = PreviewResponse),
        (status = 401, body = ErrorBody), (status = 403, description = "Not street staff", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn preview_street_notice(
    _staff: RequireStreetStaff,
    Json(request): Json<PreviewRequest>,
) -> AppResult<Json<PreviewResponse>> {
    crate::routes::notices::render_preview(&request).map(Json)
}

/// Withdraw a street notice from every board it went to.
#[utoipa::path(post, path = "/api/deployment/notices/{id}/withdraw", tag = "deployment",
    params(("id" = i64, Path, description = "The street notice")),
    responses(
        (status = 200, body = StreetNoticeSummary),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such notice, or another street's", body = ErrorBody),
        (status = 409, description = "Already withdrawn", body = ErrorBody),
    ))]
pub async fn withdraw_street_notice(
    Here(deployment): Here,
    staff: RequireStreetStaff,
    Path(id): Path<i64>,
) -> AppResult<Json<StreetNoticeSummary>> {
    street_notices::withdraw(&deployment, &staff, id)
        .await?
        .map(Json)
        .ok_or_else(AppError::not_found)
}

/// Every board of the street: links to each, and their latest notices together, newest
/// first, each with its community's name.
#[utoipa::path(get, path = "/api/deployment/boards", tag = "deployment", params(PageQuery),
    responses(
        (status = 200, body = StreetBoards),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ))]
pub async fn street_boards(
    Here(deployment): Here,
    staff: RequireStreetStaff,
    Query(paging): Query<PageQuery>,
) -> AppResult<Json<StreetBoards>> {
    Ok(Json(
        street_notices::boards(&deployment, &staff, paging).await?,
    ))
}

/// A community's health follow-up list (健康随访名单) for its street's staff, while the
/// community grants it: phones masked. Every read is in the community's audit log.
#[utoipa::path(get, path = "/api/deployment/communities/{id}/health-follow-up", tag = "deployment",
    params(("id" = i64, Path, description = "The community"), GrantedListQuery),
    responses(
        (status = 200, body = StreetFollowUpList),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not street staff, or no live grant (`not_granted`)", body = ErrorBody),
        (status = 404, description = "No such community, or another street's", body = ErrorBody),
    ))]
pub async fn granted_follow_up_list(
    Here(deployment): Here,
    RequireOperator(operator): RequireOperator,
    Path(id): Path<i64>,
    Query(query): Query<GrantedListQuery>,
) -> AppResult<Json<StreetFollowUpList>> {
    Ok(Json(
        street_access::follow_up_list(&deployment, &operator, id, &query).await?,
    ))
}

/// One person of that list, opened: the health record, phone and address. Audited.
#[utoipa::path(get, path = "/api/deployment/communities/{id}/health-follow-up/{member_id}", tag = "deployment",
    params(("id" = i64, Path, description = "The community"),
        ("member_id" = i64, Path, description = "The person")),
    responses(
        (status = 200, body = StreetPersonRecord),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not street staff, or no live grant (`not_granted`)", body = ErrorBody),
        (status = 404, description = "No such community or person on the list, or another street's", body = ErrorBody),
    ))]
pub async fn granted_person(
    Here(deployment): Here,
    RequireOperator(operator): RequireOperator,
    Path((id, member_id)): Path<(i64, i64)>,
) -> AppResult<Json<StreetPersonRecord>> {
    Ok(Json(
        street_access::person(&deployment, &operator, id, member_id).await?,
    ))
}
