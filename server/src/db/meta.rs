//! Small key-value facts about this database (e.g. that it holds the demo community).

use super::Db;
use super::sql;

pub async fn get(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar("SELECT value FROM meta WHERE key = ?")
        .bind(key)
        .fetch_optional(db.reader())
        .await
}

pub async fn set(tx: &mut super::Tx, key: &str, value: &str) -> Result<(), sqlx::Error> {
    sql::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
