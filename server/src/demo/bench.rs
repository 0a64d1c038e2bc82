//! `shouwang bench-seed`: a community the size of a district's surge, for the benchmark.
//!
//! Not the demo: thousands of rows, one staff account, and a JSON file telling the
//! benchmark how to sign in.

use crate::db::{self, Db, notices::NoticeRecord};
use crate::domain::{notices as rules, passwords, sessions::random_password};
use serde::Serialize;
use shouwang_api::auth::Role;
use shouwang_api::notices::{NoticeCategory, NoticeInput, NoticeStatus};

#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub notices: usize,
}

/// What the benchmark needs to drive the seeded server.
#[derive(Debug, Serialize)]
pub struct Seeded {
    pub staff_username: String,
    pub staff_password: String,
    pub notices: usize,
}

pub async fn seed(db: &Db, sizes: Sizes) -> anyhow::Result<Seeded> {
    anyhow::ensure!(
        db::users::count(db).await? == 0,
        "bench-seed fills an empty database only"
    );
    let password = random_password();
    let hash = passwords::hash_blocking(&password)?;
    let mut tx = db.begin().await?;
    let staff =
        db::users::insert_in(&mut tx, "bench-staff", "压测网格员", Role::Staff, &hash).await?;
    let body = include_str!("notices.json");
    let seeds: Vec<serde_json::Value> = serde_json::from_str(body)?;
    for i in 0..sizes.notices {
        let seed = &seeds[i % seeds.len()];
        let input = NoticeInput {
            title: format!(
                "{}（第{}号）",
                seed["title"].as_str().unwrap_or("通知"),
                i + 1
            ),
            body: seed["body"].as_str().unwrap_or("正文").to_owned(),
            category: NoticeCategory::ALL[i % NoticeCategory::ALL.len()],
            issuing_body: seed["issuing_body"].as_str().map(str::to_owned),
            doc_number: None,
            issued_on: None,
            expires_at: None,
            pinned: i % 97 == 0,
        };
        let notice = input
            .validate()
            .map_err(|e| anyhow::anyhow!("synthetic notice: {e}"))?;
        let rendered = rules::render(&notice);
        let record = NoticeRecord {
            notice: &notice,
            body_html: &rendered.body_html,
            excerpt: &rendered.excerpt,
        };
        let id = db::notices::insert(&mut tx, record, staff).await?;
        db::notices::change_status(&mut tx, id, NoticeStatus::Draft, NoticeStatus::Published)
            .await?;
    }
    tx.commit().await?;
    Ok(Seeded {
        staff_username: "bench-staff".into(),
        staff_password: password,
        notices: sizes.notices,
    })
}
