//! The street's report upward (报送): the dashboard as one Excel workbook, a sheet per
//! figure with a row per community and the street's totals, and the same as one CSV
//! table. Counts only, as the dashboard holds nothing else.

use super::export::{Download, Table, to_csv};
use anyhow::Context;
use chrono::NaiveDateTime;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use shouwang_api::deployment::CommunityKind;
use shouwang_api::street::{CommunityFigures, StreetDashboard};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";

/// One cell of a report table: a count, a ratio, a day, or text.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Count(u32),
    /// 0..=1, shown as a percentage.
    Ratio(Option<f64>),
    Text(String),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Count(n) => n.to_string(),
            Cell::Ratio(Some(r)) => percent_text(*r),
            Cell::Ratio(None) => "—".into(),
            Cell::Text(t) => t.clone(),
        }
    }
}

/// A percentage with one decimal, rounded down: 99.96 % reads 99.9 %, never 100 %.
fn percent_text(ratio: f64) -> String {
    let tenths = (ratio.clamp(0.0, 1.0) * 1000.0).floor() / 10.0;
    format!("{tenths:.1}%")
}

/// One figure of the report: its sheet's name and columns, and how a community's
/// figures fill them.
struct Figure {
    sheet: &'static str,
    headers: &'static [&'static str],
    cells: fn(&CommunityFigures) -> Vec<Cell>,
}

const FIGURES: [Figure; 7] = [
    Figure {
        sheet: "入户摸排覆盖",
        headers: &["已登记户数", "房间数", "覆盖率"],
        cells: |f| {
            vec![
                Cell::Count(f.households),
                Cell::Count(f.rooms),
                Cell::Ratio(f.coverage()),
            ]
        },
    },
    Figure {
        sheet: "居家观察",
        headers: &["观察中人数", "7日内解除观察"],
        cells: |f| {
            vec![
                Cell::Count(f.under_observation),
                Cell::Count(f.observation_ending),
            ]
        },
    },
    Figure {
        sheet: "健康打卡",
        headers: &[
            "今日应打卡",
            "今日未打卡",
            "今日发热",
            "今日异常(发热或症状)",
        ],
        cells: |f| {
            vec![
                Cell::Count(f.due_check_ins),
                Cell::Count(f.missed_check_ins),
                Cell::Count(f.fevers),
                Cell::Count(f.flagged),
            ]
        },
    },
    Figure {
        sheet: "物资求助",
        headers: &[
            "未办结合计",
            "24小时内",
            "24至72小时",
            "超过72小时",
            "其中紧急",
        ],
        cells: |f| {
            let r = &f.open_requests;
            vec![
                Cell::Count(r.total()),
                Cell::Count(r.under_24h),
                Cell::Count(r.from_24h_to_72h),
                Cell::Count(r.over_72h),
                Cell::Count(r.urgent),
            ]
        },
    },
    Figure {
        sheet: "风险区域楼栋",
        headers: &["防范区", "管控区", "封控区", "楼栋合计"],
        cells: |f| {
            let z = &f.zones;
            vec![
                Cell::Count(z.precaution),
                Cell::Count(z.controlled),
                Cell::Count(z.sealed),
                Cell::Count(z.total()),
            ]
        },
    },
    Figure {
        sheet: "核酸检测",
        headers: &["最近一轮日期", "应检人数", "已检人数", "完成率"],
        cells: |f| match f.testing {
            Some(t) => vec![
                Cell::Text(t.day.to_string()),
                Cell::Count(t.expected),
                Cell::Count(t.tested),
                Cell::Ratio(f.testing_ratio()),
            ],
            None => vec![
                Cell::Text("无".into()),
                Cell::Text("—".into()),
                Cell::Text("—".into()),
                Cell::Ratio(None),
            ],
        },
    },
    Figure {
        sheet: "志愿者在岗",
        headers: &["在岗志愿者", "其中已签到"],
        cells: |f| {
            vec![
                Cell::Count(f.volunteers_on_duty),
                Cell::Count(f.volunteers_checked_in),
            ]
        },
    },
];

const NAME_HEADERS: [&str; 2] = ["社区/村", "类型"];
const TOTAL: &str = "合计";
const STREET: &str = "街道";
const AS_OF: &str = "截至";

fn kind_label(kind: CommunityKind) -> &'static str {
    match kind {
        CommunityKind::Community => "社区",
        CommunityKind::Village => "村",
    }
}

fn as_of(local_time: NaiveDateTime) -> String {
    format!("{AS_OF} {}", local_time.format("%Y-%m-%d %H:%M"))
}

