//! The rules of Shouwang as plain functions over plain types. Nothing here knows HTTP.

pub mod bigrams;
pub mod board;
pub mod export;
pub mod health;
pub mod markdown;
pub mod medicine;
pub mod notices;
pub mod passwords;
pub mod photos;
pub mod receipts;
pub mod residents;
pub mod sessions;
pub mod shifts;
pub mod street_report;
pub mod submissions;
pub mod supplies;
pub mod testing;
pub mod volunteers;
pub mod workers;
pub mod zones;
