//! 守望 Shouwang: the server. One binary serves the JSON API, stores everything in one
//! SQLite file, and embeds the web app that its build script compiles.
//!
//! Layout: `routes/` are thin HTTP handlers per resource, `ops/` the use cases that span
//! queries or features and the background jobs, `domain/` holds the rules as plain
//! functions, `db/` holds every SQL query, `auth/` the extractors that say who may call
//! what, `web/` the embedded front-end and response headers, `clock` the one clock.

pub mod app;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod extract;
pub mod ops;
pub mod routes;
pub mod state;
pub mod tenancy;
pub mod web;