fn file_name(dashboard: &StreetDashboard, local_time: NaiveDateTime, ext: &str) -> String {
    format!(
        "{}报表_{}.{ext}",
        dashboard.street_name,
        local_time.format("%Y%m%d-%H%M")
    )
}

/// The name cells and one figure's cells of each community, then the totals.
fn body(dashboard: &StreetDashboard, figure: &Figure) -> Vec<Vec<Cell>> {
    dashboard
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                Cell::Text(row.name.clone()),
                Cell::Text(kind_label(row.kind).into()),
            ];
            cells.extend((figure.cells)(&row.figures));
            cells
        })
        .chain(std::iter::once({
            let mut cells = vec![Cell::Text(TOTAL.into()), Cell::Text(String::new())];
            cells.extend((figure.cells)(&dashboard.totals));
            cells
        }))
        .collect()
}

/// The workbook: on each sheet the street's name and the figure, "截至" the street's local
/// time, then the table.
pub fn xlsx(dashboard: &StreetDashboard, local_time: NaiveDateTime) -> anyhow::Result<Download> {
    let mut workbook = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let total_percent = Format::new().set_bold().set_num_format("0.0%");
    for figure in &FIGURES {
        let sheet = workbook.add_worksheet();
        sheet.set_name(figure.sheet)?;
        sheet.write_string_with_format(
            0,
            0,
            format!("{} {}", dashboard.street_name, figure.sheet),
            &title,
        )?;
        sheet.write_string(1, 0, as_of(local_time))?;
        let header_row = 3;
        for (col, header) in NAME_HEADERS.iter().chain(figure.headers).enumerate() {
            sheet.write_string_with_format(header_row, column(col)?, *header, &bold)?;
        }
        let rows = body(dashboard, figure);
        let last = rows.len().saturating_sub(1);
        for (i, cells) in rows.iter().enumerate() {
            let r = header_row + 1 + u32::try_from(i)?;
            let is_total = i == last;
            for (col, cell) in cells.iter().enumerate() {
                let col = column(col)?;
                write_cell(
                    sheet,
                    r,
                    col,
                    cell,
                    is_total.then_some(&bold),
                    if is_total { &total_percent } else { &percent },
                )?;
            }
        }
        sheet.set_freeze_panes(header_row + 1, 1)?;
        sheet.autofit();
    }
    Ok(Download {
        bytes: workbook.save_to_buffer()?,
        content_type: XLSX,
        file_name: file_name(dashboard, local_time, "xlsx"),
    })
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    bold: Option<&Format>,
    percent: &Format,
) -> anyhow::Result<()> {
    match (cell, bold) {
        (Cell::Count(n), Some(bold)) => {
            sheet.write_number_with_format(row, col, f64::from(*n), bold)?;
        }
        (Cell::Count(n), None) => {
            sheet.write_number(row, col, f64::from(*n))?;
        }
        (Cell::Ratio(Some(r)), _) => {
            sheet.write_number_with_format(row, col, *r, percent)?;
        }
        // Names are written as strings: a community named `=…` stays text.
        (other, Some(bold)) => {
            sheet.write_string_with_format(row, col, other.text(), bold)?;
        }
        (other, None) => {
            sheet.write_string(row, col, other.text())?;
        }
    }
    Ok(())
}

fn column(index: usize) -> anyhow::Result<u16> {
    u16::try_from(index).context("too many columns")
}

