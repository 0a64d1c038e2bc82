//! What every handler can reach.

use crate::auth::rate_limit::LoginLimiter;
use crate::config::Settings;
use crate::db::Db;
use crate::domain::passwords::Hasher;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub hasher: Hasher,
    pub login_limiter: Arc<LoginLimiter>,
    pub live: Arc<crate::routes::board_live::Live>,
    pub anonymous_limiter: Arc<crate::routes::submissions::AnonymousLimiter>,
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> Self {
        AppState {
            login_limiter: Arc::new(LoginLimiter::new(settings.login_limits)),
            hasher: Hasher::new(),
            live: Arc::default(),
            anonymous_limiter: Arc::default(),
            settings: Arc::new(settings),
            db,
        }
    }
}
