//! Health monitoring's use cases that span queries: a check-in (stored, audited, and
//! staff told of a fever), ending observation periods.

use crate::db::{self, Db, audit};
use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::health::ValidCheckIn;
use shouwang_api::notifications::Message;

/// Stores one check-in of a person of `household`, audits it, and tells the grid's staff
/// about a fever or symptoms. `false` when the person is not of that household.
pub async fn record_check_in(
    tx: &mut db::Tx,
    household: i64,
    check_in: &ValidCheckIn,
    actor: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(person) = db::health::person_in_household(tx, household, check_in.member_id).await?
    else {
        return Ok(false);
    };
    let id = db::health::upsert_check_in(tx, &person, check_in, today, actor, now).await?;
    audit::record(
        tx,
        audit::Entry::new(Some(actor), "health.check_in")
            .target("member", person.member_id)
            .detail(serde_json::json!({ "check_in": id, "flagged": check_in.flagged() })),
        now,
    )
    .await?;
    if check_in.flagged() {
        for staff in db::scope::staff_of_grid(tx, person.grid_id).await? {
            db::notifications::notify(
                tx,
                staff,
                &Message::HealthFlagged {
                    name: person.name.clone(),
                },
                Some("/staff/health"),
                now,
            )
            .await?;
        }
    }
    Ok(true)
}

/// Closes observation periods whose end date has passed: the record stays, the household
/// is told. Runs from the server's housekeeping (`jobs::run_due`).
pub async fn end_due_observations(
    db: &Db,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin().await?;
    let ended = db::health::end_due_observations(&mut tx, today, now).await?;
    for (member_id, household_id) in &ended {
        for account in db::health::accounts_of_household(&mut tx, *household_id).await? {
            db::notifications::notify(
                &mut tx,
                account,
                &Message::ObservationEnded { member: *member_id },
                Some("/my-household"),
                now,
            )
            .await?;
        }
        audit::record(
            &mut tx,
            audit::Entry::new(None, "health.observation_end").target("member", *member_id),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ended.len())
}