/// Every figure side by side in one table, a row per community and the totals. A CSV has
/// no title rows, so each row names its street and time: the district can stack the
/// files of all its streets into one table.
pub fn csv(dashboard: &StreetDashboard, local_time: NaiveDateTime) -> Download {
    let headers = std::iter::once(STREET)
        .chain(NAME_HEADERS.iter().copied())
        .chain(FIGURES.iter().flat_map(|f| f.headers.iter().copied()))
        .chain(std::iter::once(AS_OF));
    let mut table = Table::new(headers);
    let as_of = local_time.format("%Y-%m-%d %H:%M").to_string();
    let per_figure: Vec<Vec<Vec<Cell>>> = FIGURES.iter().map(|f| body(dashboard, f)).collect();
    for i in 0..=dashboard.rows.len() {
        let mut line = vec![dashboard.street_name.clone()];
        for (n, rows) in per_figure.iter().enumerate() {
            let Some(cells) = rows.get(i) else { continue };
            // The name columns once, from the first figure.
            let skip = if n == 0 { 0 } else { NAME_HEADERS.len() };
            line.extend(cells.iter().skip(skip).map(Cell::text));
        }
        line.push(as_of.clone());
        table.push(line);
    }
    Download {
        bytes: to_csv(&table),
        content_type: CSV,
        file_name: file_name(dashboard, local_time, "csv"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate, Utc};
    use shouwang_api::street::{
        BuildingsByZone, CommunityRow, OpenRequests, StreetDashboard, TestingProgress,
    };

    fn dashboard() -> StreetDashboard {
        let at: DateTime<Utc> = "2026-12-07T02:00:00Z".parse().unwrap();
        let jianshe = CommunityFigures {
            households: 45,
            rooms: 48,
            under_observation: 3,
            observation_ending: 1,
            due_check_ins: 10,
            missed_check_ins: 4,
            fevers: 1,
            flagged: 2,
            open_requests: OpenRequests {
                under_24h: 2,
                from_24h_to_72h: 1,
                over_72h: 1,
                urgent: 1,
            },
            zones: BuildingsByZone {
                precaution: 4,
                controlled: 1,
                sealed: 1,
            },
            testing: Some(TestingProgress {
                day: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
                expected: 120,
                tested: 90,
            }),
            volunteers_on_duty: 5,
            volunteers_checked_in: 3,
        };
        let dongcun = CommunityFigures {
            households: 5,
            rooms: 52,
            missed_check_ins: 1,
            zones: BuildingsByZone {
                precaution: 8,
                ..BuildingsByZone::default()
            },
            ..CommunityFigures::default()
        };
        StreetDashboard::new(
            7,
            "城关街道".into(),
            at,
            vec![
                CommunityRow {
                    id: 1,
                    slug: "jianshe".into(),
                    name: "建设社区".into(),
                    kind: CommunityKind::Community,
                    figures: jianshe,
                    granted: Vec::new(),
                },
                CommunityRow {
                    id: 2,
                    slug: "dongcun".into(),
                    name: "=东村".into(),
                    kind: CommunityKind::Village,
                    figures: dongcun,
                    granted: Vec::new(),
                },
            ],
        )
    }

    fn local() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    #[test]
    fn the_csv_is_one_table_a_row_per_community_and_the_totals() {
        let download = csv(&dashboard(), local());
        assert_eq!(download.file_name, "城关街道报表_20261207-1000.csv");
        let text = String::from_utf8(download.bytes).unwrap();
        assert!(text.starts_with('\u{feff}'), "a BOM, for Excel");
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 4, "header, two communities, totals");
        assert_eq!(
            lines[0],
            "街道,社区/村,类型,已登记户数,房间数,覆盖率,观察中人数,7日内解除观察,\
             今日应打卡,今日未打卡,今日发热,今日异常(发热或症状),\
             未办结合计,24小时内,24至72小时,超过72小时,其中紧急,\
             防范区,管控区,封控区,楼栋合计,最近一轮日期,应检人数,已检人数,完成率,\
             在岗志愿者,其中已签到,截至"
        );
        assert_eq!(
            lines[1],
            "城关街道,建设社区,社区,45,48,93.7%,3,1,10,4,1,2,4,2,1,1,1,4,1,1,6,\
             2026-12-07,120,90,75.0%,5,3,2026-12-07 10:00"
        );
        // A name that looks like a formula stays text.
        assert_eq!(
            lines[2],
            "城关街道,'=东村,村,5,52,9.6%,0,0,0,1,0,0,0,0,0,0,0,8,0,0,8,无,—,—,—,0,0,\
             2026-12-07 10:00"
        );
        // Totals: coverage 50 / 100 from the sums, not the mean of 93.7 % and 9.6 %.
        assert_eq!(
            lines[3],
            "城关街道,合计,,50,100,50.0%,3,1,10,5,1,2,4,2,1,1,1,12,1,1,14,\
             2026-12-07,120,90,75.0%,5,3,2026-12-07 10:00"
        );
    }

    #[test]
    fn the_workbook_is_a_zip_named_for_the_street() {
        let download = xlsx(&dashboard(), local()).unwrap();
        assert_eq!(&download.bytes[..4], b"PK\x03\x04");
        assert!(download.bytes.len() > 1000);
        assert_eq!(download.file_name, "城关街道报表_20261207-1000.xlsx");
        assert_eq!(download.content_type, XLSX);
    }

    #[test]
    fn every_sheet_has_as_many_cells_as_headers() {
        let d = dashboard();
        for figure in &FIGURES {
            assert!(figure.sheet.chars().count() <= 31, "Excel's limit");
            for cells in body(&d, figure) {
                assert_eq!(cells.len(), NAME_HEADERS.len() + figure.headers.len());
            }
        }
    }

    #[test]
    fn percentages_round_down() {
        assert_eq!(percent_text(0.9996), "99.9%");
        assert_eq!(percent_text(1.0), "100.0%");
        assert_eq!(percent_text(45.0 / 48.0), "93.7%");
    }
}
