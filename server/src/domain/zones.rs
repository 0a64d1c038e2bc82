//! Rules of building zones: the board notice a change publishes, and whom residents call.

use super::shifts::CommunityClock;
use chrono::{DateTime, Utc};
use shouwang_api::auth::Role;
use shouwang_api::notices::{NoticeCategory, ValidNotice};
use shouwang_api::text::is_mainland_mobile;
use shouwang_api::zones::{ValidZoneChange, Zone};

/// Who set a zone, as the board names them (provenance).
pub struct SetBy<'a> {
    pub name: &'a str,
    pub role: Role,
}

fn role_name(role: Role) -> &'static str {
    if role.is_admin() {
        "社区管理员"
    } else {
        "网格员"
    }
}

fn wall(clock: CommunityClock, at: DateTime<Utc>) -> String {
    clock.local(at).format("%Y-%m-%d %H:%M").to_string()
}

/// The official item a zone change puts on the public board: what changed, from when,
/// until when (if announced), why, and who set it when.
pub fn zone_notice(
    building: &str,
    change: &ValidZoneChange,
    set_by: &SetBy<'_>,
    clock: CommunityClock,
    now: DateTime<Utc>,
) -> ValidNotice {
    let mut body = format!(
        "{building}自 {} 起划为**{}**。\n\n原因：{}",
        wall(clock, change.starts_at),
        change.zone.name_zh(),
        change.reason
    );
    if let Some(end) = change.planned_end {
        body.push_str(&format!("\n\n预计解除时间：{}", wall(clock, end)));
    }
    if let Some(phone) = &change.contact_phone {
        let name = change.contact_name.as_deref().unwrap_or("本楼联系人");
        body.push_str(&format!("\n\n联系电话：{name} {phone}"));
    }
    body.push_str(&format!(
        "\n\n{}\n\n发布：{}（{}），{}",
        what_it_means(change.zone),
        set_by.name,
        role_name(set_by.role),
        wall(clock, now)
    ));
    ValidNotice {
        title: format!("{building}调整为{}", change.zone.name_zh()),
        body,
        category: NoticeCategory::Prevention,
        issuing_body: Some("社区防控工作组".to_owned()),
        doc_number: None,
        issued_on: Some(clock.today(now)),
        expires_at: None,
        pinned: change.zone == Zone::Sealed,
    }
}

fn what_it_means(zone: Zone) -> &'static str {
    match zone {
        Zone::Precaution => "防范区：强化社会面管控，严格限制人员聚集。",
        Zone::Controlled => "管控区：人不出区、严禁聚集；生活物资可申请配送到楼。",
        Zone::Sealed => "封控区：足不出户、服务上门；生活物资和药品由志愿者配送到户。",
    }
}

/// Whether a new decision only repeats the building's latest one (the same zone, public
/// reason and planned end): publishing it again would pin a second identical notice.
pub fn is_repeat(latest: (Zone, &str, Option<DateTime<Utc>>), change: &ValidZoneChange) -> bool {
    let (zone, reason, planned_end) = latest;
    zone == change.zone && reason == change.reason && planned_end == change.planned_end
}

/// Whom a resident calls: the contact the zone decision named, else the grid worker when
/// their account name is a phone number, else the 楼栋长.
pub fn contact<'a>(
    decided: (Option<&'a str>, Option<&'a str>),
    worker: Option<(&'a str, &'a str)>,
    head: (Option<&'a str>, Option<&'a str>),
) -> (Option<&'a str>, Option<&'a str>) {
    match (decided, worker) {
        ((name, Some(phone)), _) => (name, Some(phone)),
        (_, Some((name, username))) if is_mainland_mobile(username) => (Some(name), Some(username)),
        _ => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_notice_names_the_zone_the_reason_and_who_set_it() {
        let now = "2026-12-07T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let change = ValidZoneChange {
            zone: Zone::Sealed,
            starts_at: now,
            planned_end: Some(now + chrono::Duration::days(7)),
            reason: "出现阳性病例".into(),
            internal_note: Some("1单元302住户核酸阳性".into()),
            contact_name: Some("王楼长".into()),
            contact_phone: Some("13900000009".into()),
        };
        let set_by = SetBy {
            name: "张网格",
            role: Role::Staff,
        };
        let notice = zone_notice("3号楼", &change, &set_by, CommunityClock::new(480), now);
        assert_eq!(notice.title, "3号楼调整为封控区");
        assert!(notice.body.contains("出现阳性病例"));
        assert!(notice.body.contains("张网格（网格员）"));
        assert!(notice.body.contains("预计解除时间"));
        assert!(notice.body.contains("联系电话：王楼长 13900000009"));
        assert!(
            !notice.body.contains("302"),
            "the internal note stays internal"
        );
        assert!(notice.pinned);
        assert_eq!(notice.category, NoticeCategory::Prevention);
    }

    #[test]
    fn residents_call_the_decided_contact_else_the_grid_worker_else_the_building_head() {
        let head = (Some("李伯"), Some("13900000001"));
        let none = (None, None);
        let decided = (Some("值班电话"), Some("02223456789"));
        assert_eq!(
            contact(decided, Some(("张网格", "13800000002")), head),
            decided
        );
        assert_eq!(
            contact(none, Some(("张网格", "13800000002")), head),
            (Some("张网格"), Some("13800000002"))
        );
        assert_eq!(contact(none, Some(("张网格", "grid.zhang")), head), head);
        assert_eq!(contact(none, None, head), head);
    }

    #[test]
    fn the_same_decision_again_is_a_repeat_and_a_new_end_is_not() {
        let now = "2026-12-07T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let change = ValidZoneChange {
            zone: Zone::Sealed,
            starts_at: now,
            reason: "出现阳性病例".into(),
            ..ValidZoneChange::default()
        };
        assert!(is_repeat((Zone::Sealed, "出现阳性病例", None), &change));
        assert!(!is_repeat(
            (Zone::Controlled, "出现阳性病例", None),
            &change
        ));
        assert!(!is_repeat(
            (Zone::Sealed, "出现阳性病例", Some(now)),
            &change
        ));
    }
}
