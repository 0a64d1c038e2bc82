use super::{ApiError, answer_empty, delete, get, post, post_action, put, send_or_queue};
use crate::api::post_no_content;
use crate::offline::WriteKind;
use chrono::NaiveDate;
use shouwang_api::Page;
use shouwang_api::residents::{
    AccessEntry, DoorRegistration, GridCoverage, Household, HouseholdSummary, LedgerQuery,
    MemberInput, MergeRequest, RegistrationOutcome, RegistrationRequest, VisitInput,
};

pub async fn register(
    request: &RegistrationRequest,
    today: NaiveDate,
) -> Result<RegistrationOutcome, ApiError> {
    request.validate(today)?;
    post("/api/residents/register", request).await
}

pub async fn mine() -> Result<Household, ApiError> {
    get("/api/residents/me").await
}

pub async fn update_member(
    id: i64,
    member: &MemberInput,
    today: NaiveDate,
    consent: bool,
) -> Result<Household, ApiError> {
    member.validate(today, consent)?;
    put(&format!("/api/residents/me/members/{id}"), member).await
}

pub async fn add_member(
    member: &MemberInput,
    today: NaiveDate,
    consent: bool,
) -> Result<Household, ApiError> {
    member.validate(today, consent)?;
    post("/api/residents/me/members", member).await
}

pub async fn remove_member(id: i64) -> Result<Household, ApiError> {
    delete(&format!("/api/residents/me/members/{id}")).await
}

pub async fn withdraw_consent() -> Result<Household, ApiError> {
    post_action("/api/residents/me/consent/withdraw").await
}

pub async fn access_log() -> Result<Vec<AccessEntry>, ApiError> {
    get("/api/residents/me/access").await
}

pub async fn ledger(query: &LedgerQuery, page: u32) -> Result<Page<HouseholdSummary>, ApiError> {
    let filters = query.to_query_string();
    get(&format!("/api/residents/households?{filters}&page={page}")).await
}

pub async fn reveal(id: i64) -> Result<Household, ApiError> {
    post_action(&format!("/api/residents/households/{id}/reveal")).await
}

/// 入户摸排: staff register a household at the door.
pub async fn register_at_door(
    request: &DoorRegistration,
    today: NaiveDate,
) -> Result<(), ApiError> {
    request.validate(today)?;
    let sent = send_or_queue(
        WriteKind::DoorRegistration,
        "POST",
        "/api/residents/households",
        Some(request),
    );
    answer_empty(sent.await).await
}

pub async fn record_visit(input: &VisitInput, today: NaiveDate) -> Result<(), ApiError> {
    input.validate(today)?;
    let sent = send_or_queue(
        WriteKind::DoorVisit,
        "POST",
        "/api/residents/visits",
        Some(input),
    );
    answer_empty(sent.await).await
}

pub async fn coverage() -> Result<Vec<GridCoverage>, ApiError> {
    get("/api/residents/coverage").await
}

pub async fn merge_requests() -> Result<Vec<MergeRequest>, ApiError> {
    get("/api/residents/merge-requests").await
}

pub async fn decide_merge(id: i64, merge: bool) -> Result<(), ApiError> {
    let action = if merge { "merge" } else { "reject" };
    post_no_content(&format!("/api/residents/merge-requests/{id}/{action}")).await
}

/// The download link for the filtered ledger (the browser fetches it with the cookie).
pub fn export_url(query: &LedgerQuery, format: &str) -> String {
    let filters = query.to_query_string();
    crate::base::at(&format!("/api/residents/export?{filters}&format={format}"))
}
