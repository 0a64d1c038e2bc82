//! The end of the emergency: residents' personal data is deleted on the day the admin set.

use crate::db::{self, Db, audit, meta};
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::residents::RetentionStatus;

const EMERGENCY_ENDED: &str = "residents.emergency_ended_on";
const PURGE_ON: &str = "residents.purge_on";
const PURGED: &str = "residents.purged_households";

/// When residents' personal data will be (or was) deleted.
pub async fn status(db: &Db) -> Result<RetentionStatus, sqlx::Error> {
    let date = |v: Option<String>| v.and_then(|v| v.parse().ok());
    Ok(RetentionStatus {
        emergency_ended_on: date(meta::get(db, EMERGENCY_ENDED).await?),
        purge_on: date(meta::get(db, PURGE_ON).await?),
        purged_households: meta::get(db, PURGED).await?.and_then(|v| v.parse().ok()),
    })
}

/// Ends the emergency `today`: the purge is due `days` days later (0: now, done here).
pub async fn end_emergency(
    db: &Db,
    admin: i64,
    days: u32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<RetentionStatus, sqlx::Error> {
    let purge_on = today + chrono::Duration::days(i64::from(days));
    let mut tx = db.begin().await?;
    meta::set(&mut tx, EMERGENCY_ENDED, &today.to_string()).await?;
    meta::set(&mut tx, PURGE_ON, &purge_on.to_string()).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(admin), "emergency.end")
            .detail(serde_json::json!({ "purge_on": purge_on, "days": days })),
        now,
    )
    .await?;
    tx.commit().await?;
    purge_if_due(db, today, now).await?;
    status(db).await
}

/// Deletes residents' personal data once the stated day has come. Runs after the admin
/// ends the emergency and from the server's housekeeping (`jobs::run_due`). Returns the
/// households deleted, or `None` when nothing was due.
pub async fn purge_if_due(
    db: &Db,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<u64>, sqlx::Error> {
    let Some(purge_on) = meta::get(db, PURGE_ON)
        .await?
        .and_then(|v| v.parse::<NaiveDate>().ok())
    else {
        return Ok(None);
    };
    if purge_on > today || meta::get(db, PURGED).await?.is_some() {
        return Ok(None);
    }
    let mut tx = db.begin().await?;
    let deleted = db::residents::purge_personal_data(&mut tx, now).await?;
    meta::set(&mut tx, PURGED, &deleted.to_string()).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(None, "residents.purge")
            .detail(serde_json::json!({ "households": deleted })),
        now,
    )
    .await?;
    tx.commit().await?;
    db::residents::compact(db).await?;
    Ok(Some(deleted))
}
