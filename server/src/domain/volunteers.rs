//! The rules of volunteer profiles: what a list shows, and the hours report.

use crate::db::volunteers::StoredVolunteer;
use crate::domain::export::Table;
use chrono::NaiveDate;
use shouwang_api::privacy::mask_phone;
use shouwang_api::volunteers::{HoursRow, Volunteer};

/// A profile as staff read it: the phone masked.
pub fn for_list(StoredVolunteer(volunteer): StoredVolunteer) -> Volunteer {
    Volunteer {
        phone: mask_phone(&volunteer.phone),
        ..volunteer
    }
}

/// The whole profile: for the volunteer themself, and for a reveal that is on record.
pub fn in_full(StoredVolunteer(volunteer): StoredVolunteer) -> Volunteer {
    volunteer
}

/// Whole hours and minutes, `3.50` for three and a half hours: how subsidies are counted.
pub fn hours_text(minutes: i64) -> String {
    let minutes = minutes.max(0);
    format!("{}.{:02}", minutes / 60, (minutes % 60) * 100 / 60)
}

/// The hours report for 补贴 and 表彰. Rows arrive with phones already masked.
pub fn hours_table(rows: &[HoursRow], from: NaiveDate, to: NaiveDate) -> Table {
    let mut table = Table::new([
        "志愿者编号",
        "姓名",
        "手机号",
        "完成班次",
        "服务时长（小时）",
        "缺勤次数",
        "统计起始",
        "统计截止",
    ]);
    for row in rows {
        table.push(vec![
            row.volunteer_id.to_string(),
            row.name.clone(),
            row.phone.clone(),
            row.shifts.to_string(),
            hours_text(row.minutes),
            row.no_shows.to_string(),
            from.to_string(),
            to.to_string(),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_decimal_hours() {
        assert_eq!(hours_text(210), "3.50");
        assert_eq!(hours_text(61), "1.01");
        assert_eq!(hours_text(0), "0.00");
        assert_eq!(hours_text(-5), "0.00");
    }

    #[test]
    fn the_report_has_a_row_per_volunteer() {
        let rows = [HoursRow {
            volunteer_id: 7,
            name: "李明".into(),
            phone: "139****5678".into(),
            shifts: 2,
            minutes: 480,
            no_shows: 1,
        }];
        let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let table = hours_table(&rows, day, day);
        assert_eq!(table.rows[0][2], "139****5678");
        assert_eq!(table.rows[0][4], "8.00");
        assert_eq!(table.headers.len(), table.rows[0].len());
    }
}
