//! A short-lived cache of public answers that are the same for every caller.
//!
//! When a notice goes out, a whole building opens the board within a minute. Without a
//! cache each of those requests runs the same two queries and serialises the same JSON;
//! with it, the first request of a moment does the work and the rest copy bytes. Entries
//! die on any change to what they show (a generation counter bumped by every write) and
//! after a few seconds in any case, so that a notice whose expiry passes leaves the board
//! without a write.

use axum::body::Bytes;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long an answer may be served without a write having changed it.
pub const PUBLIC_TTL: Duration = Duration::from_secs(3);

/// Bounds memory: a crawler walking every page and category cannot grow it without end.
const MAX_ENTRIES: usize = 512;

pub struct PublicCache<K> {
    generation: AtomicU64,
    entries: Mutex<HashMap<K, Entry>>,
    ttl: Duration,
}

struct Entry {
    generation: u64,
    stored_at: Instant,
    body: Bytes,
}

impl<K: Eq + Hash> PublicCache<K> {
    pub fn new(ttl: Duration) -> Self {
        PublicCache {
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
            ttl,
        }
    }

    /// The generation to pass to [`PublicCache::store`]: read it *before* querying, so an
    /// answer computed while a write landed is stored as already stale.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn get(&self, key: &K) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let entry = entries.get(key)?;
        let fresh = entry.generation == self.generation() && entry.stored_at.elapsed() < self.ttl;
        fresh.then(|| entry.body.clone())
    }

    pub fn store(&self, key: K, generation: u64, body: Bytes) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                generation,
                stored_at: Instant::now(),
                body,
            },
        );
    }

    /// Called after every committed change to what the cache shows.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_a_stored_answer_until_a_write() {
        let cache = PublicCache::new(Duration::from_secs(60));
        let generation = cache.generation();
        cache.store("board", generation, Bytes::from_static(b"[1]"));
        assert_eq!(cache.get(&"board"), Some(Bytes::from_static(b"[1]")));
        cache.invalidate();
        assert_eq!(cache.get(&"board"), None);
    }

    #[test]
    fn an_answer_computed_across_a_write_is_never_served() {
        let cache = PublicCache::new(Duration::from_secs(60));
        let generation = cache.generation();
        cache.invalidate(); // a write lands while the query runs
        cache.store("board", generation, Bytes::from_static(b"[old]"));
        assert_eq!(cache.get(&"board"), None);
    }

    #[test]
    fn answers_expire() {
        let cache = PublicCache::new(Duration::ZERO);
        cache.store("board", cache.generation(), Bytes::from_static(b"[1]"));
        assert_eq!(cache.get(&"board"), None);
    }
}
