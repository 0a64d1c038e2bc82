//! Reusable pieces of pages, one component per file.

pub mod category_filter;
pub mod coverage_map;
pub mod door_visit;
pub mod error_banner;
pub mod field;
pub mod footer;
pub mod header;
pub mod health_check_in;
pub mod live_board;
pub mod loading;
pub mod marked_text;
pub mod member_fields;
pub mod notice_card;
pub mod notice_meta;
pub mod notification_item;
pub mod pager;
pub mod require_role;
pub mod resident_labels;
pub mod shift_card;
pub mod status_badge;
pub mod submission_status;
pub mod update_card;
