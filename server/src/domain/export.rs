//! Tables for the report upward (报送): CSV that Excel opens, and real `.xlsx`.

use rust_xlsxwriter::{Format, Workbook};
use shouwang_api::ExportFormat;

/// A table of text cells with a header row. Callers mask personal data before it gets here.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// A finished download: bytes, their media type and a file name.
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

pub fn render(table: &Table, format: ExportFormat, base_name: &str) -> anyhow::Result<Download> {
    Ok(match format {
        ExportFormat::Csv => Download {
            bytes: to_csv(table),
            content_type: "text/csv; charset=utf-8",
            file_name: format!("{base_name}.csv"),
        },
        ExportFormat::Xlsx => Download {
            bytes: to_xlsx(table, base_name)?,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name: format!("{base_name}.xlsx"),
        },
    })
}

/// RFC 4180 CSV, UTF-8 with a byte-order mark (without it Excel reads 汉字 as mojibake),
/// CRLF line ends.
pub fn to_csv(table: &Table) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(&table.headers).chain(&table.rows) {
        let line: Vec<String> = row.iter().map(|cell| csv_cell(cell)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Quotes when needed, and defuses spreadsheet formulas: a cell a resident typed as
/// `=HYPERLINK(...)` must stay text when staff open the file (CSV injection).
fn csv_cell(value: &str) -> String {
    let value = defuse_formula(value);
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn defuse_formula(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

pub fn to_xlsx(table: &Table, sheet_name: &str) -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // Excel limits sheet names to 31 characters and forbids a few.
    let name: String = sheet_name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(if name.is_empty() { "Sheet1" } else { &name })?;
    let bold = Format::new().set_bold();
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, column(col)?, header, &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1)?;
        for (col, cell) in row.iter().enumerate() {
            // Written as strings: never interpreted as a formula.
            sheet.write_string(r, column(col)?, cell)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(workbook.save_to_buffer()?)
}

fn column(index: usize) -> anyhow::Result<u16> {
    Ok(u16::try_from(index)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(["姓名", "备注"]);
        t.push(vec!["王*".into(), "独居, 需要\"代购\"".into()]);
        t.push(vec!["李*".into(), "=HYPERLINK(\"http://evil\")".into()]);
        t
    }

    #[test]
    fn csv_has_a_bom_quotes_and_crlf() {
        let csv = String::from_utf8(to_csv(&table())).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert_eq!(
            csv.trim_start_matches('\u{feff}'),
            "姓名,备注\r\n王*,\"独居, 需要\"\"代购\"\"\"\r\n李*,\"'=HYPERLINK(\"\"http://evil\"\")\"\r\n"
        );
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = to_xlsx(&table(), "台账").unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let download = render(&table(), ExportFormat::Xlsx, "ledger").unwrap();
        assert_eq!(download.file_name, "ledger.xlsx");
    }
}
