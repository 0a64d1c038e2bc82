//! The words for zones and supply requests, in the current language.

use crate::i18n::*;
use shouwang_api::supplies::{EventDetail, RequestKind, RequestState};
use shouwang_api::zones::Zone;

pub fn zone_label(i18n: I18nContext<Locale>, zone: Zone) -> &'static str {
    match zone {
        Zone::Precaution => t_string!(i18n, supplies.zone_precaution),
        Zone::Controlled => t_string!(i18n, supplies.zone_controlled),
        Zone::Sealed => t_string!(i18n, supplies.zone_sealed),
    }
}

pub fn kind_label(i18n: I18nContext<Locale>, kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Grocery => t_string!(i18n, supplies.kind_grocery),
        RequestKind::Medicine => t_string!(i18n, supplies.kind_medicine),
        RequestKind::Prescription => t_string!(i18n, supplies.kind_prescription),
        RequestKind::ElderlyCare => t_string!(i18n, supplies.kind_elderly_care),
        RequestKind::Psychological => t_string!(i18n, supplies.kind_psychological),
        RequestKind::OtherHelp => t_string!(i18n, supplies.kind_other_help),
    }
}

pub fn state_label(i18n: I18nContext<Locale>, state: RequestState) -> &'static str {
    match state {
        RequestState::Submitted => t_string!(i18n, supplies.state_submitted),
        RequestState::Accepted => t_string!(i18n, supplies.state_accepted),
        RequestState::Assigned => t_string!(i18n, supplies.state_assigned),
        RequestState::OutForDelivery => t_string!(i18n, supplies.state_out_for_delivery),
        RequestState::Delivered => t_string!(i18n, supplies.state_delivered),
        RequestState::Confirmed => t_string!(i18n, supplies.state_confirmed),
        RequestState::Cancelled => t_string!(i18n, supplies.state_cancelled),
        RequestState::Refused => t_string!(i18n, supplies.state_refused),
    }
}

/// The system's part of a history line (指派给 …, 编入第 N 批楼栋配送, 已在楼门口交接),
/// worded here from the code the server stored.
pub fn event_detail_text(i18n: I18nContext<Locale>, detail: &EventDetail) -> String {
    match detail {
        EventDetail::AssignedTo { volunteer } => {
            let name = volunteer.clone();
            t_string!(i18n, trial_resident.event_assigned_to, name).to_string()
        }
        EventDetail::AddedToRun { run_id } => {
            let run = run_id.to_string();
            t_string!(i18n, trial_resident.event_added_to_run, run).to_string()
        }
        EventDetail::HandedOverAtGate => {
            t_string!(i18n, trial_resident.event_handed_over_at_gate).to_owned()
        }
        EventDetail::CancelledByResident => t_string!(i18n, supplies.cancel_note).to_owned(),
    }
}

/// What the app itself once stored as the reason of a resident's withdrawal, before the
/// history carried it as a code; such rows read in the reader's language too.
const LEGACY_RESIDENT_CANCEL: &str = "居民取消";

/// A history line's note: the person's own words, or the legacy stored withdrawal.
pub fn event_note_text(i18n: I18nContext<Locale>, note: &str) -> String {
    if note == LEGACY_RESIDENT_CANCEL {
        t_string!(i18n, supplies.cancel_note).to_owned()
    } else {
        note.to_owned()
    }
}
