//! The rules of the ledger: masking, a room's coverage status, coverage figures, and the
//! export table. Plain functions over plain types.

use crate::db::residents::{CoverageRow, ExportLine, StoredHousehold};
use crate::domain::export::Table;
use shouwang_api::privacy::{mask_id_number, mask_phone};
use shouwang_api::residents::{
    ArrivalFrom, BuildingCoverage, GridCoverage, Household, HouseholdSummary, Member,
    ObservationStatus, Relation, RiskCategory, RoomCoverage, RoomStatus, Source, SpecialGroup,
    VisitOutcome,
};

/// Phones and IDs masked: what a staff list or a staff detail shows until "reveal".
pub fn mask_member(member: &mut Member) {
    member.phone = member.phone.as_deref().map(mask_phone);
    member.id_number = member.id_number.as_deref().map(mask_id_number);
}

pub fn household_view(stored: StoredHousehold, reveal: bool) -> Household {
    let mut members = stored.members;
    if !reveal {
        members.iter_mut().for_each(mask_member);
    }
    Household {
        id: stored.id,
        address: stored.address,
        source: stored.source,
        active: stored.active,
        consent_sensitive: stored.consent_sensitive,
        members,
        visits: stored.visits,
        revealed: reveal,
        updated_at: stored.updated_at,
    }
}

pub fn mask_summary(mut s: HouseholdSummary) -> HouseholdSummary {
    s.head_phone = s.head_phone.as_deref().map(mask_phone);
    s
}

/// A room's colour on the coverage map. A registered household wins over the last
/// knock; without one, the last knock says what happened at the door.
pub fn room_status(source: Option<Source>, last_visit: Option<VisitOutcome>) -> RoomStatus {
    match (source, last_visit) {
        (Some(Source::SelfRegistered), _) => RoomStatus::SelfRegistered,
        (Some(Source::Staff), _) | (None, Some(VisitOutcome::Registered)) => {
            RoomStatus::StaffRegistered
        }
        (None, Some(VisitOutcome::NobodyHome)) => RoomStatus::NobodyHome,
        (None, Some(VisitOutcome::Refused)) => RoomStatus::Refused,
        (None, Some(VisitOutcome::MovedOut)) => RoomStatus::MovedOut,
        (None, None) => RoomStatus::Unknown,
    }
}

/// Groups room rows (in grid, building order) into per-grid and per-building figures.
pub fn coverage(rows: Vec<CoverageRow>) -> Vec<GridCoverage> {
    let mut grids: Vec<GridCoverage> = Vec::new();
    for row in rows {
        let source = row.source;
        let visit = row.last_outcome;
        let status = room_status(source, visit);
        if grids.last().is_none_or(|g| g.grid_id != row.grid_id) {
            grids.push(GridCoverage {
                grid_id: row.grid_id,
                name: row.grid.clone(),
                known: 0,
                registered: 0,
                visited: 0,
                covered: 0,
                buildings: Vec::new(),
            });
        }
        let Some(grid) = grids.last_mut() else {
            continue;
        };
        if grid
            .buildings
            .last()
            .is_none_or(|b| b.building_id != row.building_id)
        {
            grid.buildings.push(BuildingCoverage {
                building_id: row.building_id,
                name: row.building.clone(),
                head_name: row.head_name.clone(),
                known: 0,
                registered: 0,
                visited: 0,
                covered: 0,
                rooms: Vec::new(),
            });
        }
        let Some(building) = grid.buildings.last_mut() else {
            continue;
        };
        let registered = u32::from(source.is_some());
        let visited = u32::from(visit.is_some());
        let covered = u32::from(status.covered());
        for (known_n, reg_n, vis_n, cov_n) in [
            (
                &mut grid.known,
                &mut grid.registered,
                &mut grid.visited,
                &mut grid.covered,
            ),
            (
                &mut building.known,
                &mut building.registered,
                &mut building.visited,
                &mut building.covered,
            ),
        ] {
            *known_n += 1;
            *reg_n += registered;
            *vis_n += visited;
            *cov_n += covered;
        }
        building.rooms.push(RoomCoverage {
            room_id: row.room_id,
            unit: row.unit,
            room: row.room,
            status,
        });
    }
    grids
}

/// The export table: one line per person, phones and IDs masked, names in full (the
/// report upward needs them). Labels are Chinese: the file goes to the 街道.
pub fn export_table(lines: &[ExportLine]) -> Table {
    let mut table = Table::new([
        "户编号",
        "网格",
        "楼栋",
        "单元",
        "房号",
        "姓名",
        "与登记人关系",
        "出生年份",
        "手机号",
        "身份证号",
        "特殊群体",
        "四类人群",
        "来返日期",
        "来自",
        "来源地",
        "居家观察",
        "观察开始",
        "观察结束",
        "登记方式",
        "最近走访",
        "走访结果",
    ]);
    for line in lines {
        let m = &line.member;
        let opt_date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        table.push(vec![
            line.household_id.to_string(),
            line.address.grid.clone(),
            line.address.building.clone(),
            line.address.unit.clone(),
            line.address.room.clone(),
            m.name.clone(),
            relation_label(m.relation).into(),
            m.birth_year.to_string(),
            m.phone.as_deref().map(mask_phone).unwrap_or_default(),
            m.id_number
                .as_deref()
                .map(mask_id_number)
                .unwrap_or_default(),
            m.groups
                .iter()
                .map(|g| group_label(*g))
                .collect::<Vec<_>>()
                .join("、"),
            m.risk.category.map(risk_label).unwrap_or_default().into(),
            opt_date(m.risk.arrival_date),
            m.risk
                .arrival_from
                .map(arrival_label)
                .unwrap_or_default()
                .into(),
            m.risk.arrival_place.clone().unwrap_or_default(),
            observation_label(m.observation).into(),
            opt_date(m.risk.observation_start),
            opt_date(m.risk.observation_end),
            source_label(line.source).into(),
            opt_date(line.last_visit_on),
            line.last_visit_outcome
                .map(outcome_label)
                .unwrap_or_default()
                .into(),
        ]);
    }
    table
}

