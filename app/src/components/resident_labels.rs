//! The words for the residents' enums, in the current language, and the community's date.

use crate::i18n::*;
use shouwang_api::residents::{
    ArrivalFrom, LastVisit, ObservationStatus, Relation, RiskCategory, RoomStatus, Source,
    SpecialGroup, VisitOutcome,
};

pub use crate::format::today;

pub fn relation_label(i18n: I18nContext<Locale>, r: Relation) -> &'static str {
    match r {
        Relation::SelfPerson => t_string!(i18n, residents.relation_self_person),
        Relation::Spouse => t_string!(i18n, residents.relation_spouse),
        Relation::Child => t_string!(i18n, residents.relation_child),
        Relation::Parent => t_string!(i18n, residents.relation_parent),
        Relation::Grand => t_string!(i18n, residents.relation_grand),
        Relation::Relative => t_string!(i18n, residents.relation_relative),
        Relation::Other => t_string!(i18n, residents.relation_other),
    }
}

pub fn group_label(i18n: I18nContext<Locale>, g: SpecialGroup) -> &'static str {
    match g {
        SpecialGroup::ElderlyAlone => t_string!(i18n, residents.group_elderly_alone),
        SpecialGroup::ChildInDifficulty => t_string!(i18n, residents.group_child_in_difficulty),
        SpecialGroup::Disabled => t_string!(i18n, residents.group_disabled),
        SpecialGroup::Pregnant => t_string!(i18n, residents.group_pregnant),
        SpecialGroup::ChronicIllness => t_string!(i18n, residents.group_chronic_illness),
        SpecialGroup::SeriouslyIll => t_string!(i18n, residents.group_seriously_ill),
        SpecialGroup::Destitute => t_string!(i18n, residents.group_destitute),
        SpecialGroup::MedicalFamily => t_string!(i18n, residents.group_medical_family),
    }
}

pub fn arrival_label(i18n: I18nContext<Locale>, a: ArrivalFrom) -> &'static str {
    match a {
        ArrivalFrom::OtherCity => t_string!(i18n, residents.arrival_other_city),
        ArrivalFrom::RiskArea => t_string!(i18n, residents.arrival_risk_area),
        ArrivalFrom::Abroad => t_string!(i18n, residents.arrival_abroad),
    }
}

pub fn risk_label(i18n: I18nContext<Locale>, r: RiskCategory) -> &'static str {
    match r {
        RiskCategory::Investigated => t_string!(i18n, residents.risk_investigated),
        RiskCategory::RiskAreaReturn => t_string!(i18n, residents.risk_risk_area_return),
        RiskCategory::AbroadReturn => t_string!(i18n, residents.risk_abroad_return),
        RiskCategory::CloseContact => t_string!(i18n, residents.risk_close_contact),
    }
}

pub fn observation_label(i18n: I18nContext<Locale>, o: ObservationStatus) -> &'static str {
    match o {
        ObservationStatus::Active => t_string!(i18n, residents.observation_active),
        ObservationStatus::Ended => t_string!(i18n, residents.observation_ended),
        ObservationStatus::NotObserved => t_string!(i18n, residents.observation_none),
    }
}

pub fn source_label(i18n: I18nContext<Locale>, s: Source) -> &'static str {
    match s {
        Source::SelfRegistered => t_string!(i18n, residents.source_self_registered),
        Source::Staff => t_string!(i18n, residents.source_staff),
    }
}

pub fn last_visit_label(i18n: I18nContext<Locale>, v: LastVisit) -> &'static str {
    match v {
        LastVisit::Never => t_string!(i18n, residents.last_visit_never),
        LastVisit::Within7Days => t_string!(i18n, residents.last_visit_within),
        LastVisit::Over7Days => t_string!(i18n, residents.last_visit_over),
    }
}

pub fn room_status_label(i18n: I18nContext<Locale>, s: RoomStatus) -> &'static str {
    match s {
        RoomStatus::Unknown => t_string!(i18n, residents.status_unknown),
        RoomStatus::SelfRegistered => t_string!(i18n, residents.status_self_registered),
        RoomStatus::StaffRegistered => t_string!(i18n, residents.status_staff_registered),
        RoomStatus::NobodyHome => t_string!(i18n, residents.status_nobody_home),
        RoomStatus::Refused => t_string!(i18n, residents.status_refused),
        RoomStatus::MovedOut => t_string!(i18n, residents.status_moved_out),
    }
}

pub fn visit_outcome_label(i18n: I18nContext<Locale>, o: VisitOutcome) -> &'static str {
    match o {
        VisitOutcome::Registered => t_string!(i18n, residents.outcome_registered),
        VisitOutcome::NobodyHome => t_string!(i18n, residents.status_nobody_home),
        VisitOutcome::Refused => t_string!(i18n, residents.status_refused),
        VisitOutcome::MovedOut => t_string!(i18n, residents.status_moved_out),
    }
}
