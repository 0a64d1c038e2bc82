//! `--demo`: a small community to try Shouwang with, and sign-ins to try it as.
//!
//! Each feature adds its part in its own module here (`notices` below is the first),
//! called from [`prepare`] in one transaction.
//!
//! Only an empty database is filled. A database filled by `--demo` remembers it, and on
//! each later `--demo` start the demo accounts get fresh passwords, printed again, so
//! the first README command always ends with sign-ins that work.

pub mod bench;
pub mod deployment;
mod health;
mod notices;
mod residents;
mod submissions;
mod supplies;
mod testing;
mod volunteers;
mod workers;

use crate::clock::{Clock, CommunityClock};
use crate::db::{self, Db, Tx, community, meta};
use crate::domain::{passwords, sessions::random_password};
use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::auth::Role;
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

/// What the demo community is made of, for each feature's seeding to build on.
pub struct Community {
    /// Account ids by username.
    pub accounts: Vec<(&'static str, i64)>,
    pub grids: Vec<DemoGrid>,
    /// When the demo is made, and that day and calendar in the community.
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub calendar: CommunityClock,
}

pub struct DemoGrid {
    pub id: i64,
    pub buildings: Vec<DemoBuilding>,
}

pub struct DemoBuilding {
    pub id: i64,
    pub units: Vec<i64>,
}

impl Community {
    pub fn account(&self, username: &str) -> Option<i64> {
        self.accounts
            .iter()
            .find(|(name, _)| *name == username)
            .map(|(_, id)| *id)
    }
}

pub async fn prepare(db: &Db, clock: &Clock) -> anyhow::Result<Vec<DemoAccount>> {
    let now = clock.now();
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
    let community = seed_structure(&mut tx, &accounts, &hashes, clock).await?;
    notices::seed(&mut tx, &community).await?;
    residents::seed(&mut tx, &community).await?;
    volunteers::seed(&mut tx, &community).await?;
    submissions::seed(&mut tx, &community).await?;
    supplies::seed(&mut tx, &community).await?;
    health::seed(&mut tx, &community).await?;
    testing::seed(&mut tx, &community).await?;
    workers::seed(&mut tx, &community).await?;
    meta::set(&mut tx, MARKER, &now.to_rfc3339()).await?;
    tx.commit().await?;
    Ok(accounts)
}

/// Printed to stdout; a closed stdout (piped into `head`) must not bring the server down,
/// so write errors are ignored rather than panicking as `println!` would.
async fn seed_structure(
    tx: &mut Tx,
    accounts: &[DemoAccount],
    hashes: &[String],
    clock: &Clock,
) -> anyhow::Result<Community> {
    let now = clock.now();
    let mut ids = Vec::with_capacity(accounts.len());
    for (account, hash) in accounts.iter().zip(hashes) {
        let id = db::users::insert_in(
            tx,
            account.username,
            account.display_name,
            account.role,
            hash,
            now,
        )
        .await
        .context("creating demo accounts")?;
        ids.push((account.username, id));
    }
    let mut grids = Vec::new();
    for (grid, buildings) in STRUCTURE {
        let grid_id = community::insert_grid(tx, grid, now).await?;
        let mut demo_buildings = Vec::new();
        for building in buildings {
            let building_id = community::insert_building(tx, grid_id, building, now).await?;
            let mut units = Vec::new();
            for unit in ["1单元", "2单元"] {
                units.push(community::insert_unit(tx, building_id, unit, now).await?);
            }
            demo_buildings.push(DemoBuilding {
                id: building_id,
                units,
            });
        }
        grids.push(DemoGrid {
            id: grid_id,
            buildings: demo_buildings,
        });
    }
    Ok(Community {
        accounts: ids,
        grids,
        now,
        today: clock.today(),
        calendar: clock.community(),
    })
}

/// `path`: where the community's pages are (`/c/<slug>`).
pub fn print_sign_ins(accounts: &[DemoAccount], addr: SocketAddr, path: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Demo community ready: 守望社区 (3 grids, 6 buildings, 12 units, 5 notices)."
    );
    let _ = writeln!(
        out,
        "Open http://{addr}{path}/ and sign in at http://{addr}{path}/login as:"
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
