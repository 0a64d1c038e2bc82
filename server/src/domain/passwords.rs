//! Password hashing with argon2id (the argon2 crate's defaults: m = 19 MiB, t = 2, p = 1,
//! OWASP's recommendation).
//!
//! Each hash takes ~19 MiB and tens of milliseconds of CPU, so hashing runs on the
//! blocking pool behind semaphores: a burst queues instead of exhausting memory or
//! starving the async workers. Hashes for new passwords (registration, sign-up: anyone
//! can send them) may hold all permits but one, so a flood of sign-ups can slow
//! sign-in by at most one hash, never queue it behind the flood.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct Hasher {
    /// One per hash running at once, whatever it is for.
    running: Arc<Semaphore>,
    /// Taken before `running` by new-password hashes: fewer than `running`'s.
    new_passwords: Arc<Semaphore>,
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new()
    }
}

impl Hasher {
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let running = cores.max(2);
        Hasher {
            running: Arc::new(Semaphore::new(running)),
            new_passwords: Arc::new(Semaphore::new(running - 1)),
        }
    }

    /// Hashes a new password. Waits for one of the permits sign-in does not need.
    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let _reserved = self.new_passwords.acquire().await?;
        let _permit = self.running.acquire().await?;
        tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
    }

    /// Checks a password against a stored hash. With no stored hash (unknown user) it
    /// checks against a dummy, so both answers take the same time and reveal nothing.
    pub async fn verify(&self, password: String, stored: Option<String>) -> anyhow::Result<bool> {
        let _permit = self.running.acquire().await?;
        tokio::task::spawn_blocking(move || {
            let stored = stored.as_deref().unwrap_or_else(|| dummy_hash());
            verify_blocking(&password, stored)
        })
        .await
        .map_err(Into::into)
    }
}

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let argon2 = Argon2::default();
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow::anyhow!("a salt: {e}"))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    with_memory(argon2.params(), |blocks| {
        argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, blocks)
    })
    .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
    let phc = PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon2.params())
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("a hash: {e}"))?),
    };
    Ok(phc.to_string())
}

/// Checks with the parameters stored in the hash, so hashes made with other costs still
/// verify. `Output`'s comparison is constant-time.
fn verify_blocking(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(expected), Some(salt)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.hash,
        parsed.salt,
    ) else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or_default();
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon2 = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    with_memory(argon2.params(), |blocks| {
        argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, blocks)
    })
    .is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == expected)
}

thread_local! {
    /// Argon2's 19 MiB of working memory, kept by each hashing thread. Allocating and
    /// freeing it per hash fragments glibc's heap (its mmap threshold rises to the freed
    /// size, so later blocks come from the heap and get nibbled by small allocations):
    /// under a registration surge `cargo xtask bench` saw the server grow to 1 GB.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

fn with_memory<T>(params: &Params, f: impl FnOnce(&mut [Block]) -> T) -> T {
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let needed = params.block_count();
        if blocks.len() < needed {
            blocks.resize(needed, Block::default());
        }
        f(&mut blocks[..needed])
    })
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("shouwang-dummy-password").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let hasher = Hasher::new();
        let hash = hasher.hash("守望相助 2020".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            hasher
                .verify("守望相助 2020".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!hasher.verify("wrong".into(), Some(hash)).await.unwrap());
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
    }

    #[test]
    fn hashes_are_interchangeable_with_the_argon2_crates_own() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash_blocking("守望相助").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password("守望相助".as_bytes(), &parsed)
                .is_ok()
        );
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password("守望相助".as_bytes(), &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            ours.split('$').nth(3),
            theirs.split('$').nth(3),
            "same parameters"
        );
        assert!(verify_blocking("守望相助", &theirs));
        assert!(!verify_blocking("守望相助 ", &theirs));
        assert!(!verify_blocking("守望相助", "not a hash"));
    }
}
