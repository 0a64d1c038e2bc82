//! Rules of moderation: who may see a submission, what a merge may join, what the
//! debunk notice of a rumour is.

use chrono::NaiveDate;
use shouwang_api::notices::{NoticeCategory, ValidNotice};
use shouwang_api::submissions::{SubmissionStatus, ValidRumour};

/// A submission is seen by staff and by the person who sent it; nobody else learns
/// that it exists (404, not 403).
pub fn visible_to(submitter_id: Option<i64>, viewer_id: i64, viewer_is_staff: bool) -> bool {
    viewer_is_staff || submitter_id == Some(viewer_id)
}

/// Why a merge is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeRefusal {
    /// Into itself.
    SameSubmission,
    /// Only a pending submission that heads its own group can take others.
    TargetNotOpen,
    /// The one merged must still be pending.
    NotPending,
}

pub fn check_merge(
    id: i64,
    status: SubmissionStatus,
    into: i64,
    into_status: SubmissionStatus,
    into_group: Option<i64>,
) -> Result<(), MergeRefusal> {
    if id == into {
        return Err(MergeRefusal::SameSubmission);
    }
    if status != SubmissionStatus::Pending {
        return Err(MergeRefusal::NotPending);
    }
    if into_status != SubmissionStatus::Pending || into_group.is_some() {
        return Err(MergeRefusal::TargetNotOpen);
    }
    Ok(())
}

/// The debunk (辟谣) a rumour verdict publishes: an official notice in the debunk
/// category whose body ends with where the facts were confirmed, dated today in the
/// community (at 00:30 Beijing time that is already the new day).
pub fn debunk_notice(rumour: &ValidRumour, today: NaiveDate) -> ValidNotice {
    ValidNotice {
        title: rumour.title.clone(),
        body: format!(
            "{}\n\n核实来源：{}（{}）",
            rumour.body, rumour.source_who, rumour.source_how
        ),
        category: NoticeCategory::Debunk,
        issuing_body: None,
        doc_number: None,
        issued_on: Some(today),
        expires_at: None,
        pinned: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SubmissionStatus::*;

    #[test]
    fn only_staff_and_the_submitter_see_a_submission() {
        assert!(visible_to(Some(7), 7, false));
        assert!(!visible_to(Some(7), 8, false));
        assert!(!visible_to(None, 8, false));
        assert!(visible_to(None, 8, true));
    }

    #[test]
    fn merges_join_pending_submissions_under_an_open_head() {
        assert_eq!(check_merge(1, Pending, 2, Pending, None), Ok(()));
        assert_eq!(
            check_merge(1, Pending, 1, Pending, None),
            Err(MergeRefusal::SameSubmission)
        );
        assert_eq!(
            check_merge(1, Rejected, 2, Pending, None),
            Err(MergeRefusal::NotPending)
        );
        assert_eq!(
            check_merge(1, Pending, 2, Published, None),
            Err(MergeRefusal::TargetNotOpen)
        );
        assert_eq!(
            check_merge(1, Pending, 2, Pending, Some(3)),
            Err(MergeRefusal::TargetNotOpen)
        );
    }

    #[test]
    fn a_debunk_is_a_notice_with_its_source() {
        let n = debunk_notice(
            &ValidRumour {
                title: "【辟谣】全区封控系谣言".into(),
                body: "经核实，该消息不实。".into(),
                source_who: "街道办".into(),
                source_how: "电话核实".into(),
            },
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        );
        assert_eq!(n.category, NoticeCategory::Debunk);
        assert!(n.body.ends_with("核实来源：街道办（电话核实）"));
    }
}
