//! The demo's sealed building: 1号楼 of the first grid is sealed (announced on the board),
//! and two of its households have asked for supplies, one already on its way; a third has a
//! medicine run (代配药) under way, its 医保卡 with the volunteer.

use super::Community;
use crate::db::sql;
use crate::db::{self, Tx};
use crate::domain::{supplies as rules, zones};
use anyhow::Context;
use chrono::Duration;
use shouwang_api::auth::Role;
use shouwang_api::medicine::{CustodyItemKind, CustodyMarks, ValidLine, ValidMedicineRequest};
use shouwang_api::supplies::{RequestState, Urgency};
use shouwang_api::zones::{ValidZoneChange, Zone};

pub async fn seed(tx: &mut Tx, demo: &Community) -> anyhow::Result<()> {
    let worker = demo.account("wangli").context("the demo grid worker")?;
    let building = demo
        .grids
        .first()
        .and_then(|g| g.buildings.first())
        .context("a demo building")?
        .id;
    let now = demo.now;
    let change = ValidZoneChange {
        zone: Zone::Sealed,
        starts_at: now - Duration::days(2),
        planned_end: Some(now + Duration::days(12)),
        reason: "楼内发现阳性感染者，按规定划为封控区".to_owned(),
        internal_note: None,
        contact_name: None,
        contact_phone: None,
    };
    let set_by = zones::SetBy {
        name: "王丽",
        role: Role::Staff,
    };
    let notice = zones::zone_notice("1号楼", &change, &set_by, demo.calendar, now);
    let notice_id = db::notices::insert_published(tx, &notice, worker, now).await?;
    db::zones::change(tx, building, &change, worker, notice_id, now).await?;

    let households: Vec<(i64, i64, Option<String>)> = sql::query_as(
        "SELECT id, grid_id, head_phone FROM households WHERE building_id = ? ORDER BY id LIMIT 3",
    )
    .bind(building)
    .fetch_all(&mut **tx)
    .await?;
    let volunteer: Option<i64> =
        sql::query_scalar("SELECT user_id FROM volunteers WHERE status = 'approved' LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
    let requests = [
        (
            "medicine",
            "硝苯地平缓释片（慢性病常规用药）一盒",
            RequestState::Submitted,
            None,
        ),
        (
            "grocery",
            "大米 5 斤、鸡蛋 1 盒、青菜若干",
            RequestState::Assigned,
            volunteer,
        ),
    ];
    for ((household, grid, phone), (kind, items, state, volunteer)) in
        households.iter().take(2).zip(requests)
    {
        let id: i64 = sql::query_scalar(
            "INSERT INTO supply_requests (household_id, grid_id, building_id, requested_by, kind, urgency,
                 priority, items, contact_phone, pickup_code, state, volunteer_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, 'normal', TRUE, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(household)
        .bind(grid)
        .bind(building)
        .bind(worker)
        .bind(kind)
        .bind(items)
        .bind(phone)
        .bind(rules::pickup_code())
        .bind(state.as_str())
        .bind(volunteer)
        .bind(now - Duration::hours(3))
        .bind(now - Duration::hours(2))
        .fetch_one(&mut **tx)
        .await?;
        db::supplies::insert_event(
            tx,
            id,
            worker,
            None,
            RequestState::Submitted,
            db::supplies::EventText {
                note: Some("电话代登记"),
                detail: None,
            },
            now,
        )
        .await?;
        if state == RequestState::Assigned {
            db::supplies::insert_event(
                tx,
                id,
                worker,
                Some(RequestState::Submitted),
                state,
                db::supplies::EventText::default(),
                now,
            )
            .await?;
        }
    }
    if let (Some((household, grid, phone)), Some(volunteer)) = (households.get(2), volunteer) {
        medicine_run(
            tx,
            demo,
            (*household, *grid, phone.as_deref()),
            building,
            volunteer,
        )
        .await?;
    }
    Ok(())
}

/// A chronic patient's regular medicine, assigned to the demo volunteer, who holds the
/// 医保卡 (both sides confirmed this morning); the 病历本 stays at home.
async fn medicine_run(
    tx: &mut Tx,
    demo: &Community,
    (household, grid, phone): (i64, i64, Option<&str>),
    building: i64,
    volunteer: i64,
) -> anyhow::Result<()> {
    let worker = demo.account("wangli").context("the demo grid worker")?;
    let now = demo.now;
    let request = ValidMedicineRequest {
        lines: vec![
            ValidLine {
                drug: "苯磺酸氨氯地平片".to_owned(),
                dose: Some("5mg".to_owned()),
                quantity: "2盒".to_owned(),
            },
            ValidLine {
                drug: "阿司匹林肠溶片".to_owned(),
                dose: Some("100mg".to_owned()),
                quantity: "1盒".to_owned(),
            },
        ],
        hospital: "区第一人民医院".to_owned(),
        handed_over: vec![CustodyItemKind::InsuranceCard, CustodyItemKind::RecordBook],
        urgency: Urgency::Normal,
        notes: None,
        contact_phone: None,
    };
    let id: i64 = sql::query_scalar(
        "INSERT INTO supply_requests (household_id, grid_id, building_id, requested_by, kind, urgency,
             priority, items, contact_phone, pickup_code, state, volunteer_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'prescription', 'normal', TRUE, ?, ?, ?, 'assigned', ?, ?, ?) RETURNING id",
    )
    .bind(household)
    .bind(grid)
    .bind(building)
    .bind(worker)
    .bind(request.summary())
    .bind(phone)
    .bind(rules::pickup_code())
    .bind(volunteer)
    .bind(now - Duration::hours(5))
    .bind(now - Duration::hours(4))
    .fetch_one(&mut **tx)
    .await?;
    db::supplies::insert_event(
        tx,
        id,
        worker,
        None,
        RequestState::Submitted,
        db::supplies::EventText::default(),
        now - Duration::hours(5),
    )
    .await?;
    db::supplies::insert_event(
        tx,
        id,
        worker,
        Some(RequestState::Submitted),
        RequestState::Assigned,
        db::supplies::EventText::default(),
        now - Duration::hours(4),
    )
    .await?;
    db::medicine::insert(tx, id, &request).await?;
    let card: i64 = sql::query_scalar(
        "SELECT id FROM custody_items WHERE request_id = ? AND kind = 'insurance_card'",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let taken = CustodyMarks {
        volunteer_took_at: Some(now - Duration::hours(3)),
        resident_gave_at: Some(now - Duration::hours(3)),
        ..CustodyMarks::default()
    };
    db::medicine::set_marks(tx, card, &CustodyMarks::default(), &taken, Some(volunteer)).await?;
    Ok(())
}
