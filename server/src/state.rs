//! What every handler can reach.

use crate::auth::rate_limit::LoginLimiter;
use crate::cache::{PUBLIC_TTL, PublicCache};
use crate::config::Settings;
use crate::db::Db;
use crate::domain::passwords::Hasher;
use shouwang_api::notices::NoticeCategory;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub hasher: Hasher,
    pub login_limiter: Arc<LoginLimiter>,
    /// The public board's pages: (category, per page, offset) → JSON.
    pub board_cache: Arc<PublicCache<BoardPageKey>>,
    pub live: Arc<crate::routes::board_live::Live>,
    pub anonymous_limiter: Arc<crate::routes::submissions::AnonymousLimiter>,
}

pub type BoardPageKey = (Option<NoticeCategory>, u32, u64);

impl AppState {
    pub fn new(db: Db, settings: Settings) -> Self {
        AppState {
            login_limiter: Arc::new(LoginLimiter::new(settings.login_limits)),
            hasher: Hasher::new(),
            board_cache: Arc::new(PublicCache::new(PUBLIC_TTL)),
            live: Arc::default(),
            anonymous_limiter: Arc::default(),
            settings: Arc::new(settings),
            db,
        }
    }
}
