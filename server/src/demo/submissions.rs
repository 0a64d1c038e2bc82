//! Demo reports on the board: a few waiting in the moderation queue, one verified with
//! its source, and the first demo notice asking every household for a receipt (回执),
//! so the queue, the board and the follow-up list all have something to show.

use super::Community;
use crate::db::sql;
use crate::db::{self, Tx};
use anyhow::Context;
use shouwang_api::submissions::{SubmissionCategory, SubmissionInput, VerifyInput};

const REPORTS: [(SubmissionCategory, &str, &str); 4] = [
    (
        SubmissionCategory::SupplyDrop,
        "东门今天下午 3 点发放蔬菜包，每户一份，请带好出入证。",
        "东门",
    ),
    (
        SubmissionCategory::RumourCheck,
        "业主群里说明天全区封控三天，是真的吗？",
        "",
    ),
    (
        SubmissionCategory::Outage,
        "2号楼今晚 10 点到 12 点停水检修。",
        "2号楼",
    ),
    (
        SubmissionCategory::Question,
        "老人的慢性病药快吃完了，可以请志愿者代购吗？",
        "",
    ),
];

pub async fn seed(tx: &mut Tx, demo: &Community) -> anyhow::Result<()> {
    let moderator = demo.account("wangli").context("a demo grid worker")?;
    let mut first = None;
    for (category, text, place) in REPORTS {
        let input = SubmissionInput {
            category,
            text: text.into(),
            place: Some(place.into()),
            building_id: None,
        };
        let valid = input.validate().context("a demo report")?;
        let id = db::submissions::insert(tx, &valid, None, demo.now).await?;
        first.get_or_insert(id);
    }
    if let Some(id) = first {
        let source = VerifyInput {
            source_who: "物业公司".into(),
            source_how: "电话核实".into(),
            text: None,
        }
        .validate()
        .context("a demo source")?;
        db::submissions::verify(tx, id, moderator, &source, demo.now).await?;
    }
    let notice: Option<i64> =
        sql::query_scalar("SELECT id FROM notices WHERE status = 'published' ORDER BY id LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(notice) = notice {
        db::receipts::require(tx, notice, moderator, &[], demo.now).await?;
    }
    Ok(())
}
