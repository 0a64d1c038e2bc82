//! Keyed rate limits: one generic limiter (GCRA, a token bucket kept as one instant per
//! key) and the limits the server puts on what unauthenticated callers can do.

use crate::config::Limits;
use axum::http::HeaderMap;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
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

/// The generic cell rate algorithm: each key keeps the instant at which its bucket would
/// be full again; an event moves it `period` later, and is refused when that instant lies
/// more than `(burst - 1) * period` ahead.
pub struct KeyedLimiter<K> {
    quota: Quota,
    full_at: Mutex<HashMap<K, Instant>>,
}

impl<K: Hash + Eq + Clone> KeyedLimiter<K> {
    pub fn new(quota: Quota) -> Self {
        KeyedLimiter {
            quota: Quota {
                burst: quota.burst.max(1),
                period: quota.period.max(Duration::from_millis(1)),
            },
            full_at: Mutex::default(),
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

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<K, Instant>> {
        // A panic while holding the lock leaves a plain map behind: still usable.
        self.full_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts one event; `Err(wait)` when the key's allowance is spent (nothing counted).
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        let now = Instant::now();
        let mut entries = self.entries();
        let next = self.wait(entries.get(key).copied(), now)?;
        entries.insert(key.clone(), next);
        Ok(())
    }

    /// Would an event be allowed now? Counts nothing: for limits that only count
    /// failures, checked before the attempt and charged after it.
    pub fn peek(&self, key: &K) -> Result<(), Duration> {
        let now = Instant::now();
        self.wait(self.entries().get(key).copied(), now).map(|_| ())
    }

    /// Counts one event even when the allowance is spent (a failure that happened anyway).
    pub fn charge(&self, key: &K) {
        let now = Instant::now();
        let mut entries = self.entries();
        let start = entries.get(key).map_or(now, |t| (*t).max(now));
        entries.insert(key.clone(), start + self.quota.period);
    }

    /// Gives back one event counted by `check`: for limits that count only failures,
    /// counted before the attempt (so parallel attempts cannot all slip through) and
    /// given back when it succeeded.
    pub fn refund(&self, key: &K) {
        let mut entries = self.entries();
        if let Some(full_at) = entries.get_mut(key) {
            *full_at = full_at.checked_sub(self.quota.period).unwrap_or(*full_at);
        }
    }

    /// Forgets keys whose bucket is full again, so memory stays bounded.
    pub fn forget_idle(&self) {
        let now = Instant::now();
        self.entries().retain(|_, full_at| *full_at > now);
    }
}

/// Every limit the server keeps in memory, keyed by client address or account.
pub struct Limiters {
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
    pub fn new(limits: &Limits) -> Self {
        Limiters {
            sign_in_by_address: KeyedLimiter::new(limits.sign_in_per_address),
            sign_in_failures: KeyedLimiter::new(limits.failures_per_account_and_address),
            account_failures: limits.failures_per_account.map(KeyedLimiter::new),
            sign_up: KeyedLimiter::new(limits.sign_up_per_address),
            existence: KeyedLimiter::new(limits.existence_answers_per_address),
            anonymous_submissions: KeyedLimiter::new(limits.anonymous_submissions_per_address),
        }
    }

    pub fn forget_idle(&self) {
        self.sign_in_by_address.forget_idle();
        self.sign_in_failures.forget_idle();
        self.account_failures
            .iter()
            .for_each(KeyedLimiter::forget_idle);
        self.sign_up.forget_idle();
        self.existence.forget_idle();
        self.anonymous_submissions.forget_idle();
    }

    /// Before a registration or sign-up: the address's sign-up allowance, and whether it
    /// may still learn that a phone has an account. When it may not, every sign-up from it
    /// is refused alike, so the refusal itself says nothing about the phone.
    pub fn check_sign_up(&self, address: IpAddr) -> Result<(), Duration> {
        self.existence.peek(&address)?;
        self.sign_up.check(&address)
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

    #[test]
    fn a_burst_then_one_per_period() {
        let limiter = KeyedLimiter::new(Quota::new(2, Duration::from_secs(60)));
        assert!(limiter.check(&"wangli").is_ok());
        assert!(limiter.check(&"wangli").is_ok());
        let wait = limiter.check(&"wangli").unwrap_err();
        assert!(
            wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert!(limiter.check(&"zhaoqiang").is_ok());
    }

    #[test]
    fn peeking_counts_nothing_and_charging_counts_past_the_limit() {
        let limiter = KeyedLimiter::new(Quota::new(1, Duration::from_secs(60)));
        assert!(limiter.peek(&1).is_ok());
        assert!(limiter.peek(&1).is_ok());
        limiter.charge(&1);
        assert!(limiter.peek(&1).is_err());
        limiter.charge(&1);
        let wait = limiter.peek(&1).unwrap_err();
        assert!(wait > Duration::from_secs(110), "{wait:?}");
        limiter.forget_idle();
        assert!(limiter.peek(&1).is_err(), "a spent key is remembered");
    }

    #[test]
    fn a_refunded_event_no_longer_counts() {
        let limiter = KeyedLimiter::new(Quota::new(1, Duration::from_secs(60)));
        assert!(limiter.check(&1).is_ok());
        limiter.refund(&1);
        assert!(limiter.check(&1).is_ok());
        assert!(limiter.check(&1).is_err());
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
