//! Caring for the workers: the staff's duty roster and the private wellbeing check.

use super::{ApiError, delete_no_content, get, post, put};
use chrono::NaiveDate;
use shouwang_api::Page;
use shouwang_api::workers::{
    Duty, DutyHoursRow, DutyInput, DutyRoster, DutyRules, WellbeingAnswers, WellbeingResult,
    WellbeingSummary,
};

pub async fn roster(from: NaiveDate, to: NaiveDate) -> Result<DutyRoster, ApiError> {
    get(&format!("/api/duties?from={from}&to={to}")).await
}

pub async fn add_duty(input: &DutyInput) -> Result<Duty, ApiError> {
    input.validate()?;
    post("/api/duties", input).await
}

pub async fn remove_duty(id: i64) -> Result<(), ApiError> {
    delete_no_content(&format!("/api/duties/{id}")).await
}

pub async fn set_rules(rules: &DutyRules) -> Result<DutyRules, ApiError> {
    rules.validate()?;
    put("/api/duties/rules", rules).await
}

pub async fn hours(from: NaiveDate, to: NaiveDate) -> Result<Page<DutyHoursRow>, ApiError> {
    get(&format!(
        "/api/duties/hours?from={from}&to={to}&per_page=100"
    ))
    .await
}

/// The download of the duty hours, for a link.
pub fn hours_file_url(from: NaiveDate, to: NaiveDate, format: &str) -> String {
    crate::base::at(&format!(
        "/api/duties/hours?from={from}&to={to}&format={format}"
    ))
}

pub async fn take_check(answers: &WellbeingAnswers) -> Result<WellbeingResult, ApiError> {
    post("/api/wellbeing", answers).await
}

pub async fn own_checks(page: u32) -> Result<Page<WellbeingResult>, ApiError> {
    get(&format!("/api/wellbeing/mine?page={page}")).await
}

pub async fn erase_own() -> Result<(), ApiError> {
    delete_no_content("/api/wellbeing/mine").await
}

pub async fn summary() -> Result<WellbeingSummary, ApiError> {
    get("/api/wellbeing/summary").await
}
