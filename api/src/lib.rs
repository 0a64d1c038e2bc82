//! The contract between the Shouwang server and its browser front-end.
//!
//! Both sides compile this crate: the server to decide, the browser to give instant
//! field-level feedback with exactly the same rules. Request types hold raw user input;
//! each has a `validate` method that turns it into a value the server can trust
//! ("parse, don't validate").

pub mod audit;
pub mod auth;
pub mod board;
pub mod check;
pub mod community;
pub mod deployment;
pub mod error;
pub mod health;
pub mod medicine;
pub mod notices;
pub mod notifications;
pub mod page;
pub mod personal;
pub mod photos;
pub mod pool;
pub mod privacy;
pub mod receipts;
pub mod residents;
pub mod shifts;
pub mod street;
pub mod street_access;
pub mod street_notices;
pub mod submissions;
pub mod supplies;
pub mod testing;
pub mod text;
pub mod users;
pub mod volunteers;
pub mod workers;
pub mod zones;

pub use error::{ErrorBody, ErrorCode, ErrorDetail, FieldError};
pub use page::{ExportFormat, Page, PageQuery};
