//! Notices a street publishes to some or all of its communities' boards (街道发布), and the
//! street's reading of every board. Each copy is an ordinary published notice on its
//! community's board; its 发布单位 is always the street's name.

use crate::error::{ErrorCode, FieldError};
use crate::notices::{NoticeCategory, NoticeInput, NoticeSummary, ValidNotice};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/deployment/notices`: what street staff write once, and where it goes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetNoticeRequest {
    /// The same fields a community's editor sends; `issuing_body` is replaced by the
    /// street's name.
    pub notice: NoticeInput,
    /// The communities (ids) whose boards get it; absent: every community of the street.
    #[serde(default)]
    pub communities: Option<Vec<i64>>,
}

/// A street notice that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidStreetNotice {
    pub notice: ValidNotice,
    /// Without repeats; `None`: all of the street's communities.
    pub communities: Option<Vec<i64>>,
}

impl StreetNoticeRequest {
    pub fn validate(&self) -> Result<ValidStreetNotice, FieldError> {
        let notice = self.notice_without_issuer().validate()?;
        let communities = match &self.communities {
            Some(ids) if ids.is_empty() => {
                return Err(FieldError::new("communities", ErrorCode::Required));
            }
            Some(ids) => {
                let mut ids = ids.clone();
                ids.sort_unstable();
                ids.dedup();
                Some(ids)
            }
            None => None,
        };
        Ok(ValidStreetNotice {
            notice,
            communities,
        })
    }

    /// Every refused field, for the form.
    pub fn errors(&self) -> Vec<FieldError> {
        let mut errors = self.notice_without_issuer().errors();
        if self.communities.as_ref().is_some_and(Vec::is_empty) {
            errors.push(FieldError::new("communities", ErrorCode::Required));
        }
        errors
    }

    /// The street signs it: whatever was typed as 发布单位 is not checked, it is replaced.
    fn notice_without_issuer(&self) -> NoticeInput {
        NoticeInput {
            issuing_body: None,
            ..self.notice.clone()
        }
    }
}

/// Where one street notice went: its copy on one community's board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetNoticeCopy {
    pub community_id: i64,
    pub community_name: String,
    /// The notice's id on that community's board.
    pub notice_id: i64,
    /// The notice's page: `/c/<slug>/notices/<id>`.
    pub path: String,
}

/// A notice the street sent, as its staff list them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetNoticeSummary {
    pub id: i64,
    pub title: String,
    pub category: NoticeCategory,
    pub doc_number: Option<String>,
    /// The street staff member who sent it.
    pub sent_by: String,
    pub created_at: DateTime<Utc>,
    /// Set once withdrawn from every board it went to.
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub copies: Vec<StreetNoticeCopy>,
}

/// One notice on one of the street's boards (`GET /api/deployment/boards`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetBoardItem {
    pub community_id: i64,
    pub community_name: String,
    /// The community's board: `/c/<slug>/`.
    pub community_path: String,
    pub notice: NoticeSummary,
}

/// A community of the street, with its board's address, for the links above the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetBoardLink {
    pub community_id: i64,
    pub name: String,
    pub path: String,
}

/// Every board of the street: the links to each, and one page of their latest notices,
/// newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetBoards {
    pub street_id: i64,
    pub street_name: String,
    pub boards: Vec<StreetBoardLink>,
    pub latest: crate::Page<StreetBoardItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> StreetNoticeRequest {
        StreetNoticeRequest {
            notice: NoticeInput {
                title: "关于全街道暂停集市的通知".into(),
                body: "即日起暂停。".into(),
                issuing_body: Some("x".repeat(500)),
                ..NoticeInput::default()
            },
            communities: Some(vec![3, 1, 3]),
        }
    }

    #[test]
    fn the_typed_issuer_is_not_checked_and_communities_lose_repeats() {
        let valid = request().validate().unwrap();
        assert_eq!(valid.notice.issuing_body, None);
        assert_eq!(valid.communities, Some(vec![1, 3]));
    }

    #[test]
    fn an_empty_choice_of_communities_is_refused_and_absent_means_all() {
        let mut r = request();
        r.communities = Some(Vec::new());
        r.notice.title = String::new();
        let fields: Vec<_> = r.errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["title", "communities"]);
        assert_eq!(r.validate().unwrap_err().field, "title");
        r.notice.title = "通知".into();
        assert_eq!(r.validate().unwrap_err().field, "communities");
        r.communities = None;
        assert_eq!(r.validate().unwrap().communities, None);
    }
}
