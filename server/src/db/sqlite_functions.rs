//! SQL functions the schema's triggers call, registered on every connection that writes.
//!
//! `bigrams(text)` tokenizes public text for the bigram search index
//! (`domain::bigrams::index_text`). It has to run inside SQLite, in the triggers that keep
//! the index in step with the board, so that no write path can forget it. sqlx has no safe
//! API for a scalar function, so this is the one place that speaks to SQLite's C API
//! (as sqlx's own `regexp` does).

use crate::domain::bigrams;
use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;
use std::os::raw::c_int;

const BIGRAMS: &[u8] = b"bigrams\0";

/// Registers the functions on one connection.
pub async fn register(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is a live connection, held locked for this call; the name is
    // NUL-terminated and static; the callback matches SQLite's `xFunc` signature and
    // takes no user data.
    let rc = unsafe {
        ffi::sqlite3_create_function_v2(
            db,
            BIGRAMS.as_ptr().cast(),
            1,
            ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC | ffi::SQLITE_INNOCUOUS,
            std::ptr::null_mut(),
            Some(bigrams_function),
            None,
            None,
            None,
        )
    };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Configuration(
            format!("registering the bigrams() SQL function failed with code {rc}").into(),
        ))
    }
}

/// `bigrams(text)`: the index text of `text`; NULL for NULL.
unsafe extern "C" fn bigrams_function(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY (whole body): SQLite calls this with `argc` values in `argv`, valid for the
    // call; the text pointer it returns is valid UTF-8 (SQLITE_UTF8) of the length
    // `sqlite3_value_bytes` reports, until the value is changed, which nothing here does.
    unsafe {
        if argc != 1 {
            ffi::sqlite3_result_null(ctx);
            return;
        }
        let value = *argv;
        let text = ffi::sqlite3_value_text(value);
        if text.is_null() {
            ffi::sqlite3_result_null(ctx);
            return;
        }
        let len = usize::try_from(ffi::sqlite3_value_bytes(value)).unwrap_or(0);
        let bytes = std::slice::from_raw_parts(text, len);
        let tokens = bigrams::index_text(&String::from_utf8_lossy(bytes));
        match c_int::try_from(tokens.len()) {
            Ok(n) => ffi::sqlite3_result_text(
                ctx,
                tokens.as_ptr().cast::<std::os::raw::c_char>(),
                n,
                ffi::SQLITE_TRANSIENT(),
            ),
            Err(_) => ffi::sqlite3_result_error_toobig(ctx),
        }
    }
}
