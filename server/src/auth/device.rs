//! The known-device cookie (OWASP's "device cookies"): after a successful sign-in the
//! browser keeps `account id . issued at . HMAC-SHA256(key, both)`. A device holding a
//! valid cookie for an account is not slowed by wrong passwords sent for that account
//! from elsewhere, so guessing cannot lock the owner out. The key is random, made once
//! and kept in the database (`meta`), so cookies survive restarts and stay valid only
//! for this database.

use crate::db::{Db, meta};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use cookie::{Cookie, SameSite};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::OnceCell;

pub const DEVICE_COOKIE: &str = "shouwang_device";
const KEY_SETTING: &str = "auth.device_key";
/// A device is trusted this long after its last successful sign-in.
const LIFETIME_DAYS: i64 = 180;

/// The server's device-cookie key, read (or made) once per process.
#[derive(Default)]
pub struct DeviceKey(OnceCell<Vec<u8>>);

impl DeviceKey {
    async fn get(&self, db: &Db) -> Result<&[u8], sqlx::Error> {
        self.0
            .get_or_try_init(|| async {
                if let Some(key) = meta::get(db, KEY_SETTING)
                    .await?
                    .and_then(|k| URL_SAFE_NO_PAD.decode(k).ok())
                    .filter(|k| k.len() == 32)
                {
                    return Ok(key);
                }
                let mut key = vec![0u8; 32];
                OsRng.fill_bytes(&mut key);
                let mut tx = db.begin().await?;
                meta::set(&mut tx, KEY_SETTING, &URL_SAFE_NO_PAD.encode(&key)).await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(key)
            })
            .await
            .map(Vec::as_slice)
    }

    /// The cookie value for a device that has just signed in to `account_id`.
    pub async fn issue(
        &self,
        db: &Db,
        account_id: i64,
        now: DateTime<Utc>,
    ) -> Result<String, sqlx::Error> {
        let key = self.get(db).await?;
        Ok(sign(key, account_id, now.timestamp()))
    }

    /// The account this request's device signed in to before, if its cookie is genuine
    /// and recent.
    pub async fn known_account(
        &self,
        db: &Db,
        headers: &HeaderMap,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, sqlx::Error> {
        let Some(value) = cookie_value(headers) else {
            return Ok(None);
        };
        let key = self.get(db).await?;
        Ok(verify(key, &value, now.timestamp()))
    }
}

fn mac(key: &[u8], payload: &str) -> Hmac<Sha256> {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(payload.as_bytes());
    mac
}

fn sign(key: &[u8], account_id: i64, issued_at: i64) -> String {
    let payload = format!("{account_id}.{issued_at}");
    let tag = URL_SAFE_NO_PAD.encode(mac(key, &payload).finalize().into_bytes());
    format!("{payload}.{tag}")
}

fn verify(key: &[u8], value: &str, now: i64) -> Option<i64> {
    let (payload, tag) = value.rsplit_once('.')?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    // `verify_slice` compares in constant time.
    mac(key, payload).verify_slice(&tag).ok()?;
    let (account, issued_at) = payload.split_once('.')?;
    let issued_at: i64 = issued_at.parse().ok()?;
    (now - issued_at < LIFETIME_DAYS * 86_400).then_some(())?;
    account.parse().ok()
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == DEVICE_COOKIE)
        .map(|c| c.value().to_owned())
}

/// HttpOnly and only sent to the sign-in endpoint: scripts cannot read it and other
/// requests do not carry it.
pub fn set_cookie(value: &str, secure: bool) -> HeaderValue {
    let cookie = Cookie::build((DEVICE_COOKIE, value.to_owned()))
        .path("/api/auth/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(cookie::time::Duration::days(LIFETIME_DAYS))
        .build();
    // The value is digits, dots and base64url: visible ASCII.
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_names_its_account_only_when_signed_with_the_key() {
        let key = [7u8; 32];
        let now = 1_800_000_000;
        let value = sign(&key, 42, now);
        assert_eq!(verify(&key, &value, now + 60), Some(42));
        assert_eq!(verify(&[8u8; 32], &value, now), None, "another key");
        let forged = value.replacen("42.", "43.", 1);
        assert_eq!(verify(&key, &forged, now), None, "another account");
        assert_eq!(
            verify(&key, &value, now + LIFETIME_DAYS * 86_400 + 1),
            None,
            "expired"
        );
        assert_eq!(verify(&key, "garbage", now), None);
    }
}
