//! How the roster's warnings, durations and the wellbeing bands read, in one place.

use crate::i18n::*;
use shouwang_api::workers::{HowOften, RestWarning, WellbeingBand};

/// `8 小时`, `45 分钟`, `7 小时 30 分`.
pub fn duration_text(i18n: I18nContext<Locale>, minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => t_string!(i18n, workers.minutes_only, m).to_string(),
        (h, 0) => t_string!(i18n, workers.hours_only, h).to_string(),
        (h, m) => t_string!(i18n, workers.hour_minutes, h, m).to_string(),
    }
}

pub fn warning_text(i18n: I18nContext<Locale>, warning: &RestWarning) -> String {
    match *warning {
        RestWarning::WeeklyHours { hours, limit } => {
            t_string!(i18n, workers.warn_weekly, hours, limit).to_string()
        }
        RestWarning::ShortRest { minutes, limit } => {
            let rest = duration_text(i18n, minutes);
            let limit = duration_text(i18n, limit);
            t_string!(i18n, workers.warn_rest, rest, limit).to_string()
        }
        RestWarning::NoDayOff { days } => t_string!(i18n, workers.warn_day_off, days).to_string(),
    }
}

pub fn band_label(i18n: I18nContext<Locale>, band: WellbeingBand) -> &'static str {
    match band {
        WellbeingBand::Normal => t_string!(i18n, workers.wb_band_normal),
        WellbeingBand::Mild => t_string!(i18n, workers.wb_band_mild),
        WellbeingBand::Moderate => t_string!(i18n, workers.wb_band_moderate),
        WellbeingBand::Severe => t_string!(i18n, workers.wb_band_severe),
    }
}

pub fn band_advice(i18n: I18nContext<Locale>, band: WellbeingBand) -> &'static str {
    match band {
        WellbeingBand::Normal => t_string!(i18n, workers.wb_advice_normal),
        WellbeingBand::Mild => t_string!(i18n, workers.wb_advice_mild),
        WellbeingBand::Moderate => t_string!(i18n, workers.wb_advice_moderate),
        WellbeingBand::Severe => t_string!(i18n, workers.wb_advice_severe),
    }
}

pub fn how_often_label(i18n: I18nContext<Locale>, answer: HowOften) -> &'static str {
    match answer {
        HowOften::NotAtAll => t_string!(i18n, workers.wb_not_at_all),
        HowOften::SeveralDays => t_string!(i18n, workers.wb_several_days),
        HowOften::MoreThanHalf => t_string!(i18n, workers.wb_more_than_half),
        HowOften::NearlyEveryDay => t_string!(i18n, workers.wb_nearly_every_day),
    }
}
