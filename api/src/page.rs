//! Pagination: every list in the API is paged.

use serde::{Deserialize, Serialize};

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

/// `?page=1&per_page=20`; page numbers start at 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PageQuery {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    pub per_page: Option<u32>,
}

impl PageQuery {
    /// Out-of-range values are clamped rather than refused: a stale link still shows a page.
    pub fn page(self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    pub fn per_page(self) -> u32 {
        self.per_page
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE)
    }

    pub fn offset(self) -> u64 {
        u64::from(self.page() - 1) * u64::from(self.per_page())
    }
}

/// The file format of a download (`?format=csv` or `?format=xlsx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// UTF-8 with a byte-order mark, so Excel opens Chinese text correctly.
    #[default]
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    /// How many items all pages hold together.
    pub total: u64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, query: PageQuery, total: u64) -> Self {
        Page {
            items,
            page: query.page(),
            per_page: query.per_page(),
            total,
        }
    }

    pub fn page_count(&self) -> u32 {
        let per_page = u64::from(self.per_page.max(1));
        u32::try_from(self.total.div_ceil(per_page))
            .unwrap_or(u32::MAX)
            .max(1)
    }

    pub fn has_next(&self) -> bool {
        self.page < self.page_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_clamped() {
        let q = PageQuery {
            page: Some(0),
            per_page: Some(1000),
        };
        assert_eq!((q.page(), q.per_page(), q.offset()), (1, MAX_PER_PAGE, 0));
        let q = PageQuery {
            page: Some(3),
            per_page: Some(10),
        };
        assert_eq!(q.offset(), 20);
    }

    #[test]
    fn page_count_rounds_up() {
        let p = Page::<u8>::new(
            vec![],
            PageQuery {
                page: Some(2),
                per_page: Some(10),
            },
            21,
        );
        assert_eq!(p.page_count(), 3);
        assert!(p.has_next());
        let empty = Page::<u8>::new(vec![], PageQuery::default(), 0);
        assert_eq!(empty.page_count(), 1);
        assert!(!empty.has_next());
    }
}
