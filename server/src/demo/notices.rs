//! The demo board: the five public notices in `shared/seeds/`, published.

use super::Community;
use crate::db::{self, Tx};
use anyhow::Context;
use serde::Deserialize;
use shouwang_api::notices::{NoticeCategory, NoticeInput};

const SEED_NOTICES: &str = include_str!("notices.json");

#[derive(Deserialize)]
struct SeedNotice {
    title: String,
    body: String,
    category: NoticeCategory,
    issuing_body: Option<String>,
    doc_number: Option<String>,
    issued_on: Option<chrono::NaiveDate>,
    pinned: bool,
}

pub async fn seed(tx: &mut Tx, community: &Community) -> anyhow::Result<()> {
    let author = community
        .account("wangli")
        .context("the demo grid worker")?;
    let seeds: Vec<SeedNotice> =
        serde_json::from_str(SEED_NOTICES).context("reading the seed notices")?;
    for seed in seeds {
        let input = NoticeInput {
            title: seed.title,
            body: seed.body,
            category: seed.category,
            issuing_body: seed.issuing_body,
            doc_number: seed.doc_number,
            issued_on: seed.issued_on,
            expires_at: None,
            pinned: seed.pinned,
        };
        let notice = input
            .validate()
            .map_err(|e| anyhow::anyhow!("seed notice: {e}"))?;
        db::notices::insert_published(tx, &notice, author, community.now).await?;
    }
    Ok(())
}
