//! The JSON API under `/api`: thin handlers grouped by resource. Each handler extracts,
//! calls `domain`/`db`, and maps the result; its `#[utoipa::path]` feeds
//! `/api/openapi.json`.

pub mod audit;
pub mod auth;
pub mod board_live;
pub mod download;
pub mod health;
pub mod notices;
pub mod notifications;
pub mod openapi;
pub mod search;
pub mod submissions;
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
        .routes(routes!(
            submissions::create_submission,
            submissions::moderation_queue
        ))
        .routes(routes!(submissions::my_submissions))
        .routes(routes!(
            submissions::get_settings,
            submissions::put_settings
        ))
        .routes(routes!(submissions::batch_moderate))
        .routes(routes!(submissions::get_submission))
        .routes(routes!(submissions::verify_submission))
        .routes(routes!(submissions::reject_submission))
        .routes(routes!(submissions::mark_rumour))
        .routes(routes!(submissions::merge_submission))
        .routes(routes!(submissions::block_submitter))
        .routes(routes!(submissions::unblock_submitter))
        .routes(routes!(submissions::moderation_log))
        .routes(routes!(submissions::board_updates))
        .routes(routes!(submissions::board_update))
        .routes(routes!(search::search))
        .routes(routes!(search::doc_number))
        .routes(routes!(search::supersede))
        .routes(routes!(board_live::live))
        .routes(routes!(board_live::qr_svg))
        // Feeds live outside /api: the address people paste into a feed reader.
        .route("/feed.xml", axum::routing::get(board_live::feed_all))
        .route(
            "/feed/{file}",
            axum::routing::get(board_live::feed_category),
        )
}
