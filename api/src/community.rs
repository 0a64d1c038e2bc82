//! The community's structure as admins manage it: 网格 → 楼栋 → 单元 → 房间, the staff
//! assigned to each grid, and the 楼栋长 of each building.

use crate::error::{ErrorCode, FieldError};
use crate::personal::Phone;
use crate::text::{optional_line, parse_mobile, required_line};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 40;
pub const ROOMS_MAX: usize = 500;
pub const IMPORT_MAX: usize = 200_000;

/// `POST /api/community/grids` and renaming any level: just a name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NameInput {
    pub name: String,
}

impl NameInput {
    pub fn validate(&self) -> Result<String, FieldError> {
        required_line("name", &self.name, NAME_MAX)
    }
}

/// `POST /api/community/grids/{id}/buildings`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingInput {
    pub name: String,
    /// 楼栋长.
    #[serde(default)]
    pub head_name: Option<String>,
    #[serde(default)]
    pub head_phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBuilding {
    pub name: String,
    pub head_name: Option<String>,
    pub head_phone: Option<Phone>,
}

impl BuildingInput {
    pub fn validate(&self) -> Result<ValidBuilding, FieldError> {
        let name = required_line("name", &self.name, NAME_MAX)?;
        let head_name = optional_line("head_name", self.head_name.as_deref(), NAME_MAX)?;
        let head_phone = match self.head_phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(phone) => Some(parse_mobile("head_phone", phone)?),
        };
        Ok(ValidBuilding {
            name,
            head_name,
            head_phone,
        })
    }
}

/// `GET` / `PUT /api/community/settings`: what every household is told, such as the duty
/// hotline (社区值班电话) a resident with a fever is given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunitySettings {
    #[serde(default)]
    pub hotline: Option<String>,
}

pub const HOTLINE_MAX: usize = 20;
/// The longest hotline as typed: its digits and the dashes between groups.
pub const HOTLINE_TYPED_MAX: usize = HOTLINE_MAX + 4;

impl CommunitySettings {
    /// A hotline is a landline (022-12345678), a short number (12345) or a mobile: digits
    /// with dashes between groups; spaces people type are dropped. Empty clears it.
    pub fn validate(&self) -> Result<CommunitySettings, FieldError> {
        let typed: String = self
            .hotline
            .as_deref()
            .unwrap_or_default()
            .chars()
            .filter(|c| *c != ' ')
            .collect();
        if typed.is_empty() {
            return Ok(CommunitySettings { hotline: None });
        }
        let digits = typed.chars().filter(char::is_ascii_digit).count();
        let well_formed = typed.chars().all(|c| c.is_ascii_digit() || c == '-')
            && !typed.starts_with('-')
            && !typed.ends_with('-');
        if typed.len() > HOTLINE_TYPED_MAX {
            return Err(FieldError::with_limit(
                "hotline",
                ErrorCode::TooLong,
                HOTLINE_TYPED_MAX,
            ));
        }
        if !well_formed || !(3..=HOTLINE_MAX).contains(&digits) {
            return Err(FieldError::new("hotline", ErrorCode::InvalidPhone));
        }
        Ok(CommunitySettings {
            hotline: Some(typed),
        })
    }
}

/// `POST /api/community/units/{id}/rooms`: room numbers to add to a unit (`101`, `102` …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoomsInput {
    pub rooms: Vec<String>,
}

impl RoomsInput {
    pub fn validate(&self) -> Result<Vec<String>, FieldError> {
        if self.rooms.is_empty() {
            return Err(FieldError::new("rooms", ErrorCode::Required));
        }
        if self.rooms.len() > ROOMS_MAX {
            return Err(FieldError::with_limit(
                "rooms",
                ErrorCode::TooLong,
                ROOMS_MAX,
            ));
        }
        let mut out: Vec<String> = Vec::with_capacity(self.rooms.len());
        for room in &self.rooms {
            let room = required_line("rooms", room, NAME_MAX)?;
            if !out.contains(&room) {
                out.push(room);
            }
        }
        Ok(out)
    }
}

/// `PUT /api/community/grids/{id}/staff`: the staff accounts who work this grid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridStaffInput {
    pub user_ids: Vec<i64>,
}

/// `POST /api/community/import`: CSV text with the header `网格,楼栋,单元,房号`
/// (or `grid,building,unit,room`), one room per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportInput {
    pub csv: String,
}

/// One room of an import, trimmed and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub grid: String,
    pub building: String,
    pub unit: String,
    pub room: String,
}

