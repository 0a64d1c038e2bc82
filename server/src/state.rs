//! What every handler can reach.

use crate::auth::device::DeviceKey;
use crate::auth::rate_limit::{LimitStore, Limiters};
use crate::cache::{PUBLIC_TTL, PublicCache};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
use crate::domain::passwords::Hasher;
use crate::ops::live::{BoardWakeups, Live};
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
    pub live: Arc<Live>,
    /// Now, and today in the community: the only source of either.
    pub clock: Clock,
    /// Which community of the deployment this state serves.
    pub community: Arc<CommunityContext>,
}

/// The community a request is for, as the dispatcher found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityContext {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// Where its pages are: `""` at the root of the site, `/c/<slug>` otherwise. Its
    /// session cookie is confined to this path.
    pub base: String,
}

impl CommunityContext {
    /// The community of a database used alone (tools, tests), at the root of the site.
    pub fn alone() -> Self {
        CommunityContext {
            id: 0,
            slug: String::new(),
            name: String::new(),
            base: String::new(),
        }
    }

    /// The path the session cookie is confined to.
    pub fn cookie_path(&self) -> &str {
        if self.base.is_empty() {
            "/"
        } else {
            &self.base
        }
    }
}

/// What every community of a deployment shares: the password hasher's worker pool, the
/// per-address limits (one address is one address whichever community it asks), the
/// device key, the settings, the live board's listener (one per process on PostgreSQL).
#[derive(Clone)]
pub struct Shared {
    pub settings: Arc<Settings>,
    pub hasher: Hasher,
    pub limiters: Arc<Limiters>,
    pub device_key: Arc<DeviceKey>,
    pub board_wakeups: Arc<BoardWakeups>,
}

impl Shared {
    /// What the communities of the deployment whose own database is `home` share.
    pub fn new(settings: Settings, home: &Db) -> Self {
        Shared {
            limiters: Arc::new(Limiters::new(
                &settings.limits,
                LimitStore::for_database(home),
            )),
            device_key: Arc::default(),
            board_wakeups: Arc::default(),
            hasher: Hasher::new(),
            settings: Arc::new(settings),
        }
    }
}

pub type BoardPageKey = (Option<NoticeCategory>, u32, u64);

impl AppState {
    /// A database used alone, at the root of the site.
    pub fn new(db: Db, settings: Settings, clock: Clock) -> Self {
        let shared = Shared::new(settings, &db);
        AppState::for_community(db, &shared, clock, CommunityContext::alone())
    }

    /// One community of a deployment: its own database, clock, board cache and live
    /// stream; the rest shared.
    pub fn for_community(
        db: Db,
        shared: &Shared,
        clock: Clock,
        community: CommunityContext,
    ) -> Self {
        AppState {
            limiters: Arc::clone(&shared.limiters),
            device_key: Arc::clone(&shared.device_key),
            hasher: shared.hasher.clone(),
            board_cache: Arc::new(PublicCache::new(PUBLIC_TTL)),
            live: Arc::new(Live::new(Arc::clone(&shared.board_wakeups))),
            clock,
            settings: Arc::clone(&shared.settings),
            community: Arc::new(community),
            db,
        }
    }
}
