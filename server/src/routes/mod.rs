//! The JSON API under `/api`: thin handlers grouped by resource. Each handler extracts,
//! calls `domain`/`db`, and maps the result; its `#[utoipa::path]` feeds
//! `/api/openapi.json`.

pub mod audit;
pub mod auth;
pub mod board_live;
pub mod community;
pub mod deployment;
pub mod health;
pub mod health_monitoring;
pub mod medicine;
pub mod notices;
pub mod notifications;
pub mod openapi;
pub mod photos;
pub mod pool;
pub mod receipts;
pub mod residents;
pub mod search;
pub mod shifts;
pub mod street_grants;
pub mod submissions;
pub mod supplies;
pub mod test_hooks;
pub mod testing;
pub mod users;
pub mod volunteers;
pub mod workers;
pub mod zones;

use crate::state::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The API of one community; at the site's root (`deployment`) also the deployment's.
pub fn api(deployment: bool) -> OpenApiRouter<AppState> {
    let mut api = operations();
    if deployment {
        api = api.merge(self::deployment::router());
    }
    openapi::describe_the_wire(api.get_openapi_mut());
    api
}

fn operations() -> OpenApiRouter<AppState> {
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
        .routes(routes!(
            street_grants::list_grants,
            street_grants::create_grant
        ))
        .routes(routes!(street_grants::revoke_grant))
        .routes(routes!(notifications::list_notifications))
        .routes(routes!(notifications::unread_notifications))
        .routes(routes!(notifications::read_notification))
        .routes(routes!(notifications::read_all_notifications))
        .routes(routes!(community::get_structure))
        .routes(routes!(community::get_calendar))
        .routes(routes!(community::create_grid))
        .routes(routes!(community::create_building))
        .routes(routes!(community::create_unit))
        .routes(routes!(community::add_rooms))
        .routes(routes!(community::rename))
        .routes(routes!(community::retire))
        .routes(routes!(community::set_grid_staff))
        .routes(routes!(community::import))
        .routes(routes!(community::get_settings, community::set_settings))
        .routes(routes!(residents::register))
        .routes(routes!(residents::my_household))
        .routes(routes!(residents::add_my_member))
        .routes(routes!(
            residents::update_my_member,
            residents::remove_my_member
        ))
        .routes(routes!(residents::withdraw_consent))
        .routes(routes!(residents::give_consent))
        .routes(routes!(residents::my_access_log))
        .routes(routes!(residents::ledger, residents::register_at_door))
        .routes(routes!(residents::get_household))
        .routes(routes!(residents::reveal_household))
        .routes(routes!(residents::staff_update_member))
        .routes(routes!(residents::record_visit))
        .routes(routes!(residents::coverage))
        .routes(routes!(residents::export_ledger))
        .routes(routes!(residents::list_merge_requests))
        .routes(routes!(residents::merge_request_accept))
        .routes(routes!(residents::merge_request_reject))
        .routes(routes!(residents::get_retention, residents::end_emergency))
        .routes(routes!(volunteers::list_skills, volunteers::create_skill))
        .routes(routes!(volunteers::sign_up))
        .routes(routes!(volunteers::get_me, volunteers::update_me))
        .routes(routes!(volunteers::list_volunteers))
        .routes(routes!(volunteers::get_volunteer))
        .routes(routes!(volunteers::reveal_volunteer))
        .routes(routes!(volunteers::approve_volunteer))
        .routes(routes!(volunteers::pause_volunteer))
        .routes(routes!(volunteers::remove_volunteer))
        .routes(routes!(
            volunteers::new_calendar_link,
            volunteers::revoke_calendar_link
        ))
        .routes(routes!(volunteers::calendar_feed))
        .routes(routes!(volunteers::my_hours))
        .routes(routes!(volunteers::hours_report))
        .routes(routes!(shifts::get_settings, shifts::update_settings))
        .routes(routes!(shifts::list_shifts, shifts::create_shifts))
        .routes(routes!(shifts::get_shift, shifts::update_shift))
        .routes(routes!(shifts::cancel_shift))
        .routes(routes!(shifts::sign_up, shifts::cancel_signup))
        .routes(routes!(shifts::assign))
        .routes(routes!(shifts::check_in))
        .routes(routes!(shifts::check_out))
        .routes(routes!(shifts::no_show))
        .routes(routes!(shifts::my_signups))
        .routes(routes!(shifts::roster))
        .routes(routes!(pool::status))
        .routes(routes!(pool::join))
        .routes(routes!(pool::leave))
        .routes(routes!(pool::shifts))
        .routes(routes!(pool::sign_up, pool::cancel))
        .routes(routes!(pool::my_signups))
        .routes(routes!(pool::hours))
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
        .routes(routes!(submissions::answer_submission))
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
        .routes(routes!(receipts::set_requirement))
        .routes(routes!(receipts::my_receipt, receipts::acknowledge))
        .routes(routes!(receipts::list_receipt_notices))
        .routes(routes!(receipts::building_counts))
        .routes(routes!(receipts::follow_up))
        .routes(routes!(receipts::record_at_door))
        .routes(routes!(photos::put_photo, photos::get_photo))
        .routes(routes!(zones::list_buildings))
        .routes(routes!(zones::set_zone))
        .routes(routes!(zones::preview_zone))
        .routes(routes!(zones::zone_history))
        .routes(routes!(zones::my_zone))
        .routes(routes!(supplies::create_request, supplies::dashboard))
        .routes(routes!(supplies::my_requests))
        .routes(routes!(supplies::get_request))
        .routes(routes!(supplies::act))
        .routes(routes!(supplies::my_deliveries))
        .routes(routes!(supplies::reveal_contact))
        .routes(routes!(supplies::assignable))
        .routes(routes!(supplies::create_run, supplies::list_runs))
        .routes(routes!(supplies::hand_over_run))
        .routes(routes!(medicine::ask))
        .routes(routes!(medicine::read))
        .routes(routes!(medicine::confirm_custody))
        .routes(routes!(medicine::put_bag_photo, medicine::get_bag_photo))
        .routes(routes!(medicine::check_arrival))
        .routes(routes!(medicine::custody_out))
        .routes(routes!(workers::roster, workers::add_duty))
        .routes(routes!(workers::remove_duty))
        .routes(routes!(workers::hours))
        .routes(routes!(workers::set_rules))
        .routes(routes!(workers::take_check))
        .routes(routes!(workers::own_checks, workers::erase_own))
        .routes(routes!(workers::summary))
        .routes(routes!(health_monitoring::my_health))
        .routes(routes!(health_monitoring::check_in))
        .routes(routes!(health_monitoring::all_well))
        .routes(routes!(health_monitoring::worklist))
        .routes(routes!(health_monitoring::member_health))
        .routes(routes!(health_monitoring::follow_up))
        .routes(routes!(health_monitoring::set_care))
        .routes(routes!(health_monitoring::log_care_contact))
        .routes(routes!(health_monitoring::overdue_care))
        .routes(routes!(testing::create_round, testing::list_rounds))
        .routes(routes!(testing::get_round))
        .routes(routes!(testing::cancel_round))
        .routes(routes!(testing::untested))
        .routes(routes!(testing::door_list))
        .routes(routes!(testing::mark))
        .routes(routes!(testing::undo_mark))
        .routes(routes!(testing::my_testing))
        .routes(routes!(health_monitoring::care_list))
        // Feeds live outside /api: the address people paste into a feed reader.
        .route("/feed.xml", axum::routing::get(board_live::feed_all))
        .route(
            "/feed/{file}",
            axum::routing::get(board_live::feed_category),
        )
}
