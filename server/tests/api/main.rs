//! API tests: each starts the real `shouwang` binary on a fresh SQLite file in a
//! temporary directory and talks to it over HTTP, as the browser app does.

mod contract;
mod fixtures;
mod helpers;

mod accounts;
mod auth;
mod board;
mod care;
mod cli;
mod csrf;
mod durability;
mod errors;
mod hardening;
mod health;
mod idempotency;
mod instances;
mod medicine;
mod migrate;
mod notices;
mod notifications;
mod photos;
mod prerender;
mod receipts;
mod residents;
mod scope;
mod shifts;
mod stored_values;
mod street_grants;
mod street_notices;
mod submissions;
mod supplies;
mod tenancy;
mod test_hooks;
mod testing;
mod trial_forms;
mod trial_resident;
mod trial_zones;
mod volunteer_pool;
mod volunteers;
mod web;
mod workers;
mod zones;
