//! Official notices (通知公告): the first half of the information board.

use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::page::PageQuery;
use crate::text::{optional_line, required_line, required_text};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 120;
pub const BODY_MAX: usize = 30_000;
pub const ISSUING_BODY_MAX: usize = 60;
pub const DOC_NUMBER_MAX: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum NoticeCategory {
    /// 通知公告
    #[default]
    Announcement,
    /// 政策文件
    Policy,
    /// 防控指引
    Prevention,
    /// 生活服务
    Services,
    /// 健康提示
    Health,
    /// 辟谣
    Debunk,
    /// 其他
    Other,
}

impl NoticeCategory {
    pub const ALL: [NoticeCategory; 7] = [
        NoticeCategory::Announcement,
        NoticeCategory::Policy,
        NoticeCategory::Prevention,
        NoticeCategory::Services,
        NoticeCategory::Health,
        NoticeCategory::Debunk,
        NoticeCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeCategory::Announcement => "announcement",
            NoticeCategory::Policy => "policy",
            NoticeCategory::Prevention => "prevention",
            NoticeCategory::Services => "services",
            NoticeCategory::Health => "health",
            NoticeCategory::Debunk => "debunk",
            NoticeCategory::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum NoticeStatus {
    Draft,
    Published,
    Withdrawn,
}

/// What a moderator can do to a notice's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeAction {
    Publish,
    Withdraw,
}

impl NoticeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeStatus::Draft => "draft",
            NoticeStatus::Published => "published",
            NoticeStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Published, Self::Withdrawn]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    /// The status after `action`, or `None` when the action makes no sense now
    /// (publishing what is already public, withdrawing a draft).
    pub fn after(self, action: NoticeAction) -> Option<NoticeStatus> {
        match (self, action) {
            (NoticeStatus::Draft | NoticeStatus::Withdrawn, NoticeAction::Publish) => {
                Some(NoticeStatus::Published)
            }
            (NoticeStatus::Published, NoticeAction::Withdraw) => Some(NoticeStatus::Withdrawn),
            _ => None,
        }
    }
}

/// `POST /api/notices` and `PUT /api/notices/{id}`: a notice as the editor sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeInput {
    pub title: String,
    /// Markdown. Rendered to sanitised HTML by the server.
    pub body: String,
    #[serde(default)]
    pub category: NoticeCategory,
    /// 发布机构, e.g. 天津市民政局.
    #[serde(default)]
    pub issuing_body: Option<String>,
    /// 发文字号, e.g. 津民发〔2020〕13号.
    #[serde(default)]
    pub doc_number: Option<String>,
    /// 发文日期.
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    /// After this moment the notice leaves the public board.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub pinned: bool,
}

/// A notice that passed validation: trimmed, bounded, document number normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidNotice {
    pub title: String,
    pub body: String,
    pub category: NoticeCategory,
    pub issuing_body: Option<String>,
    pub doc_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_at: Option<DateTime<Utc>>,
    pub pinned: bool,
}

impl NoticeInput {
    pub fn validate(&self) -> Result<ValidNotice, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the notice editor.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<ValidNotice, Vec<FieldError>> {
        let mut c = Checks::default();
        let title = c.check(required_line("title", &self.title, TITLE_MAX));
        let body = c.check(required_text("body", &self.body, BODY_MAX));
        let issuing_body = c.check(optional_line(
            "issuing_body",
            self.issuing_body.as_deref(),
            ISSUING_BODY_MAX,
        ));
        let doc_number = c.check(
            optional_line("doc_number", self.doc_number.as_deref(), DOC_NUMBER_MAX).and_then(
                |raw| match raw {
                    Some(raw) => normalise_doc_number(&raw).map(Some),
                    None => Ok(None),
                },
            ),
        );
        if let (Some(issued), Some(expires)) = (self.issued_on, self.expires_at)
            && expires.date_naive() < issued
        {
            c.refuse("expires_at", ErrorCode::DateOrder);
        }
        c.finish(|| {
            Some(ValidNotice {
                title: title?,
                body: body?,
                category: self.category,
                issuing_body: issuing_body?,
                doc_number: doc_number?,
                issued_on: self.issued_on,
                expires_at: self.expires_at,
                pinned: self.pinned,
            })
        })
    }
}

/// Normalises a document number (发文字号) to the official form `机关代字〔年份〕序号号`.
///
/// People type the brackets in many ways (`[2020]`, `（2020）`, `【2020】`); all become
/// 六角括号 〔〕 so that a number looked up on the board matches however it was typed.
pub fn normalise_doc_number(raw: &str) -> Result<String, FieldError> {
    let invalid = || FieldError::new("doc_number", ErrorCode::InvalidDocNumber);
    let cleaned: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '(' | '（' | '【' | '［' | '〔' => '〔',
            ']' | ')' | '）' | '】' | '］' | '〕' => '〕',
            c => c,
        })
        .collect();
    let (prefix, rest) = cleaned.split_once('〔').ok_or_else(invalid)?;
    let (year, serial) = rest.split_once('〕').ok_or_else(invalid)?;
    let serial = serial.strip_suffix('号').ok_or_else(invalid)?;
    let prefix_ok = (1..=16).contains(&prefix.chars().count())
        && prefix
            .chars()
            .all(|c| !c.is_ascii_digit() && c != '〔' && c != '〕');
    let year_ok = year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && (1949..=2100).contains(&year.parse::<u16>().unwrap_or(0));
    let serial_ok = (1..=5).contains(&serial.len()) && serial.bytes().all(|b| b.is_ascii_digit());
    if prefix_ok && year_ok && serial_ok {
        Ok(format!("{prefix}〔{year}〕{serial}号"))
    } else {
        Err(invalid())
    }
}

