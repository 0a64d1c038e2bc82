//! One file per page; pages compose components and call `crate::api`.

pub mod accounts;
pub mod audit_log;
pub mod board;
pub mod browse_shifts;
pub mod health_worklist;
pub mod login;
pub mod manage_notices;
pub mod manage_shifts;
pub mod manage_volunteers;
pub mod moderation;
pub mod my_household;
pub mod my_submissions;
pub mod not_found;
pub mod notice;
pub mod notice_editor;
pub mod notifications;
pub mod poster;
pub mod register_household;
pub mod residents_ledger;
pub mod screen;
pub mod search;
pub mod submit;
pub mod update;
pub mod volunteer_home;
pub mod volunteer_sign_up;
