//! What every handler can reach.

use crate::auth::device::DeviceKey;
use crate::auth::rate_limit::Limiters;
use crate::cache::{PUBLIC_TTL, PublicCache};
use crate::clock::Clock;
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
    pub limiters: Arc<Limiters>,
    pub device_key: Arc<DeviceKey>,
    /// The public board's pages: (category, per page, offset) → JSON.
    pub board_cache: Arc<PublicCache<BoardPageKey>>,
    pub live: Arc<crate::ops::live::Live>,
    /// Now, and today in the community: the only source of either.
    pub clock: Clock,
}

pub type BoardPageKey = (Option<NoticeCategory>, u32, u64);

impl AppState {
    pub fn new(db: Db, settings: Settings, clock: Clock) -> Self {
        AppState {
            limiters: Arc::new(Limiters::new(&settings.limits)),
            device_key: Arc::default(),
            hasher: Hasher::new(),
            board_cache: Arc::new(PublicCache::new(PUBLIC_TTL)),
            live: Arc::default(),
            clock,
            settings: Arc::new(settings),
            db,
        }
    }
}