/// A notice in full, as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub id: i64,
    pub title: String,
    /// The Markdown source.
    pub body: String,
    /// The body rendered to HTML and sanitised: safe to insert into a page.
    pub body_html: String,
    pub category: NoticeCategory,
    pub issuing_body: Option<String>,
    pub doc_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_at: Option<DateTime<Utc>>,
    pub pinned: bool,
    pub status: NoticeStatus,
    /// Shown to staff only.
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// Published by the street (街道发布) to this community's board: read-only here.
    #[serde(default)]
    pub from_street: bool,
}

/// A notice in a list: enough for a card on a phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeSummary {
    pub id: i64,
    pub title: String,
    /// The first words of the body, as plain text.
    pub excerpt: String,
    pub category: NoticeCategory,
    pub issuing_body: Option<String>,
    pub doc_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_at: Option<DateTime<Utc>>,
    pub pinned: bool,
    pub status: NoticeStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// Households are asked to confirm they read it (回执, 已阅知).
    #[serde(default)]
    pub receipt_asked: bool,
    /// Published by the street (街道发布).
    #[serde(default)]
    pub from_street: bool,
}

/// Which notices a list shows. Anything but `published` is for staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatusFilter {
    /// Published and not expired: the public board.
    #[default]
    Published,
    Draft,
    Withdrawn,
    /// Published notices whose expiry has passed.
    Expired,
    All,
}

impl NoticeStatusFilter {
    pub const ALL: [NoticeStatusFilter; 5] = [
        NoticeStatusFilter::Draft,
        NoticeStatusFilter::Published,
        NoticeStatusFilter::Withdrawn,
        NoticeStatusFilter::Expired,
        NoticeStatusFilter::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeStatusFilter::Published => "published",
            NoticeStatusFilter::Draft => "draft",
            NoticeStatusFilter::Withdrawn => "withdrawn",
            NoticeStatusFilter::Expired => "expired",
            NoticeStatusFilter::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// `GET /api/notices`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct NoticeListQuery {
    pub status: Option<NoticeStatusFilter>,
    pub category: Option<NoticeCategory>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl NoticeListQuery {
    pub fn paging(&self) -> PageQuery {
        PageQuery {
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// `POST /api/notices/preview`: render Markdown exactly as publishing would.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewRequest {
    pub body: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewResponse {
    pub html: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NoticeInput {
        NoticeInput {
            title: " 关于进一步做好社区疫情防控工作的通知 ".into(),
            body: "各区民政局：\r\n\r\n现就有关工作通知如下。".into(),
            issuing_body: Some("天津市民政局".into()),
            doc_number: Some("津民发[2020]13号".into()),
            issued_on: NaiveDate::from_ymd_opt(2020, 4, 18),
            ..NoticeInput::default()
        }
    }

    #[test]
    fn a_seed_notice_validates_and_is_normalised() {
        let v = input().validate().unwrap();
        assert_eq!(v.title, "关于进一步做好社区疫情防控工作的通知");
        assert_eq!(v.doc_number.as_deref(), Some("津民发〔2020〕13号"));
        assert_eq!(v.body, "各区民政局：\n\n现就有关工作通知如下。");
        assert_eq!(v.category, NoticeCategory::Announcement);
    }

    #[test]
    fn document_numbers_from_the_seeds_are_accepted() {
        for (raw, want) in [
            ("民发〔2020〕13号", "民发〔2020〕13号"),
            ("渝民发（2022）53号", "渝民发〔2022〕53号"),
            ("彭水民发 【2022】 58号", "彭水民发〔2022〕58号"),
            ("民电字〔2022〕36号", "民电字〔2022〕36号"),
        ] {
            assert_eq!(normalise_doc_number(raw).unwrap(), want);
        }
        for bad in [
            "13号",
            "津民发2020年13号",
            "津民发〔20〕13号",
            "津民发〔2020〕号",
            "〔2020〕1号",
        ] {
            assert_eq!(
                normalise_doc_number(bad).unwrap_err().code,
                ErrorCode::InvalidDocNumber,
                "{bad}"
            );
        }
    }

    #[test]
    fn expiry_cannot_precede_the_issue_date() {
        let mut n = input();
        n.expires_at = Some("2020-04-01T00:00:00Z".parse().unwrap());
        let err = n.validate().unwrap_err();
        assert_eq!((err.field, err.code), ("expires_at", ErrorCode::DateOrder));
    }

    #[test]
    fn titles_are_bounded() {
        let mut n = input();
        n.title = "通".repeat(TITLE_MAX + 1);
        assert_eq!(n.validate().unwrap_err().limit, Some(TITLE_MAX));
        n.title = String::new();
        assert_eq!(n.validate().unwrap_err().code, ErrorCode::Required);
    }

    #[test]
    fn status_transitions() {
        use NoticeAction::*;
        use NoticeStatus::*;
        assert_eq!(Draft.after(Publish), Some(Published));
        assert_eq!(Withdrawn.after(Publish), Some(Published));
        assert_eq!(Published.after(Withdraw), Some(Withdrawn));
        assert_eq!(Published.after(Publish), None);
        assert_eq!(Draft.after(Withdraw), None);
        assert_eq!(Withdrawn.after(Withdraw), None);
    }
}
