//! `--demo`: a small community to try Shouwang with, and sign-ins to try it as.
//!
//! Only an empty database is filled. A database filled by `--demo` remembers it, and on
//! each later `--demo` start the demo accounts get fresh passwords, printed again, so
//! the first README command always ends with sign-ins that work.

use crate::db::{self, Db, community, meta, notices::NoticeRecord};
use crate::domain::{notices as rules, passwords, sessions::random_password};
use anyhow::Context;
use serde::Deserialize;
use shouwang_api::auth::Role;
use shouwang_api::notices::{NoticeCategory, NoticeInput, NoticeStatus};
use std::io::Write;
use std::net::SocketAddr;

const MARKER: &str = "demo_community";

pub struct DemoAccount {
    pub role: Role,
    pub username: &'static str,
    pub display_name: &'static str,
    pub password: String,
}

const ACCOUNTS: [(Role, &str, &str); 3] = [
    (Role::Admin, "admin", "社区管理员"),
    (Role::Staff, "wangli", "王丽（第一网格网格员）"),
    (Role::Staff, "zhaoqiang", "赵强（第二网格网格员）"),
];

const STRUCTURE: [(&str, [&str; 2]); 3] = [
    ("第一网格", ["1号楼", "2号楼"]),
    ("第二网格", ["3号楼", "4号楼"]),
    ("第三网格", ["5号楼", "6号楼"]),
];

/// Notices taken from the five public notices in `shared/seeds/`.
const SEED_NOTICES: &str = include_str!("demo/notices.json");

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

pub async fn prepare(db: &Db) -> anyhow::Result<Vec<DemoAccount>> {
    let accounts: Vec<DemoAccount> = ACCOUNTS
        .iter()
        .map(|&(role, username, display_name)| DemoAccount {
            role,
            username,
            display_name,
            password: random_password(),
        })
        .collect();
    let mut hashes = Vec::with_capacity(accounts.len());
    for account in &accounts {
        hashes.push(passwords::hash_blocking(&account.password)?);
    }

    if meta::get(db, MARKER).await?.is_some() {
        let mut tx = db.begin().await?;
        for (account, hash) in accounts.iter().zip(&hashes) {
            db::users::set_password(&mut tx, account.username, hash).await?;
        }
        tx.commit().await?;
        return Ok(accounts);
    }
    anyhow::ensure!(
        db::users::count(db).await? == 0,
        "--demo only fills an empty database, and this one already has accounts; \
         start with --database demo.db (or another new file) to try the demo"
    );

    let mut tx = db.begin().await?;
    let mut author = 0;
    for (account, hash) in accounts.iter().zip(&hashes) {
        let id = db::users::insert_in(
            &mut tx,
            account.username,
            account.display_name,
            account.role,
            hash,
        )
        .await
        .context("creating demo accounts")?;
        if account.role == Role::Staff && author == 0 {
            author = id;
        }
    }
    for (grid, buildings) in STRUCTURE {
        let grid_id = community::insert_grid(&mut tx, grid).await?;
        for building in buildings {
            let building_id = community::insert_building(&mut tx, grid_id, building).await?;
            for unit in ["1单元", "2单元"] {
                community::insert_unit(&mut tx, building_id, unit).await?;
            }
        }
    }
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
        let rendered = rules::render(&notice);
        let record = NoticeRecord {
            notice: &notice,
            body_html: &rendered.body_html,
            excerpt: &rendered.excerpt,
        };
        let id = db::notices::insert(&mut tx, record, author).await?;
        db::notices::change_status(&mut tx, id, NoticeStatus::Draft, NoticeStatus::Published)
            .await?;
    }
    meta::set(&mut tx, MARKER, &chrono::Utc::now().to_rfc3339()).await?;
    tx.commit().await?;
    Ok(accounts)
}

/// Printed to stdout; a closed stdout (piped into `head`) must not bring the server down,
/// so write errors are ignored rather than panicking as `println!` would.
pub fn print_sign_ins(accounts: &[DemoAccount], addr: SocketAddr) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Demo community ready: 守望社区 (3 grids, 6 buildings, 12 units, 5 notices)."
    );
    let _ = writeln!(
        out,
        "Open http://{addr}/ and sign in at http://{addr}/login as:"
    );
    for account in accounts {
        let _ = writeln!(
            out,
            "  {:<6} {:<10} password {}   ({})",
            account.role.as_str(),
            account.username,
            account.password,
            account.display_name
        );
    }
    let _ = writeln!(out, "These passwords are new on every start with --demo.");
    let _ = writeln!(out);
    let _ = out.flush();
}