pub fn group_label(g: SpecialGroup) -> &'static str {
    match g {
        SpecialGroup::ElderlyAlone => "独居/空巢老人",
        SpecialGroup::ChildInDifficulty => "困境儿童",
        SpecialGroup::Disabled => "残疾人",
        SpecialGroup::Pregnant => "孕产妇",
        SpecialGroup::ChronicIllness => "慢性病/特殊疾病",
        SpecialGroup::SeriouslyIll => "重病重残",
        SpecialGroup::Destitute => "分散供养特困人员",
        SpecialGroup::MedicalFamily => "一线医务人员家属",
    }
}

fn relation_label(r: Relation) -> &'static str {
    match r {
        Relation::SelfPerson => "本人",
        Relation::Spouse => "配偶",
        Relation::Child => "子女",
        Relation::Parent => "父母",
        Relation::Grand => "祖孙",
        Relation::Relative => "其他亲属",
        Relation::Other => "其他",
    }
}

fn risk_label(r: RiskCategory) -> &'static str {
    match r {
        RiskCategory::Investigated => "协查人员",
        RiskCategory::RiskAreaReturn => "中高风险地区来返人员",
        RiskCategory::AbroadReturn => "境外来返人员",
        RiskCategory::CloseContact => "密切接触者/次密接",
    }
}

fn arrival_label(a: ArrivalFrom) -> &'static str {
    match a {
        ArrivalFrom::OtherCity => "外省市",
        ArrivalFrom::RiskArea => "中高风险地区",
        ArrivalFrom::Abroad => "境外",
    }
}

fn observation_label(o: ObservationStatus) -> &'static str {
    match o {
        ObservationStatus::Active => "观察中",
        ObservationStatus::Ended => "已解除",
        ObservationStatus::NotObserved => "",
    }
}

fn source_label(s: Source) -> &'static str {
    match s {
        Source::SelfRegistered => "自主登记",
        Source::Staff => "入户登记",
    }
}

fn outcome_label(o: VisitOutcome) -> &'static str {
    match o {
        VisitOutcome::Registered => "已登记",
        VisitOutcome::NobodyHome => "无人在家",
        VisitOutcome::Refused => "拒绝登记",
        VisitOutcome::MovedOut => "已搬离",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shouwang_api::residents::{Address, RiskInfo};

    fn row(
        building_id: i64,
        room: &str,
        source: Option<&str>,
        outcome: Option<&str>,
    ) -> CoverageRow {
        CoverageRow {
            grid_id: 1,
            grid: "第一网格".into(),
            building_id,
            building: format!("{building_id}号楼"),
            head_name: None,
            unit: "1单元".into(),
            room_id: building_id * 100 + room.len() as i64,
            room: room.into(),
            source: source.map(|s| Source::parse(s).expect("a source")),
            last_outcome: outcome.map(|o| VisitOutcome::parse(o).expect("an outcome")),
        }
    }

    #[test]
    fn a_registration_outranks_the_last_knock() {
        assert_eq!(
            room_status(Some(Source::SelfRegistered), Some(VisitOutcome::NobodyHome)),
            RoomStatus::SelfRegistered
        );
        assert_eq!(
            room_status(None, Some(VisitOutcome::Refused)),
            RoomStatus::Refused
        );
        assert_eq!(room_status(None, None), RoomStatus::Unknown);
        assert!(!RoomStatus::Unknown.covered());
        assert!(RoomStatus::NobodyHome.covered());
    }

    #[test]
    fn coverage_counts_known_registered_visited_and_covered_doors() {
        let grids = coverage(vec![
            row(1, "101", Some("self"), None),
            row(1, "102", None, Some("nobody_home")),
            row(1, "103", None, None),
            row(2, "201", Some("staff"), Some("registered")),
        ]);
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        assert_eq!((g.known, g.registered, g.visited, g.covered), (4, 2, 2, 3));
        assert_eq!(g.buildings.len(), 2);
        let b = &g.buildings[0];
        assert_eq!((b.known, b.registered, b.visited, b.covered), (3, 1, 1, 2));
        assert_eq!(b.rooms[2].status, RoomStatus::Unknown);
    }

    #[test]
    fn exports_mask_phones_and_ids_but_keep_names() {
        let line = ExportLine {
            household_id: 7,
            address: Address {
                grid_id: 1,
                grid: "第一网格".into(),
                building_id: 1,
                building: "1号楼".into(),
                unit: "1单元".into(),
                room_id: 1,
                room: "101".into(),
            },
            source: Source::SelfRegistered,
            last_visit_on: None,
            last_visit_outcome: None,
            member: Member {
                id: 1,
                name: "张桂兰".into(),
                phone: Some("13912345678".into()),
                relation: Relation::SelfPerson,
                birth_year: 1944,
                id_number: Some("11010519491231002X".into()),
                groups: vec![SpecialGroup::ElderlyAlone],
                risk: RiskInfo::default(),
                observation: ObservationStatus::NotObserved,
            },
        };
        let table = export_table(&[line]);
        let row = &table.rows[0];
        assert!(row.contains(&"张桂兰".to_string()));
        assert!(row.contains(&"139****5678".to_string()));
        assert!(row.contains(&"110105**********2X".to_string()));
        assert!(row.contains(&"独居/空巢老人".to_string()));
        assert!(!row.iter().any(|c| c.contains("13912345678")));
    }
}
