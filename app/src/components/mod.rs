//! Reusable pieces of pages, one component per file.

pub mod category_filter;
pub mod coverage_map;
pub mod door_visit;
pub mod error_banner;
pub mod field;
pub mod footer;
pub mod header;
pub mod loading;
pub mod member_fields;
pub mod notice_card;
pub mod notice_meta;
pub mod notification_item;
pub mod pager;
pub mod require_role;
pub mod resident_labels;
pub mod status_badge;