impl ImportInput {
    /// Parses the CSV. A bad line is reported as field `csv` with its line number in the
    /// limit slot, so the message can say which line.
    pub fn validate(&self) -> Result<Vec<ImportRow>, FieldError> {
        if self.csv.trim().is_empty() {
            return Err(FieldError::new("csv", ErrorCode::Required));
        }
        if self.csv.len() > IMPORT_MAX {
            return Err(FieldError::with_limit(
                "csv",
                ErrorCode::TooLong,
                IMPORT_MAX,
            ));
        }
        let mut rows = Vec::new();
        for (index, line) in self.csv.trim_start_matches('\u{feff}').lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            let is_header = index == 0
                && matches!(cells.first(), Some(&"网格") | Some(&"grid") | Some(&"Grid"));
            if is_header {
                continue;
            }
            let bad = || FieldError::with_limit("csv", ErrorCode::InvalidValue, index + 1);
            let [grid, building, unit, room] = cells[..] else {
                return Err(bad());
            };
            let check = |v: &str| required_line("csv", v, NAME_MAX).map_err(|_| bad());
            rows.push(ImportRow {
                grid: check(grid)?,
                building: check(building)?,
                unit: check(unit)?,
                room: check(room)?,
            });
        }
        if rows.is_empty() {
            return Err(FieldError::new("csv", ErrorCode::Required));
        }
        Ok(rows)
    }
}

/// What an import added (existing grids/buildings/units/rooms are reused, not doubled).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    pub grids: u32,
    pub buildings: u32,
    pub units: u32,
    pub rooms: u32,
}

/// The id of what was just created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Created {
    pub id: i64,
}

/// The whole structure, as the registration form and the admin page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Structure {
    pub grids: Vec<Grid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grid {
    pub id: i64,
    pub name: String,
    pub retired: bool,
    pub buildings: Vec<Building>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Building {
    pub id: i64,
    pub grid_id: i64,
    pub name: String,
    pub retired: bool,
    /// 楼栋长; shown to staff only.
    pub head_name: Option<String>,
    pub head_phone: Option<String>,
    pub units: Vec<Unit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    pub id: i64,
    pub building_id: i64,
    pub name: String,
    pub retired: bool,
    pub rooms: Vec<Room>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Room {
    pub id: i64,
    pub name: String,
}

/// `GET /api/community/calendar`: the community's time zone, so the app writes every
/// date in it (not in the phone's zone), and today there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityCalendar {
    pub utc_offset_minutes: i32,
    pub today: chrono::NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hotline_is_digits_with_dashes_and_empty_clears_it() {
        let set = |h: &str| {
            CommunitySettings {
                hotline: Some(h.into()),
            }
            .validate()
        };
        assert_eq!(
            set(" 022-2345 6789 ").unwrap().hotline.as_deref(),
            Some("022-23456789")
        );
        assert_eq!(set("12345").unwrap().hotline.as_deref(), Some("12345"));
        assert_eq!(set("  ").unwrap().hotline, None);
        for bad in ["12", "call 12345", "-12345", "022--", &"1".repeat(21)] {
            assert_eq!(set(bad).unwrap_err().field, "hotline", "{bad}");
        }
    }

    #[test]
    fn buildings_take_an_optional_head_with_a_mobile() {
        let ok = BuildingInput {
            name: " 1号楼 ".into(),
            head_name: Some("李伯".into()),
            head_phone: Some("139 1234 5678".into()),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.name, "1号楼");
        assert_eq!(
            ok.head_phone.as_ref().map(Phone::as_str),
            Some("13912345678")
        );
        let bad = BuildingInput {
            name: "1号楼".into(),
            head_name: None,
            head_phone: Some("12345".into()),
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            (bad.field, bad.code),
            ("head_phone", ErrorCode::InvalidPhone)
        );
    }

    #[test]
    fn room_lists_drop_duplicates_and_refuse_blanks() {
        let rooms = RoomsInput {
            rooms: vec!["101".into(), "102".into(), "101".into()],
        };
        assert_eq!(rooms.validate().unwrap(), ["101", "102"]);
        let blank = RoomsInput {
            rooms: vec![" ".into()],
        };
        assert_eq!(blank.validate().unwrap_err().field, "rooms");
    }

    #[test]
    fn imports_skip_the_header_and_name_the_bad_line() {
        let input = ImportInput {
            csv: "\u{feff}网格,楼栋,单元,房号\n第一网格,1号楼,1单元,101\n\n第一网格,1号楼,1单元,102\n".into(),
        };
        let rows = input.validate().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].room, "102");
        let bad = ImportInput {
            csv: "第一网格,1号楼,1单元,101\n第一网格,1号楼\n".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!((bad.field, bad.limit), ("csv", Some(2)));
    }
}
