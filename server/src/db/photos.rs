//! Photos of submissions, stored as re-encoded JPEG blobs beside the submission.

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, Utc};

/// Who sent the submission and where it stands: (submitter, status).
pub async fn submission(db: &Db, id: i64) -> Result<Option<(Option<i64>, String)>, sqlx::Error> {
    sql::query_as("SELECT submitter_id, status FROM submissions WHERE id = ?")
        .bind(id)
        .fetch_optional(db.reader())
        .await
}

/// Stores (or replaces) the photo of a submission still pending; false when it was
/// decided in the meantime.
pub async fn store(
    tx: &mut Tx,
    submission_id: i64,
    jpeg: &[u8],
    width: u32,
    height: u32,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(sql::query(
        "INSERT INTO submission_photos (submission_id, jpeg, width, height, created_at)
         SELECT id, ?2, ?3, ?4, ?5 FROM submissions WHERE id = ?1 AND status = 'pending'
         ON CONFLICT (submission_id) DO UPDATE SET jpeg = excluded.jpeg, width = excluded.width,
             height = excluded.height, created_at = excluded.created_at",
    )
    .bind(submission_id)
    .bind(jpeg)
    .bind(i64::from(width))
    .bind(i64::from(height))
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// The photo with its submission's submitter and status.
pub async fn find(
    db: &Db,
    submission_id: i64,
) -> Result<Option<(Vec<u8>, Option<i64>, String)>, sqlx::Error> {
    sql::query_as(
        "SELECT p.jpeg, s.submitter_id, s.status FROM submission_photos p
         JOIN submissions s ON s.id = p.submission_id WHERE p.submission_id = ?",
    )
    .bind(submission_id)
    .fetch_optional(db.reader())
    .await
}
