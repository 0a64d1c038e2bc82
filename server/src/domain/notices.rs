//! Who may see which notice, and what a notice's body becomes.

use super::markdown;
use chrono::{DateTime, Utc};
use shouwang_api::notices::{Notice, NoticeStatus, NoticeStatusFilter, ValidNotice};

pub const EXCERPT_CHARS: usize = 90;

/// The rendered, sanitised body and the plain-text excerpt of a notice.
pub struct Rendered {
    pub body_html: String,
    pub excerpt: String,
}

pub fn render(notice: &ValidNotice) -> Rendered {
    Rendered {
        body_html: markdown::render(&notice.body),
        excerpt: markdown::excerpt(&notice.body, EXCERPT_CHARS),
    }
}

/// Anyone may read a published notice (an expired one too: an old poster's link should
/// say "expired", not "not found"); drafts and withdrawn notices are for staff.
pub fn readable_by(notice: &Notice, viewer_is_staff: bool) -> bool {
    viewer_is_staff || notice.status == NoticeStatus::Published
}

/// Only the public board's list is open to everyone.
pub fn list_open_to(filter: NoticeStatusFilter, viewer_is_staff: bool) -> bool {
    viewer_is_staff || filter == NoticeStatusFilter::Published
}

pub fn is_expired(notice: &Notice, now: DateTime<Utc>) -> bool {
    notice.expires_at.is_some_and(|at| at <= now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shouwang_api::notices::NoticeCategory;

    fn notice(status: NoticeStatus) -> Notice {
        let now = "2026-12-07T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        Notice {
            id: 1,
            title: "t".into(),
            body: "b".into(),
            body_html: "<p>b</p>".into(),
            category: NoticeCategory::Announcement,
            issuing_body: None,
            doc_number: None,
            issued_on: None,
            expires_at: None,
            pinned: false,
            status,
            author_name: None,
            created_at: now,
            updated_at: now,
            published_at: None,
            from_street: false,
        }
    }

    #[test]
    fn the_public_reads_only_published_notices() {
        assert!(readable_by(&notice(NoticeStatus::Published), false));
        assert!(!readable_by(&notice(NoticeStatus::Draft), false));
        assert!(!readable_by(&notice(NoticeStatus::Withdrawn), false));
        assert!(readable_by(&notice(NoticeStatus::Draft), true));
    }

    #[test]
    fn only_staff_list_beyond_the_board() {
        assert!(list_open_to(NoticeStatusFilter::Published, false));
        for filter in [
            NoticeStatusFilter::Draft,
            NoticeStatusFilter::All,
            NoticeStatusFilter::Expired,
        ] {
            assert!(!list_open_to(filter, false));
            assert!(list_open_to(filter, true));
        }
    }

    #[test]
    fn expiry_is_inclusive() {
        let now = "2026-12-07T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let mut n = notice(NoticeStatus::Published);
        assert!(!is_expired(&n, now));
        n.expires_at = Some(now);
        assert!(is_expired(&n, now));
    }
}
