//! The words for medicine runs (代配药) in the current language.

use crate::i18n::*;
use shouwang_api::medicine::{Arrival, CustodyItemKind, CustodyState};

pub fn item_label(i18n: I18nContext<Locale>, item: CustodyItemKind) -> &'static str {
    match item {
        CustodyItemKind::InsuranceCard => t_string!(i18n, medicine.item_insurance_card),
        CustodyItemKind::RecordBook => t_string!(i18n, medicine.item_record_book),
        CustodyItemKind::Prescription => t_string!(i18n, medicine.item_prescription),
    }
}

pub fn custody_label(i18n: I18nContext<Locale>, state: CustodyState) -> &'static str {
    match state {
        CustodyState::WithResident => t_string!(i18n, medicine.custody_with_resident),
        CustodyState::HandingOver => t_string!(i18n, medicine.custody_handing_over),
        CustodyState::Held => t_string!(i18n, medicine.custody_held),
        CustodyState::Returning => t_string!(i18n, medicine.custody_returning),
        CustodyState::Returned => t_string!(i18n, medicine.custody_returned),
    }
}

pub fn arrival_label(i18n: I18nContext<Locale>, arrival: Arrival) -> &'static str {
    match arrival {
        Arrival::Complete => t_string!(i18n, medicine.arrival_complete),
        Arrival::Partial => t_string!(i18n, medicine.arrival_partial),
        Arrival::Missing => t_string!(i18n, medicine.arrival_missing),
    }
}
