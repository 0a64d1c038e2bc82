//! The JSON API under `/api`: thin handlers grouped by resource. Each handler extracts,
//! calls `domain`/`db`, and maps the result; its `#[utoipa::path]` feeds
//! `/api/openapi.json`.

pub mod audit;
pub mod auth;
pub mod download;
pub mod health;
pub mod notices;
pub mod notifications;
pub mod openapi;
pub mod users;

use crate::state::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(health::health))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::disable_user))
        .routes(routes!(users::enable_user))
        .routes(routes!(notices::list_notices, notices::create_notice))
        .routes(routes!(notices::get_notice, notices::update_notice))
        .routes(routes!(notices::publish_notice))
        .routes(routes!(notices::withdraw_notice))
        .routes(routes!(notices::preview_notice))
        .routes(routes!(audit::list_audit))
        .routes(routes!(notifications::list_notifications))
        .routes(routes!(notifications::unread_notifications))
        .routes(routes!(notifications::read_notification))
        .routes(routes!(notifications::read_all_notifications))
}
