//! Keyed rate limits: one generic limiter (GCRA, a token bucket kept as one instant per
//! key) and the limits the server puts on what unauthenticated callers can do.
//!
//! Where the instants are kept depends on the deployment: a SQLite deployment is one
//! process, so they stay in its memory; on PostgreSQL, where several instances serve one
//! deployment, they live in the database (`db::rate_limits`), so a limit reached through
//! one instance holds on every other.

use crate::config::Limits;
use crate::db::sql::Backend;
use crate::db::{Db, rate_limits};
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A burst of `burst` events, then one more per `period`, per key.
#[derive(Debug, Clone, Copy)]
pub struct Quota {
    pub burst: u32,
    pub period: Duration,
}

impl Quota {
    pub const fn new(burst: u32, period: Duration) -> Self {
        Quota { burst, period }
    }
}

/// Why an event was not allowed.
#[derive(Debug, thiserror::Error)]
pub enum Limited {
    #[error("too many attempts: wait {0:?}")]
    Wait(Duration),
    /// The shared buckets could not be read: the event is refused rather than let through
    /// uncounted.
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// What a limiter's key is made of: an address, an account name, or both.
pub trait LimitKey {
    fn limit_key(&self) -> String;
}

impl LimitKey for IpAddr {
    fn limit_key(&self) -> String {
        self.to_string()
    }
}

impl LimitKey for String {
    fn limit_key(&self) -> String {
        self.clone()
    }
}

impl LimitKey for (String, IpAddr) {
    fn limit_key(&self) -> String {
        format!("{}\n{}", self.0, self.1)
    }
}

/// (limit, key) → the instant its bucket is full again.
type Instants = HashMap<(&'static str, String), Instant>;

/// Where every limiter of a deployment keeps its instants.
pub enum LimitStore {
    /// One process: in its memory.
    Memory(Mutex<Instants>),
    /// Several instances: the `rate_limits` table of the deployment's database, with keys
    /// hashed so it holds no address or phone number.
    Database(Db),
}

impl LimitStore {
    /// In memory for SQLite (one instance by design), in the database for PostgreSQL.
    pub fn for_database(db: &Db) -> Self {
        match db.backend() {
            Backend::Sqlite => LimitStore::Memory(Mutex::default()),
            Backend::Postgres => LimitStore::Database(db.clone()),
        }
    }

    fn entries(map: &Mutex<Instants>) -> std::sync::MutexGuard<'_, Instants> {
        // A panic while holding the lock leaves a plain map behind: still usable.
        map.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Forgets keys whose bucket is full again, so memory (or the table) stays bounded.
    pub async fn forget_idle(&self) {
        match self {
            LimitStore::Memory(map) => {
                let now = Instant::now();
                Self::entries(map).retain(|_, full_at| *full_at > now);
            }
            LimitStore::Database(db) => {
                if let Err(e) = rate_limits::forget_idle(db, micros_now()).await {
                    tracing::warn!(error = %e, "forgetting idle rate limits failed");
                }
            }
        }
    }
}

fn micros_now() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

fn hashed(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// The generic cell rate algorithm: each key keeps the instant at which its bucket would
/// be full again; an event moves it `period` later, and is refused when that instant lies
/// more than `(burst - 1) * period` ahead.
pub struct KeyedLimiter<K> {
    /// The limit's name, which keeps its keys apart from the other limits' in the store.
    name: &'static str,
    quota: Quota,
    store: Arc<LimitStore>,
    key: std::marker::PhantomData<fn(&K)>,
}

impl<K: LimitKey> KeyedLimiter<K> {
    pub fn new(name: &'static str, quota: Quota, store: Arc<LimitStore>) -> Self {
        KeyedLimiter {
            name,
            quota: Quota {
                burst: quota.burst.max(1),
                period: quota.period.max(Duration::from_millis(1)),
            },
            store,
            key: std::marker::PhantomData,
        }
    }

    fn tolerance(&self) -> Duration {
        self.quota.period * (self.quota.burst - 1)
    }

    fn wait(&self, full_at: Option<Instant>, now: Instant) -> Result<Instant, Duration> {
        let start = full_at.map_or(now, |t| t.max(now));
        let ahead = start - now;
        if ahead > self.tolerance() {
            Err(ahead - self.tolerance())
        } else {
            Ok(start + self.quota.period)
        }
    }

    /// The wait left when the key's bucket is full again at `full_at` (µs since 1970).
    fn wait_micros(&self, full_at: i64, now: i64) -> Duration {
        let ahead = u64::try_from(full_at.saturating_sub(now)).unwrap_or(0);
        Duration::from_micros(ahead)
            .saturating_sub(self.tolerance())
            .max(Duration::from_secs(1))
    }

    fn cell<'a>(&'a self, key: &'a str) -> rate_limits::Cell<'a> {
        rate_limits::Cell {
            bucket: self.name,
            key,
            now: micros_now(),
            period: micros(self.quota.period),
            tolerance: micros(self.tolerance()),
        }
    }

    /// Counts one event; `Limited::Wait` when the key's allowance is spent (nothing counted).
    pub async fn check(&self, key: &K) -> Result<(), Limited> {
        match self.store.as_ref() {
            LimitStore::Memory(map) => {
                let now = Instant::now();
                let mut entries = LimitStore::entries(map);
                let entry = (self.name, key.limit_key());
                let next = self
                    .wait(entries.get(&entry).copied(), now)
                    .map_err(Limited::Wait)?;
                entries.insert(entry, next);
                Ok(())
            }
            LimitStore::Database(db) => {
                let key = hashed(&key.limit_key());
                let cell = self.cell(&key);
                match rate_limits::check(db, cell).await? {
                    None => Ok(()),
                    Some(full_at) => Err(Limited::Wait(self.wait_micros(full_at, cell.now))),
                }
            }
        }
    }

    /// Would an event be allowed now? Counts nothing: for limits that only count
    /// failures, checked before the attempt and charged after it.
    pub async fn peek(&self, key: &K) -> Result<(), Limited> {
        match self.store.as_ref() {
            LimitStore::Memory(map) => {
                let now = Instant::now();
                let full_at = LimitStore::entries(map)
                    .get(&(self.name, key.limit_key()))
                    .copied();
                self.wait(full_at, now).map(|_| ()).map_err(Limited::Wait)
            }
            LimitStore::Database(db) => {
                let key = hashed(&key.limit_key());
                let cell = self.cell(&key);
                match rate_limits::full_at(db, cell).await? {
                    Some(full_at) if full_at.saturating_sub(cell.now) > cell.tolerance => {
                        Err(Limited::Wait(self.wait_micros(full_at, cell.now)))
                    }
                    _ => Ok(()),
                }
            }
        }
    }

    /// Counts one event even when the allowance is spent (a failure that happened anyway).
    pub async fn charge(&self, key: &K) -> Result<(), sqlx::Error> {
        match self.store.as_ref() {
            LimitStore::Memory(map) => {
                let now = Instant::now();
                let mut entries = LimitStore::entries(map);
                let entry = (self.name, key.limit_key());
                let start = entries.get(&entry).map_or(now, |t| (*t).max(now));
                entries.insert(entry, start + self.quota.period);
                Ok(())
            }
            LimitStore::Database(db) => {
                let key = hashed(&key.limit_key());
                rate_limits::charge(db, self.cell(&key)).await
            }
        }
    }

    /// Gives back one event counted by `check`: for limits that count only failures,
    /// counted before the attempt (so parallel attempts cannot all slip through) and
    /// given back when it succeeded.
    pub async fn refund(&self, key: &K) -> Result<(), sqlx::Error> {
        match self.store.as_ref() {
            LimitStore::Memory(map) => {
                let mut entries = LimitStore::entries(map);
                if let Some(full_at) = entries.get_mut(&(self.name, key.limit_key())) {
                    *full_at = full_at.checked_sub(self.quota.period).unwrap_or(*full_at);
                }
                Ok(())
            }
            LimitStore::Database(db) => {
                let key = hashed(&key.limit_key());
                rate_limits::refund(db, self.cell(&key)).await
            }
        }
    }
}

/// Every limit the server keeps, keyed by client address or account.
pub struct Limiters {
    store: Arc<LimitStore>,
    /// Sign-in attempts per client address (all attempts).
    pub sign_in_by_address: KeyedLimiter<IpAddr>,
    /// Failed sign-ins per (account, address): an address guessing one account.
    pub sign_in_failures: KeyedLimiter<(String, IpAddr)>,
    /// Failed sign-ins per account from devices it never signed in on, in two tiers:
    /// the account slows down, then slows down more.
    pub account_failures: [KeyedLimiter<String>; 2],
    /// Registrations and volunteer sign-ups per address: each creates records and
    /// hashes a password.
    pub sign_up: KeyedLimiter<IpAddr>,
    /// "This phone already has an account" answers per address.
    pub existence: KeyedLimiter<IpAddr>,
    /// Submissions from visitors and accounts in their first day, per address.
    pub anonymous_submissions: KeyedLimiter<IpAddr>,
}

impl Limiters {
    pub fn new(limits: &Limits, store: LimitStore) -> Self {
        let store = Arc::new(store);
        fn limiter<K: LimitKey>(
            name: &'static str,
            quota: Quota,
            store: &Arc<LimitStore>,
        ) -> KeyedLimiter<K> {
            KeyedLimiter::new(name, quota, Arc::clone(store))
        }
        let [slow, slower] = limits.failures_per_account;
        Limiters {
            sign_in_by_address: limiter("sign_in_by_address", limits.sign_in_per_address, &store),
            sign_in_failures: limiter(
                "sign_in_failures",
                limits.failures_per_account_and_address,
                &store,
            ),
            account_failures: [
                limiter("account_failures", slow, &store),
                limiter("account_failures_long", slower, &store),
            ],
            sign_up: limiter("sign_up", limits.sign_up_per_address, &store),
            existence: limiter("existence", limits.existence_answers_per_address, &store),
            anonymous_submissions: limiter(
                "anonymous_submissions",
                limits.anonymous_submissions_per_address,
                &store,
            ),
            store,
        }
    }

    pub async fn forget_idle(&self) {
        self.store.forget_idle().await;
    }

    /// Before a registration or sign-up: the address's sign-up allowance, and whether it
    /// may still learn that a phone has an account. When it may not, every sign-up from it
    /// is refused alike, so the refusal itself says nothing about the phone.
    pub async fn check_sign_up(&self, address: IpAddr) -> Result<(), Limited> {
        self.existence.peek(&address).await?;
        self.sign_up.check(&address).await
    }
}

/// The client's address: the peer, or behind a trusted proxy the last
/// `X-Forwarded-For` entry (the one our proxy appended; earlier ones are the client's word).
pub fn client_address(peer: SocketAddr, headers: &HeaderMap, trust_proxy: bool) -> IpAddr {
    if trust_proxy
        && let Some(forwarded) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    {
        return forwarded;
    }
    peer.ip()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_memory<K: LimitKey>(quota: Quota) -> KeyedLimiter<K> {
        KeyedLimiter::new(
            "test",
            quota,
            Arc::new(LimitStore::Memory(Mutex::default())),
        )
    }

    fn waited(result: Result<(), Limited>) -> Duration {
        match result {
            Err(Limited::Wait(wait)) => wait,
            other => panic!("expected a wait, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_burst_then_one_per_period() {
        let limiter = in_memory::<String>(Quota::new(2, Duration::from_secs(60)));
        let wangli = "wangli".to_owned();
        assert!(limiter.check(&wangli).await.is_ok());
        assert!(limiter.check(&wangli).await.is_ok());
        let wait = waited(limiter.check(&wangli).await);
        assert!(
            wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert!(limiter.check(&"zhaoqiang".to_owned()).await.is_ok());
    }

    #[tokio::test]
    async fn peeking_counts_nothing_and_charging_counts_past_the_limit() {
        let limiter = in_memory::<String>(Quota::new(1, Duration::from_secs(60)));
        let key = "1".to_owned();
        assert!(limiter.peek(&key).await.is_ok());
        assert!(limiter.peek(&key).await.is_ok());
        limiter.charge(&key).await.unwrap();
        assert!(limiter.peek(&key).await.is_err());
        limiter.charge(&key).await.unwrap();
        let wait = waited(limiter.peek(&key).await);
        assert!(wait > Duration::from_secs(110), "{wait:?}");
        limiter.store.forget_idle().await;
        assert!(
            limiter.peek(&key).await.is_err(),
            "a spent key is remembered"
        );
    }

    #[tokio::test]
    async fn a_refunded_event_no_longer_counts() {
        let limiter = in_memory::<String>(Quota::new(1, Duration::from_secs(60)));
        let key = "1".to_owned();
        assert!(limiter.check(&key).await.is_ok());
        limiter.refund(&key).await.unwrap();
        assert!(limiter.check(&key).await.is_ok());
        assert!(limiter.check(&key).await.is_err());
    }

    #[tokio::test]
    async fn two_limits_on_one_store_keep_their_keys_apart() {
        let store = Arc::new(LimitStore::Memory(Mutex::default()));
        let quota = Quota::new(1, Duration::from_secs(60));
        let first = KeyedLimiter::<String>::new("first", quota, Arc::clone(&store));
        let second = KeyedLimiter::<String>::new("second", quota, store);
        let key = "13800138000".to_owned();
        assert!(first.check(&key).await.is_ok());
        assert!(second.check(&key).await.is_ok());
        assert!(first.check(&key).await.is_err());
    }

    #[test]
    fn forwarded_addresses_need_a_trusted_proxy() {
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "1.2.3.4, 5.6.7.8".parse().unwrap());
        assert_eq!(client_address(peer, &headers, false), peer.ip());
        assert_eq!(
            client_address(peer, &headers, true),
            "5.6.7.8".parse::<IpAddr>().unwrap()
        );
    }
}
