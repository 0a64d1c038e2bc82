//! The demo's duty roster (值班表): this week's day and night duties of the two grid
//! workers and the head, one of them back on duty too soon after a night, so the roster
//! shows its rest warning.

use super::Community;
use crate::db::Tx;
use crate::db::workers::{self as store, NewDuty};
use anyhow::Context;
use chrono::{Datelike, Duration, NaiveTime};

pub async fn seed(tx: &mut Tx, demo: &Community) -> anyhow::Result<()> {
    let head = demo.account("admin").context("the demo admin")?;
    let wang = demo.account("wangli").context("the first grid worker")?;
    let zhao = demo
        .account("zhaoqiang")
        .context("the second grid worker")?;
    let monday =
        demo.today - Duration::days(i64::from(demo.today.weekday().num_days_from_monday()));
    let at = |day: i64, hour: u32| {
        NaiveTime::from_hms_opt(hour, 0, 0)
            .map(|time| {
                demo.calendar
                    .to_utc((monday + Duration::days(day)).and_time(time))
            })
            .context("a whole hour")
    };
    // (worker, day of the week from Monday, start hour, hours, post)
    let plan: [(i64, i64, u32, i64, &str); 9] = [
        (wang, 0, 8, 12, "值班室"),
        (zhao, 0, 20, 12, "值班室（夜班）"),
        (wang, 1, 8, 8, "1号楼封控区值守"),
        (zhao, 1, 12, 8, "东门卡口"),
        (head, 2, 8, 10, "值班室"),
        (wang, 2, 20, 12, "值班室（夜班）"),
        (zhao, 3, 8, 8, "入户排查"),
        (wang, 4, 8, 8, "物资分发"),
        (zhao, 5, 8, 12, "值班室"),
    ];
    for (worker_id, day, hour, hours, post) in plan {
        let starts_at = at(day, hour)?;
        store::insert(
            tx,
            &NewDuty {
                worker_id,
                starts_at,
                ends_at: starts_at + Duration::hours(hours),
                post,
                note: None,
                created_by: head,
            },
            demo.now,
        )
        .await?;
    }
    Ok(())
}
