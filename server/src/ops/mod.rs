//! Use cases: every operation that spans more than one query or more than one feature,
//! the background jobs and session issuing. Routes extract who calls and what they send,
//! call one function here (or one query in `db/` when that is all there is), and map the
//! result to HTTP; nothing here knows HTTP. The rules themselves are plain functions in
//! `domain/`, the SQL is in `db/`.
//!
//! Time comes in as a parameter (`now`, `today`) from the one clock (`crate::clock`).

pub mod accounts;
pub mod deployment;
pub mod health;
pub mod jobs;
pub mod live;
pub mod medicine;
pub mod notices;
pub mod pool;
pub mod receipts;
pub mod residents;
pub mod retention;
pub mod sessions;
pub mod shifts;
pub mod sign_in;
pub mod street_access;
pub mod street_notices;
pub mod structure;
pub mod submissions;
pub mod supplies;
pub mod testing;
pub mod volunteers;
pub mod workers;
pub mod zones;
