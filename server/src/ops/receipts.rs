//! Read receipts asked of the households a debunk answers.

use crate::db::{self, Tx, audit};
use crate::domain::receipts as rules;
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use serde_json::json;
use shouwang_api::notifications::Message;

/// A debunk reaches the buildings whose residents asked: it asks them for a receipt (so
/// it enters their follow-up lists) and every resident account there is told. Called in
/// the transaction that publishes the debunk, with the submissions it answers.
pub async fn reach_askers(
    tx: &mut Tx,
    moderator: i64,
    notice_id: i64,
    answered: &[(i64, Option<i64>)],
    now: DateTime<Utc>,
) -> AppResult<()> {
    let ids: Vec<i64> = answered.iter().map(|(id, _)| *id).collect();
    let buildings = rules::asker_buildings(&db::receipts::asker_places(tx, &ids).await?);
    if buildings.is_empty() {
        return Ok(());
    }
    db::receipts::require(tx, notice_id, moderator, &buildings, now).await?;
    let link = format!("/notices/{notice_id}");
    let accounts = db::receipts::resident_accounts_in(tx, &buildings).await?;
    for account in &accounts {
        db::notifications::notify(
            tx,
            *account,
            &Message::ReceiptDebunk { notice_id },
            Some(&link),
            now,
        )
        .await?;
    }
    audit::record(
        tx,
        audit::Entry::new(Some(moderator), "receipt.require")
            .target("notice", notice_id)
            .detail(json!({ "buildings": buildings, "told": accounts.len() })),
        now,
    )
    .await?;
    Ok(())
}
