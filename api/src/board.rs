//! The board as a whole: search across notices and updates, document-number lookup,
//! and the live stream's events.

use crate::error::{ErrorCode, FieldError};
use crate::notices::NoticeStatus;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const QUERY_MAX: usize = 100;
/// The trigram index answers queries of at least this many characters; shorter ones
/// (two 汉字 such as 停水) are matched with LIKE.
pub const TRIGRAM_MIN: usize = 3;
/// Marks around a match inside `title_marked` and `snippet_marked`. Control characters
/// can never come from stored text (validation refuses them), so the app can split on
/// them and render matches as `<mark>` elements without parsing any HTML.
pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

/// `GET /api/board/search?q=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct SearchQuery {
    pub q: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl SearchQuery {
    /// The trimmed query, 1 to `QUERY_MAX` characters, without control characters.
    pub fn validate(&self) -> Result<String, FieldError> {
        crate::text::required_line("q", &self.q, QUERY_MAX)
    }

    pub fn paging(&self) -> crate::PageQuery {
        crate::PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BoardItemKind {
    Notice,
    Update,
}

impl BoardItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BoardItemKind::Notice => "notice",
            BoardItemKind::Update => "update",
        }
    }
}

/// One search result; text between [`MARK_START`] and [`MARK_END`] matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub kind: BoardItemKind,
    pub id: i64,
    pub title_marked: String,
    pub snippet_marked: String,
    pub doc_number: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

/// Splits marked text into (text, is_match) runs.
pub fn marked_runs(marked: &str) -> Vec<(String, bool)> {
    let mut runs = Vec::new();
    let mut current = String::new();
    let mut in_match = false;
    for c in marked.chars() {
        let toggle = match c {
            MARK_START => Some(true),
            MARK_END => Some(false),
            _ => None,
        };
        match toggle {
            Some(next) => {
                if !current.is_empty() {
                    runs.push((std::mem::take(&mut current), in_match));
                }
                in_match = next;
            }
            None => current.push(c),
        }
    }
    if !current.is_empty() {
        runs.push((current, in_match));
    }
    runs
}

/// `GET /api/board/doc-number?q=`: is a forwarded screenshot's 文号 real?
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct DocNumberQuery {
    pub q: String,
}

impl DocNumberQuery {
    pub fn validate(&self) -> Result<String, FieldError> {
        let raw = crate::text::required_line("q", &self.q, crate::notices::DOC_NUMBER_MAX)?;
        crate::notices::normalise_doc_number(&raw)
            .map_err(|_| FieldError::new("q", ErrorCode::InvalidDocNumber))
    }
}

/// A notice found by its document number, public facts only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocNumberMatch {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub issuing_body: Option<String>,
    pub doc_number: String,
    pub issued_on: Option<NaiveDate>,
    /// `published` or `withdrawn` (drafts are never shown).
    pub status: NoticeStatus,
    pub expired: bool,
    /// A newer notice with the same issuing body that replaces this one.
    pub superseded_by: Option<SupersedingNotice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupersedingNotice {
    pub id: i64,
    pub title: String,
    pub doc_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocNumberAnswer {
    /// The number as normalised (〔〕 brackets).
    pub doc_number: String,
    /// Empty when the board has no such notice: the screenshot is not from here.
    pub matches: Vec<DocNumberMatch>,
}

/// `POST /api/notices/{id}/superseded-by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupersedeInput {
    pub notice_id: i64,
}

/// What the live stream (`GET /api/board/live`, server-sent events) says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum LiveEventKind {
    NoticePublished,
    NoticeWithdrawn,
    UpdatePublished,
}

/// The `data` of one server-sent event; its `id` is `seq`, so a reconnecting client
/// sends `Last-Event-ID` and receives everything it missed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveEvent {
    pub seq: i64,
    pub kind: LiveEventKind,
    pub item_id: i64,
    pub title: String,
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_text_splits_into_runs() {
        let s = format!("关于{MARK_START}停水{MARK_END}的通知");
        assert_eq!(
            marked_runs(&s),
            vec![
                ("关于".to_owned(), false),
                ("停水".to_owned(), true),
                ("的通知".to_owned(), false)
            ]
        );
        assert_eq!(marked_runs(""), vec![]);
    }

    #[test]
    fn document_numbers_are_looked_up_normalised() {
        let q = DocNumberQuery {
            q: "津民发[2020]13号".into(),
        };
        assert_eq!(q.validate().unwrap(), "津民发〔2020〕13号");
        let bad = DocNumberQuery { q: "13号".into() };
        assert_eq!(bad.validate().unwrap_err().field, "q");
    }
}
