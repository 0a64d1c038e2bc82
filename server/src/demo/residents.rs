//! The demo ledger: rooms in every unit, the two grid workers assigned to their grids,
//! and some households (self-registered and registered at the door) with door visits,
//! so the coverage map shows covered and unknocked doors side by side.

use super::Community;
use crate::db::sql;
use crate::db::{self, Tx, community, residents::NewHousehold};
use anyhow::Context;
use shouwang_api::residents::{
    ArrivalFrom, MemberInput, Relation, RiskCategory, RiskInfo, Source, SpecialGroup, VisitOutcome,
};

const FAMILY: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
const GIVEN: [&str; 8] = ["建国", "秀英", "桂兰", "志强", "海燕", "明", "淑珍", "伟"];

fn member(n: usize, relation: Relation, birth_year: i32, groups: Vec<SpecialGroup>) -> MemberInput {
    MemberInput {
        name: format!("{}{}", FAMILY[n % 8], GIVEN[(n / 8 + n) % 8]),
        phone: (birth_year > 1950).then(|| format!("139{:08}", 10_000 + n)),
        relation,
        birth_year,
        id_number: None,
        groups,
        risk: RiskInfo::default(),
    }
}

pub async fn seed(tx: &mut Tx, demo: &Community) -> anyhow::Result<()> {
    let rooms: Vec<String> = (1..=6)
        .flat_map(|floor| (1..=2).map(move |door| format!("{floor}0{door}")))
        .collect();
    for grid in &demo.grids {
        for building in &grid.buildings {
            for unit in &building.units {
                community::insert_rooms(tx, *unit, &rooms, demo.now).await?;
            }
        }
    }
    for (username, grid) in [("wangli", 0), ("zhaoqiang", 1)] {
        let user = demo.account(username).context("a demo grid worker")?;
        let grid = demo.grids.get(grid).context("a demo grid")?;
        community::set_grid_staff(tx, grid.id, &[user]).await?;
    }
    let worker = demo.account("wangli").context("the demo grid worker")?;
    let today = demo.today;

    let room_ids: Vec<i64> = sql::query_scalar("SELECT id FROM rooms ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    // Every third room has a household; every seventh of the rest had a knock.
    for (n, room_id) in room_ids.iter().enumerate() {
        let place = community::room_place(tx, *room_id)
            .await?
            .context("a demo room")?;
        if n.is_multiple_of(3) {
            let mut members = vec![member(
                n,
                Relation::SelfPerson,
                1960 + (n % 30) as i32,
                vec![],
            )];
            match n % 4 {
                0 => members.push(member(
                    n + 1,
                    Relation::Spouse,
                    1962 + (n % 25) as i32,
                    vec![],
                )),
                1 => {
                    members = vec![member(
                        n,
                        Relation::SelfPerson,
                        1938 + (n % 10) as i32,
                        vec![SpecialGroup::ElderlyAlone],
                    )]
                }
                2 => {
                    let mut returning = member(n + 2, Relation::Child, 1995, vec![]);
                    returning.risk = RiskInfo {
                        arrival_date: Some(today - chrono::Duration::days(3)),
                        arrival_from: Some(ArrivalFrom::RiskArea),
                        arrival_place: Some("外省某市".into()),
                        category: Some(RiskCategory::RiskAreaReturn),
                        observation_start: Some(today - chrono::Duration::days(3)),
                        observation_end: Some(today + chrono::Duration::days(11)),
                    };
                    members.push(returning);
                }
                _ => members.push(member(
                    n + 3,
                    Relation::Child,
                    2014,
                    vec![SpecialGroup::MedicalFamily],
                )),
            }
            let valid = members
                .iter()
                .map(|m| m.validate(today, false))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| anyhow::anyhow!("demo member: {e}"))?;
            let source = if n.is_multiple_of(2) {
                Source::SelfRegistered
            } else {
                Source::Staff
            };
            let new = NewHousehold {
                place: &place,
                source,
                pending: false,
                consent_sensitive: false,
                created_by: Some(worker),
            };
            let id = db::residents::insert_household(tx, new, &valid, demo.now).await?;
            if source == Source::Staff {
                db::residents::insert_visit(
                    tx,
                    &place,
                    db::residents::NewVisit {
                        household_id: Some(id),
                        worker_id: worker,
                        visited_on: today - chrono::Duration::days((n % 9) as i64),
                        outcome: VisitOutcome::Registered,
                        note: None,
                    },
                    demo.now,
                )
                .await?;
            }
        } else if n.is_multiple_of(7) {
            let outcome = if n.is_multiple_of(2) {
                VisitOutcome::NobodyHome
            } else {
                VisitOutcome::Refused
            };
            db::residents::insert_visit(
                tx,
                &place,
                db::residents::NewVisit {
                    household_id: None,
                    worker_id: worker,
                    visited_on: today - chrono::Duration::days(1),
                    outcome,
                    note: None,
                },
                demo.now,
            )
            .await?;
        }
    }
    Ok(())
}
