//! A testing round for the demo: tomorrow's 全员核酸检测 of the first building, a half-hour
//! slot per unit from 08:00, scheduled by the grid worker.

use super::Community;
use crate::db::testing::BuildingRow;
use crate::db::{self, Tx};
use anyhow::Context;
use chrono::NaiveTime;
use shouwang_api::testing::{ValidRound, ValidSlot, sequential_slots};

pub async fn seed(tx: &mut Tx, demo: &Community) -> anyhow::Result<()> {
    let worker = demo.account("wangli").context("the demo grid worker")?;
    let grid = demo.grids.first().context("a demo grid")?;
    let building = grid.buildings.first().context("a demo building")?;
    let start = NaiveTime::from_hms_opt(8, 0, 0).context("08:00")?;
    let slots = sequential_slots(start, 30, building.units.len())
        .into_iter()
        .zip(&building.units)
        .map(|((start, end), unit_id)| ValidSlot {
            unit_id: *unit_id,
            start,
            end,
        })
        .collect();
    let round = ValidRound {
        name: "第3轮全员核酸检测".into(),
        date: demo.today + chrono::Duration::days(1),
        place: "小区东门广场采样点".into(),
        notes: Some(
            "请携带身份证、出示健康码，全程佩戴口罩，排队保持1米以上间距。行动不便的老人由工作人员上门采样。"
                .into(),
        ),
        building_ids: vec![building.id],
        slots,
    };
    let buildings = [BuildingRow {
        id: building.id,
        grid_id: grid.id,
        in_scope: true,
    }];
    let units: Vec<(i64, i64)> = building.units.iter().map(|u| (*u, building.id)).collect();
    db::testing::insert_round(tx, &round, &buildings, &units, worker, demo.now).await?;
    Ok(())
}
